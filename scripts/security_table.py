#!/usr/bin/env python3
"""scripts/security_table.py: the table of attacks and faults in
docs/security.md, made from the tests themselves, so it stays true.

Each test that tries an attack or a fault says so in one line:
  tests/boot/<name>.expect   @security CATEGORY | WHAT IS TRIED | OUTCOME
  scripts/<name>.py          Security: CATEGORY | WHAT IS TRIED | OUTCOME
                             (in the docstring)
  tests/fuzz/<name>.c        Security: CATEGORY | ... (in the top comment)
The OUTCOME is what the test asserts; `make check` runs every one of
these tests, so a row whose test fails fails the build.

  scripts/security_table.py --check   (in make check) docs/security.md's
                                      table must equal the generated one
  scripts/security_table.py --write   regenerate it in place

Exit status 0 when the table is current (--check) or written (--write).
"""
import argparse
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "security.md")
BEGIN = "<!-- security-table: made by scripts/security_table.py --write -->"
END = "<!-- security-table end -->"

# Categories in the order the threat model in docs/security.md takes them.
CATEGORIES = ["host memory and CPU", "other guests", "the ABI",
              "devices and disks", "network peers", "images and launch"]

EXPECT_LINE = re.compile(r"^@security\s+(.+?)\s*$")
SOURCE_LINE = re.compile(r"^\s*(?:\*\s*)?Security:\s+(.+?)\s*$")


def rows():
    """(category, what, outcome, test) for every annotated test."""
    found = []
    sources = ([(p, "boot/" + os.path.basename(p)[:-7])
                for p in glob.glob(os.path.join(ROOT, "tests/boot/*.expect"))] +
               [(p, "script/" + os.path.basename(p)[:-3])
                for p in glob.glob(os.path.join(ROOT, "scripts/*.py"))
                if not p.endswith("security_table.py")] +
               [(p, "fuzz/" + os.path.basename(p)[:-2])
                for p in glob.glob(os.path.join(ROOT, "tests/fuzz/fuzz_*.c"))])
    for path, test in sources:
        with open(path, errors="replace") as f:
            rx = EXPECT_LINE if path.endswith(".expect") else SOURCE_LINE
            for n, line in enumerate(f, 1):
                m = rx.match(line)
                if not m:
                    continue
                parts = [x.strip() for x in m.group(1).split("|")]
                if len(parts) != 3 or parts[0] not in CATEGORIES:
                    sys.exit(f"{path}:{n}: expected 'CATEGORY | WHAT | "
                             f"OUTCOME' with a category of {CATEGORIES}")
                found.append((parts[0], parts[1], parts[2], test))
    return sorted(found, key=lambda r: (CATEGORIES.index(r[0]), r[3]))


def table():
    out = [BEGIN, ""]
    for cat in CATEGORIES:
        these = [r for r in rows() if r[0] == cat]
        if not these:
            continue
        out += [f"**Against {cat}** ({len(these)})", "",
                "| what is tried | outcome the test asserts | test |",
                "|---|---|---|"]
        for _, what, outcome, test in these:
            cell = lambda s: s.replace("|", "\\|")
            out.append(f"| {cell(what)} | {cell(outcome)} | `{test}` |")
        out.append("")
    out.append(END)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")   # for check.py --script
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    with open(DOC) as f:
        doc = f.read()
    if BEGIN not in doc or END not in doc:
        sys.exit(f"security_table: {DOC} has no table markers")
    start = doc.index(BEGIN)
    end = doc.index(END) + len(END) + 1
    new = doc[:start] + table() + doc[end:]
    if args.write:
        with open(DOC, "w") as f:
            f.write(new)
        print(f"security_table: wrote {len(rows())} rows into {DOC}")
        return 0
    if new != doc:
        print("FAIL security_table: docs/security.md's table is not what "
              "the tests say; run scripts/security_table.py --write")
        return 1
    print(f"PASS security_table: {len(rows())} attacks and faults, each "
          "with the test that tries it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
