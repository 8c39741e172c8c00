#!/usr/bin/env python3
"""scripts/log_deferred_check.py: the host's start-up lines reach the
diagnostic channel while a guest that never lets the host idle still runs.

The host keeps its start-up lines in memory and writes them when it first
idles (host/arch/log.c), since QEMU writes a serial byte at a time at
2-2.5 us each; a guest that never halts would keep them there for ever,
but for the timer's deadline, one second after the host's clock is known
(host/core/timer.c). One guest, tests/boot/attack_console_hog.c in its
"work" role, spins reading its clock for 60 seconds and never halts. The
script waits for the host's "TSC N kHz" line (the last start-up line
before the first world switch) on the diagnostic channel and checks that
it came, complete and after the banner, while the guest was still
spinning: before QEMU exited and before the guest's closing "work:" line
on the console. Both clocks are the same host clock: with the deadline
working the line comes some 59 seconds of it before the guest's end, so
nothing here depends on how fast the machine is. Without the deadline the
line would come only as the host leaves, after the guest's last line.

Usage: scripts/log_deferred_check.py [--out build]
Prints PASS or FAIL; exit status 0 if it passed. Standard library only.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "tools"))
from lglaunch import guests as guestargs        # noqa: E402
from lglaunch import qemu                       # noqa: E402

TSC_LINE = re.compile(r"^TSC \d+ kHz$", re.M)
BANNER = re.compile(r"^lgref host \S+: bare-metal lguest host", re.M)
GIVE_UP_S = 300         # only if QEMU never gets anywhere


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="build")
    args = ap.parse_args()
    elf = os.path.join(args.out, "tests", "boot", "attack_console_hog.elf")
    guests = guestargs.parse_all(["16", elf, "role=work", "secs=60"])
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        diag = os.path.join(scratch, "diag.log")
        console = os.path.join(scratch, "console.log")
        cmd = qemu.command(guests, None, args.out, qemu.PROGRAM, diag)
        with open(console, "wb") as out:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT)
        log = ""
        try:
            end = time.monotonic() + GIVE_UP_S
            while time.monotonic() < end:
                exited = proc.poll() is not None
                with open(console, errors="replace") as f:
                    said = f.read()
                if os.path.exists(diag):
                    with open(diag, errors="replace") as f:
                        log = f.read()
                if TSC_LINE.search(log):
                    # Read in this order: the console was read before
                    # the log, so a "work:" line seen now came first.
                    if exited or "work:" in said:
                        problems.append("the start-up lines came only "
                                        "when the guest had finished")
                    break
                if exited:
                    problems.append(f"QEMU exited ({proc.returncode}) "
                                    "with no 'TSC N kHz' line")
                    break
                time.sleep(0.05)
            else:
                problems.append(f"no 'TSC N kHz' line in {GIVE_UP_S} s")
        finally:
            proc.kill()
            proc.wait()
        banner = BANNER.search(log)
        tsc = TSC_LINE.search(log)
        if tsc and (not banner or banner.start() > tsc.start()):
            problems.append("the banner is missing or after the TSC line")
    if problems:
        print("FAIL log_deferred_check:")
        for p in problems:
            print("  " + p)
        print("--- the host's log ---")
        print(log[-3000:])
        sys.exit(1)
    print("PASS log_deferred_check")


if __name__ == "__main__":
    main()
