#!/usr/bin/env python3
"""scripts/tour.py [LETTERS]: print the code tour in order (`make tour T=H`).

A tour excerpt starts at a comment "/*X:NNN" (X a letter: P preface,
G guest, D drivers, H host, S switch, T tests) and runs to the first ":*/".
If a "/*:*/" marker follows before the next excerpt, the code between is
part of the excerpt too. Excerpts print sorted by letter order P G D S H T,
then number.
"""
import os
import re
import sys

ORDER = "PGDSHT"
START = re.compile(r"/\*([A-Z]):(\d+)")
SOURCES = ("boot", "kernel", "drivers", "lib", "apps", "host", "include",
           "tests", "tools", "scripts")


def excerpts(path):
    text = open(path, errors="replace").read()
    for m in START.finditer(text):
        end = text.find(":*/", m.end())
        if end < 0:
            continue
        stop = end + 3
        nxt = START.search(text, stop)
        close = text.find("/*:*/", stop)
        if close >= 0 and (not nxt or close < nxt.start()):
            stop = close + 5
        line = text.count("\n", 0, m.start()) + 1
        yield m.group(1), int(m.group(2)), path, line, text[m.start():stop]


NAMES = {"P": "preface", "G": "guest kernel", "D": "drivers",
         "S": "world switch", "H": "host", "T": "tests"}


def main():
    letters = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else ORDER
    unknown = sorted(set(letters.upper()) - set(ORDER))
    if unknown:
        sys.exit(f"tour: unknown part {''.join(unknown)!r}; the parts are " +
                 ", ".join(f"{k} ({v})" for k, v in NAMES.items()) +
                 ", e.g. make tour T=H")
    letters = letters.upper()
    found = []
    for top in SOURCES:
        for root, _, files in os.walk(top):
            for f in sorted(files):
                if f.endswith((".c", ".h", ".S", ".ld")):
                    found += excerpts(os.path.join(root, f))
    found = [e for e in found if e[0] in letters]
    found.sort(key=lambda e: (ORDER.index(e[0]) if e[0] in ORDER else 99,
                              e[1]))
    if not found:
        sys.exit(f"tour: no excerpts for {letters!r}")
    for letter, num, path, line, body in found:
        print(f"==== {letter}:{num:03d}  {path}:{line}")
        print(body)
        print()


if __name__ == "__main__":
    main()
