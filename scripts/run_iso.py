#!/usr/bin/env python3
"""scripts/run_iso.py: `make run-iso`, the GRUB CD (`make iso`) in QEMU.

GRUB loads the host and the demo guest from the CD; the console is this
terminal and the host's log goes to OUT/iso-diag.log. The machine is
tools/lguest's (tools/lglaunch/qemu.py), with the memory its rule gives
the CD's grub.cfg, and QEMU runs as tools/lguest runs it (lglaunch/run.py:
signals passed on, QEMU's status turned into tools/lguest's).
`poweroff` at the prompt ends it; exit status 0 when every guest powered
off, else tools/lguest's status (tools/lguest --help) after the log's tail.

Usage: scripts/run_iso.py [--out build] [--qemu qemu-system-i386]
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tools"))
from lglaunch import qemu, run                  # noqa: E402
from lglaunch.status import LaunchError         # noqa: E402

LOG_TAIL = 5


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")
    ap.add_argument("--qemu", default=qemu.PROGRAM)
    args = ap.parse_args()
    iso = os.path.join(args.out, "lgref.iso")
    diag = os.path.join(args.out, "iso-diag.log")
    if not os.path.isfile(iso):
        sys.exit(f"run-iso: {iso} not built (make iso)")
    if os.path.exists(diag):
        os.unlink(diag)       # a log from an earlier run would mislead
    try:
        cmd = (qemu.machine(args.qemu, qemu.cdrom_ram_mb(iso), diag) +
               qemu.cdrom_boot(iso))
        status = run.Runner().run(cmd)
    except LaunchError as e:
        print(e, file=sys.stderr)
        status = e.status
    if status:
        print(f"run-iso: exit status {status} (0 is every guest powered "
              "off; see tools/lguest --help)", file=sys.stderr)
        try:
            with open(diag, errors="replace") as f:
                tail = f.read().splitlines()[-LOG_TAIL:]
        except OSError:
            tail = []
        if tail:
            print(f"run-iso: the end of {diag}:", file=sys.stderr)
            for line in tail:
                print("  " + line, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
