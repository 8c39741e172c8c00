#!/usr/bin/env python3
"""scripts/benchreport_check.py: the bench report judges right (`make check`).

Runs scripts/benchreport.py, as `make bench` does, on the hand-made parts
in tests/bench/report/ (no QEMU, a few seconds) and checks what it wrote,
against figures worked out by hand from those files:
  - the ratios to the floors (F = 2 x 2000 + 500 ns = 4.5 µs, a served
    exit 9 µs, READY 110 ms vs a null kernel 100 ms, ...), the goal
    verdicts, and the p99 > 5 x p50 flags;
  - the world switch alone (host-bare.elf) is a row of its own, against
    the F of its own boot, and the hypercall's note names its ratio; a
    boot part without it has neither;
  - a goal just missed (a 1.22-exit gap at 64 KiB, exactly 1 % of
    datagrams with no buffer) is "not met", and met once the part is
    changed to meet it; a baseline with more pps makes udpblast "not met";
  - host_main's figure names the blocks QEMU translated before the first
    guest instruction, when bench.py counted them;
  - the four plots are well-formed SVG with their curves' titles (gnuplot
    must be installed: `make deps`);
  - with only the boot part, the other figures say "not measured" and
    only the boot plots are made; --publish copies exactly those, and
    fails with a message when there is no report.
Never a timing: the inputs are fixed numbers.

Usage: scripts/benchreport_check.py [--out build]; exit status 0 on PASS.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "bench", "report")
REPORT = os.path.join(ROOT, "scripts", "benchreport.py")
SVG = "{http://www.w3.org/2000/svg}"
PROBLEMS = []


def expect(what, ok):
    if not ok:
        PROBLEMS.append(what)


def near(a, b):
    return a is not None and abs(a - b) < 1e-6


def run(out, *more, status=0):
    proc = subprocess.run([sys.executable, REPORT, "--out", out] +
                          list(more), capture_output=True, text=True,
                          timeout=120)
    if proc.returncode != status:
        sys.exit(f"FAIL benchreport {' '.join(more)} exited "
                 f"{proc.returncode}, not {status}:\n{proc.stdout}"
                 f"{proc.stderr}")
    return proc.stdout + proc.stderr


def make_run(scratch, name, parts, edit=None):
    """build-like directory NAME with the fixture PARTS in bench/."""
    out = os.path.join(scratch, name)
    os.makedirs(os.path.join(out, "bench"))
    for part in parts:
        with open(os.path.join(FIXTURES, part)) as f:
            data = json.load(f)
        if edit:
            edit(part, data)
        with open(os.path.join(out, "bench", part), "w") as f:
            json.dump(data, f)
    return out


def load(out):
    with open(os.path.join(out, "bench", "report.json")) as f:
        report = json.load(f)
    return report, {f["id"]: f for f in report["figures"]}


def check_full(scratch):
    out = make_run(scratch, "full", ["boot.json", "blk.json", "net.json"])
    text = run(out, "--baseline", "none")
    report, fig = load(out)
    expect("F is 4.5 µs", near(report["floor_f_us"], 4.5))
    h = fig["hypercall"]
    expect("hypercall 9 µs = 2.0 F, not met",
           near(h["value"], 9.0) and near(h["floor"], 4.5) and
           near(h["ratio"], 2.0) and h["met"] is False)
    expect("hypercall p99 50 > 5 x p50 9 is flagged", h["p99_flag"])
    w = fig.get("bare_switch", {})
    expect("world switch alone 6.3 µs vs its own F 2 x 2100 + 300 = 4.5: "
           "1.4 F, info, and named in the hypercall's note",
           near(w.get("value"), 6.3) and near(w.get("floor"), 4.5) and
           near(w.get("ratio"), 1.4) and w.get("met") is None and
           "the world switch alone is 1.40 F" in h["note"])
    b = fig["blk_read_gap"]
    expect("4 KiB gap 9 µs = 1.0 exit, but 64 KiB 1.22: not met",
           near(b["value"], 9.0) and near(b["ratio"], 1.0) and
           b["met"] is False and "65536 B: 1.22" in b["note"])
    d = fig["disk_vs_native"]
    expect("disk 5.5 µs = 1.1 x native 5, met",
           near(d["ratio"], 1.1) and d["met"] is True)
    r = fig["ready"]
    expect("READY 110 ms = 1.1 x null 100 ms, met, p99 120",
           near(r["ratio"], 1.1) and r["met"] is True and
           near(r["p99"], 120.0))
    g = fig["first_guest"]
    expect("host_main -> guest: median 4 ms, p99 10, met",
           near(g["value"], 4.0) and near(g["p99"], 10.0) and
           g["met"] is True and g["ratio"] is None)
    expect("host_main -> guest names the 700 blocks translated before it "
           "(700 x 1.8 + 4500 x 0.36 us = 2.88 ms)",
           "700 blocks translated before it (~2.88 ms" in g["note"])
    e = fig["echo"]
    expect("echo p50 36 µs vs 2 F = 9: ratio 4, met",
           near(e["floor"], 9.0) and near(e["ratio"], 4.0) and
           e["met"] is True)
    n = fig["nobuf"]
    expect("1 % with no buffer is not < 1 %: not met",
           near(n["value"], 1.0) and n["met"] is False)
    sweep = {(r["op"], r["size"]): r for r in report["block_sweep"]}
    expect("sweep gaps in exits",
           near(sweep["read", 512]["gap_exits"], 8 / 9) and
           near(sweep["read", 65536]["gap_exits"], 11 / 9))
    expect("write 4 KiB native p99 900 > 5 x 100 is flagged, its guest "
           "(400 <= 5 x 130) and the reads not",
           sweep["write", 4096]["p99_flag_native"] and
           not sweep["write", 4096]["p99_flag_guest"] and
           not any(r["p99_flag"] for k, r in sweep.items()
                   if k[0] == "read"))
    echo = {r["size"]: r for r in report["network"]["echo"]}
    expect("echo 1..1472 p99 400 > 5 x 50 flagged, 1..64 not",
           echo["1..1472"]["p99_flag"] and not echo["1..64"]["p99_flag"])
    expect("printed table has verdicts and the flags",
           "NOT met" in text and " met" in text and "! " in text and
           "p99 > 5 x p50" in text)
    titles = {"blk.svg": ["guest p50", "native p99"],
              "boot.svg": ["null multiboot kernel (floor)"],
              "exit.svg": ["%cr3 home", "host C", "floor: %cr3 load",
                           "the goal, 1.3 F",
                           "world switch alone, no host C"],
              "net.svg": ["four world switches (2 F)", "tunnet 64 B (8)"]}
    expect("four plots listed", sorted(report["plots"]) == sorted(titles))
    for name, wanted in titles.items():
        try:
            root = ET.parse(os.path.join(out, "bench", name)).getroot()
        except (OSError, ET.ParseError) as err:
            PROBLEMS.append(f"{name}: {err}")
            continue
        texts = " ".join("".join(t.itertext()) for t in root.iter(SVG + "text"))
        expect(f"{name} is an SVG with drawn paths",
               root.tag == SVG + "svg" and
               len(list(root.iter(SVG + "path"))) > 5)
        for title in wanted:
            expect(f"{name} has {title!r}", title in texts)
    return out


def check_edits(scratch):
    def meet(part, data):
        if part == "blk.json":
            data["cases"]["sweep_read_65536"]["guest"]["p50_us"] = 18
            # The host's 4 KiB p50 is taken over its mean of every size.
            data["split"]["read"]["disk_4k_us"] = 7.0
        if part == "net.json":
            data["blast"][1]["failed"] = 50
    out = make_run(scratch, "meets", ["boot.json", "blk.json", "net.json"],
                   meet)
    base = os.path.join(scratch, "baseline.json")
    for pps, met in ((13000, True), (15000, False)):
        with open(base, "w") as f:
            json.dump({"figures": [{"id": "echo", "value": 50}],
                       "network": {"blast": [{"size": 64, "pps": pps}]}}, f)
        run(out, "--baseline", base)
        _, fig = load(out)
        expect("gap 0.89 exit at 64 KiB: met", fig["blk_read_gap"]["met"])
        d = fig["disk_vs_native"]
        expect("disk: the 4 KiB p50 7 µs = 1.4 x native 5, not met",
               near(d["value"], 7.0) and near(d["ratio"], 1.4) and
               d["met"] is False and "4 KiB reads" in d["note"])
        expect(f"0.5 % no buffer, baseline {pps} pps: met={met}",
               fig["nobuf"]["met"] is met)
        expect("baseline value shown as 'was'", fig["echo"]["was"] == 50)


def check_partial(scratch):
    out = make_run(scratch, "partial", ["boot.json"])
    text = run(out, "--baseline", "none")
    report, fig = load(out)
    expect("block and network figures not measured",
           all(fig[k]["value"] is None and fig[k]["met"] is None
               for k in ("blk_read_gap", "disk_vs_native", "echo", "nobuf")))
    expect("'not measured' printed", "not measured" in text)
    unbare = make_run(scratch, "unbare", ["boot.json"],
                      lambda part, data: data.pop("bare"))
    run(unbare, "--baseline", "none")
    _, fig = load(unbare)
    expect("no host-bare boot: no world-switch row, no note",
           "bare_switch" not in fig and
           "world switch" not in fig["hypercall"]["note"])
    expect("only the boot plots", sorted(report["plots"]) ==
           ["boot.svg", "exit.svg"] and not os.path.exists(
               os.path.join(out, "bench", "blk.svg")))
    dest = os.path.join(scratch, "docs-bench")
    run(out, "--publish", dest)
    expect("publish copies the report and its plots",
           sorted(os.listdir(dest)) == ["boot.svg", "exit.svg",
                                        "report.json", "report.txt"])
    empty = make_run(scratch, "empty", [])
    msg = run(empty, "--publish", dest, status=1)
    expect("publish without a report says to run make bench",
           "make bench" in msg)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")   # unused: no build needed
    ap.parse_args()
    if not shutil.which("gnuplot"):
        sys.exit("FAIL gnuplot not found; run `make deps` (gnuplot-nox)")
    with tempfile.TemporaryDirectory() as scratch:
        check_full(scratch)
        check_edits(scratch)
        check_partial(scratch)
    if PROBLEMS:
        print("FAIL bench report:\n  " + "\n  ".join(PROBLEMS))
        sys.exit(1)
    print("PASS bench report")


if __name__ == "__main__":
    main()
