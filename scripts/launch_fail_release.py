#!/usr/bin/env python3
"""scripts/launch_fail_release.py: a guest that fails to launch after its
disk and NIC were set up gives them back (issue 11, hole 2).

The old host attached a guest's devices one by one and, when a later one
failed (here the 17th distinct --sharenet name: at most 16 LANs), put the
guest's slot back to free while its disk and NIC entries still pointed
at that slot. The next guest took the same slot; the device lookup, by
slot and key, found the stale entries first, so that guest's disk writes
went to the failed guest's image and its frames to the failed guest's
NIC, while the host's statistics named the right ones. Its pages were not
given back either.

Three guests through tools/lguest (one QEMU):
  0: --sharenet=lan01..lan04, powers off at once (it holds four LANs);
  1: --block=A.img --tunnet=10.0.2.2 --sharenet=lan05..lan17: lan17 is
     the 17th LAN, so its launch fails after its disk and NIC were taken;
  2: --block=B.img --tunnet=10.0.3.2 bench=quick, three pings to its
     gateway, power-off. It is launched into the slot guest 1 gave back,
     with its disk and NIC at the same keys.
Checked: exit status 1 (a guest failed to load); the host's log names the
failure; guest 2 (which calls itself guest 1) ran its benchmark into
B.img, whose written sectors are the benchmark's self-describing ones
(each begins with its own number), while A.img stays all zero; its pings
were answered through the second NIC (the first one's network has no
10.0.3.2) and the host's counters say so; and the host has every page
back ("lgref host: N pages free, as before the guests").

Usage: scripts/launch_fail_release.py [--out build]
Prints PASS or FAIL lines; exit status 0 if all passed. Standard library
only.

Security: images and launch | a guest that fails on its 17th LAN after taking a disk and a NIC, beside one that starts | the next guest's writes reach its own image and its frames its own NIC; every page back
"""
import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTOR = 512
DISK_BYTES = 64 << 20


def lans(first, last):
    return [f"--sharenet=lan{i:02d}" for i in range(first, last + 1)]


def run(out, scratch):
    guest = os.path.join(os.path.abspath(out), "guest.elf")
    diag = os.path.join(scratch, "diag.log")
    cmd = [os.path.join(ROOT, "tools", "lguest"), "--out",
           os.path.abspath(out),
           f"--diag={diag}"]
    cmd += lans(1, 4) + ["16", guest, "run=poweroff", "--"]
    cmd += ["--block=A.img", "--tunnet=10.0.2.2"] + lans(5, 17) + \
        ["16", guest, "--"]
    cmd += ["--block=B.img", "--tunnet=10.0.3.2", "16", guest,
            "bench=quick", "run=ping,10.0.3.2,3", "run=poweroff"]
    proc = subprocess.run(cmd, cwd=scratch, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=400)
    with open(diag, errors="replace") as f:
        log = f.read()
    return proc.returncode, proc.stdout, proc.stderr, log


def written_sectors(path):
    """Numbers of the sectors of an image that are not all zero, and of
    those that do not begin with their own number."""
    with open(path, "rb") as f:
        data = f.read()
    nonzero, foreign = [], []
    for s in range(len(data) // SECTOR):
        sector = data[s * SECTOR:(s + 1) * SECTOR]
        if sector.count(0) == SECTOR:
            continue
        nonzero.append(s)
        if struct.unpack_from("<I", sector)[0] != s:
            foreign.append(s)
    return nonzero, foreign


def check(status, console, log, scratch):
    """The list of what is wrong (empty if nothing is)."""
    problems = []

    def need(pattern, text, what):
        m = re.search(pattern, text, re.MULTILINE)
        if not m:
            problems.append(f"missing {what}: /{pattern}/")
        return m

    def forbid(pattern, text, what):
        m = re.search(pattern, text, re.MULTILINE)
        if m:
            problems.append(f"{what}: {m.group(0)!r}")

    if status != 1:
        problems.append(f"tools/lguest exit status {status}, expected 1 "
                        "(a guest failed to load)")
    need(r'^lguest: ".*--block=A\.img .*": --sharenet=lan17: too many '
         r'networks \(at most 16\)$', log, "the failed launch on the log")
    need(r"^lgref host: 1 module could not be loaded", log,
         "the count of failed modules")
    need(r"^lgref host: no guest left, exiting with status 0x14$", log,
         "status 0x14 (load failed)")
    # The benchmark guest took the slot the failed launch gave back.
    need(r"^guest 1: block device 0 \(--block=B\.img\): virtio-blk 1, ",
         log, "B.img on disk 1 for guest 1")
    need(r"^guest 1: net device 1 \(--tunnet=10\.0\.3\.2\): virtio-net 1, ",
         log, "NIC 1 for guest 1")
    need(r"\d+ cases, every read verified", console,
         "the benchmark's summary on the console")
    need(r"PING summary sent=3 received=[1-3] ", console,
         "an answered ping through the second NIC")
    m = need(r"^guest 1: block device 0 \(--block=B\.img\): (\d+) reads, "
             r"(\d+) writes, 0 failed", log, "B.img's counters")
    if m and int(m.group(2)) == 0:
        problems.append(f"B.img's counters show no write: {m.group(0)!r}")
    forbid(r"^.*--block=A\.img\): \d+ reads.*$", log,
           "A.img has counters: a device of the failed guest ran")
    m = need(r"^guest 1: net device 1: virtio-net 1: \d+ interrupts, \d+ "
             r"transmit notifies for (\d+) frames", log, "NIC 1's counters")
    if m and int(m.group(1)) == 0:
        problems.append(f"NIC 1 sent nothing: {m.group(0)!r}")
    forbid(r"^.*virtio-net 0: \d+ interrupts.*$", log,
           "NIC 0 (the failed guest's) has counters")
    need(r"^lgref host: \d+ pages free, as before the guests$", log,
         "every page back")
    forbid(r"^lgref host: .*(leak|freed twice).*$", log, "page count")

    a_nonzero, _ = written_sectors(os.path.join(scratch, "A.img"))
    if a_nonzero:
        problems.append(f"A.img (the failed guest's) has {len(a_nonzero)} "
                        f"written sectors, first {a_nonzero[0]}")
    b_nonzero, b_foreign = written_sectors(os.path.join(scratch, "B.img"))
    if not b_nonzero:
        problems.append("B.img (the benchmark guest's) is all zero")
    if b_foreign:
        problems.append(f"B.img: {len(b_foreign)} written sectors do not "
                        f"begin with their own number, first {b_foreign[0]}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="build")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("A.img", "B.img"):
            with open(os.path.join(scratch, name), "wb") as f:
                f.truncate(DISK_BYTES)
        status, console, err, log = run(args.out, scratch)
        problems = check(status, console, log, scratch)
    if problems:
        print("FAIL launch_fail_release:")
        for p in problems:
            print("  " + p)
        print("--- the host's log, without the memory map ---")
        print("\n".join(ln for ln in log.splitlines()
                        if not ln.startswith("  "))[-6000:])
        print("--- console (last 30 lines) ---")
        print("\n".join(console.splitlines()[-30:]))
        if err.strip():
            print("--- tools/lguest's standard error ---")
            print(err[-2000:])
        sys.exit(1)
    print("PASS launch_fail_release")


if __name__ == "__main__":
    main()
