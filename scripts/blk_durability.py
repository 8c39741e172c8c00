#!/usr/bin/env python3
"""scripts/blk_durability.py: an acknowledged block write survives SIGKILL.

The requirement (docs/host-design.md "Block devices"): once the host has
told a guest result = 1 for a write, the data is in the image file, so
killing QEMU with SIGKILL at any moment after the acknowledgement loses
nothing. This script checks it end to end, on tools/lguest's machine
(tools/lglaunch/qemu.py), through the host's lguest block device and the
guest's block driver:

  1. boot the default guest on a fresh image with `bench=quick` (which
     writes all over the start of the disk) and the host's `blktrace`
     option, which logs every request as it reaches the disk (BLKREQ) and
     every acknowledgement (BLKACK) with an FNV-1a hash of a write's data;
  2. after a random number of acknowledged writes, SIGKILL QEMU;
  3. for every acknowledged write whose sectors no later request touched
     (a later acknowledged one, or the one still in flight), hash the
     image's bytes and compare.

Usage: scripts/blk_durability.py [--out build] [--rounds 4] [--seed N]
Exit status 0 if every round passed. Standard library only.

Security: devices and disks | QEMU killed with SIGKILL at random moments during block writes | every acknowledged write is in the image file
"""
import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

from qemu_io import complete_lines

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tools"))
from lglaunch import guests as guestargs        # noqa: E402
from lglaunch import qemu                       # noqa: E402
EVENT = re.compile(r"^(BLKREQ|BLKACK) guest=(\d+) dev=(\d+) (read|write) "
                   r"sector=(\d+) bytes=(\d+)(?: result=(\d) fnv=([0-9a-f]+))?")


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def events(text):
    """The BLKREQ/BLKACK events of a diagnostic log QEMU may still be
    writing (or was killed while writing): whole lines only."""
    for line in complete_lines(text.replace("\r", "")).splitlines():
        m = EVENT.match(line)
        if m:
            yield (m.group(1), m.group(4) == "write", int(m.group(5)),
                   int(m.group(6)), m.group(7), m.group(8))


def run_round(args, rng, scratch, n):
    image = os.path.join(scratch, f"disk{n}.img")
    with open(image, "wb") as f:
        f.truncate(16 << 20)
    diag = os.path.join(scratch, f"diag{n}.log")
    open(diag, "w").close()
    # tools/lguest's machine for `--block=IMAGE 64 guest.elf bench=quick`,
    # with "blktrace" on the host's command line.
    guests = guestargs.parse_all([f"--block={image}", "64",
                                  os.path.join(args.out, "guest.elf"),
                                  "bench=quick"])
    argv = qemu.command(guests, None, args.out, qemu.PROGRAM, diag,
                        host_words=["blktrace"])
    kill_after = rng.randint(1, args.max_acks)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + args.timeout
    acked = 0
    while proc.poll() is None and time.monotonic() < deadline:
        with open(diag, errors="replace") as f:
            acked = sum(1 for e in events(f.read())
                        if e[0] == "BLKACK" and e[1] and e[4] == "1")
        if acked >= kill_after:
            break
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with open(diag, errors="replace") as f:
        evs = list(events(f.read()))
    return verify(image, evs, kill_after, acked)


def verify(image, evs, kill_after, acked):
    """Check every acknowledged write nothing later overwrote."""
    touched = set()     # sectors of later requests, walking backwards
    checked = failed = 0
    problems = []
    with open(image, "rb") as f:
        for kind, is_write, sector, nbytes, result, fnv in reversed(evs):
            sectors = set(range(sector, sector + nbytes // 512))
            if kind == "BLKACK" and is_write and result == "1":
                if not sectors & touched:
                    f.seek(sector * 512)
                    got = fnv1a(f.read(nbytes))
                    checked += 1
                    if got != int(fnv, 16):
                        failed += 1
                        problems.append(f"write at sector {sector}, {nbytes} "
                                        f"bytes: image hash {got:08x}, "
                                        f"acknowledged {fnv}")
            if is_write:
                touched |= sectors
    writes = sum(1 for e in evs if e[0] == "BLKACK" and e[1])
    ok = failed == 0 and checked > 0
    print(f"{'PASS' if ok else 'FAIL'} killed after {writes} acknowledged "
          f"writes (aimed at {kill_after}): {checked} checked, {failed} lost")
    for p in problems[:10]:
        print("    " + p)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--max-acks", type=int, default=600)
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"blk_durability: seed {seed}")
    with tempfile.TemporaryDirectory(dir=args.out) as scratch:
        results = [run_round(args, rng, scratch, n)
                   for n in range(args.rounds)]
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
