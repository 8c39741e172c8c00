#!/usr/bin/env python3
"""scripts/blkbench.py: the guest's block I/O next to the physical limit.

`make blkbench` boots the host ROUNDS times on one fresh disk image. Each
boot runs, one after the other on the same disk:
  - the host's native benchmark (host command line "blkbench", which
    drives the virtio-blk disk itself and prints NATIVE lines), then
  - the default guest's benchmark through the lguest block device
    (guest command line "bench=AMOUNT benchreport=full": BENCH lines on
    its console; without benchreport=full the boot-time run prints one
    summary line, apps/shell.c).
It then prints, per case, the medians of both and their ratio, and the host's
per-request cost split (exits, host time, copying, notify, disk) from the
guest's end-of-run counters. Never part of `make check`. With --json PATH
it also writes those medians there (scripts/benchreport.py reads them).

Usage: scripts/blkbench.py [--out build] [--rounds 3] [--amount quick]
       [--json build/bench/blk.json]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

from benchreport import save_part
from qemu_io import power_off, read_until

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tools"))
from lglaunch import guests as guestargs        # noqa: E402
from lglaunch import qemu                       # noqa: E402

LINE = re.compile(r"^(NATIVE|BENCH) case=(\S+) size=(\d+)(?: ops=\d+)? "
                  r"ops_s=([\d.]+) mb_s=([\d.]+) p50_us=([\d.]+) "
                  r"p99_us=([\d.]+)", re.M)
SPLIT = re.compile(r"per (read|write): ([\d.]+) exits, (\d+) us in the "
                   r"host's SEND_DMA \((\d+) copying and checking\), disk "
                   r"(\d+) us \(notify (\d+)\)")
# The host's medians for the guest's 4 KiB reads alone (host/dev/block.c;
# the middle of a 250 ns bucket), the like of the native benchmark's 4 KiB
# request p50.
READ4K = re.compile(r"block device \d+: \d+ 4 KiB reads: disk p50 ([\d.]+) "
                    r"us \(notify p50 ([\d.]+) us\)")


def boot(args, image, scratch):
    """One boot, as tools/lguest runs `--block=IMAGE 64 guest.elf ...`,
    with "blkbench" on the host's command line: the host's native
    benchmark on disk 0 (it runs before any guest starts), then the
    guest's benchmark on the same disk. Returns (console, diagnostics)."""
    diag = os.path.join(scratch, "boot.log")
    guests = guestargs.parse_all([f"--block={image}", "64",
                                  os.path.join(args.out, "guest.elf"),
                                  f"bench={args.amount}", "benchreport=full"])
    cmd = qemu.command(guests, None, args.out, qemu.PROGRAM, diag,
                       host_words=["blkbench"] + args.host_args.split())
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    out = power_off(proc, read_until(proc, b"\nREADY"), 120)
    text = out.decode(errors="replace")
    with open(diag, errors="replace") as f:
        log = f.read()
    if "NATIVE done\n" not in log:
        sys.exit("blkbench: the native benchmark failed:\n" + log[-2000:])
    if "every read verified" not in text:
        sys.exit("blkbench: the guest benchmark failed:\n" + text[-2000:])
    return text, log


def collect(store, text, kind):
    for m in LINE.finditer(text.replace("\r", "")):
        if m.group(1) == kind:
            store.setdefault(m.group(2), []).append(
                [float(m.group(i)) for i in range(3, 8)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--amount", default="quick",
                    choices=["quick", "normal", "full"])
    ap.add_argument("--image-dir", default=None,
                    help="where the scratch disk image lives (default: "
                    "--out); e.g. /dev/shm to take the filesystem's "
                    "fsync out of every write")
    ap.add_argument("--host-args", default="",
                    help='more host command-line words, e.g. "blkcache=flush"')
    ap.add_argument("--json", help="also write the medians here "
                    "(build/bench/blk.json for scripts/benchreport.py)")
    args = ap.parse_args()
    nat, gst, split, read4k = {}, {}, {}, []
    image_dir = args.image_dir or args.out
    with tempfile.TemporaryDirectory(dir=image_dir) as scratch:
        image = os.path.join(scratch, "disk.img")
        with open(image, "wb") as f:
            f.truncate(64 << 20)
        for _ in range(args.rounds):
            console, diag = boot(args, image, scratch)
            collect(nat, diag, "NATIVE")
            collect(gst, console, "BENCH")
            for m in SPLIT.finditer(diag):
                split.setdefault(m.group(1), []).append(
                    [float(m.group(i)) for i in range(2, 7)])
            for m in READ4K.finditer(diag):
                read4k.append([float(m.group(1)), float(m.group(2))])
    med = lambda rows, i: statistics.median(r[i] for r in rows)
    print(f"Block I/O, medians of {args.rounds} rounds (guest amount "
          f"{args.amount}, image in {image_dir}); ratio = guest ops/s / "
          "native ops/s; latencies in µs")
    print(f"{'case':18s} {'size':>6s} {'native/s':>9s} {'guest/s':>9s} "
          f"{'guestMB/s':>9s} {'ratio':>6s} {'nat p50':>8s} {'gst p50':>8s} "
          f"{'nat p99':>8s} {'gst p99':>8s}")
    for case, rows in nat.items():
        if case not in gst:
            continue
        g = gst[case]
        size = int(med(rows, 0))
        print(f"{case:18s} {size:6d} {med(rows, 1):9.0f} "
              f"{med(g, 1):9.0f} {med(g, 1) * size / 1e6:9.1f} "
              f"{med(g, 1) / med(rows, 1):6.2f} "
              f"{med(rows, 3):8.0f} {med(g, 3):8.0f} {med(rows, 4):8.0f} "
              f"{med(g, 4):8.0f}")
    print("\nHost-side cost per guest request (averages; µs):")
    print(f"{'':6s} {'exits':>6s} {'in SEND_DMA':>12s} {'copy+check':>11s} "
          f"{'notify':>7s} {'disk':>6s}")
    for kind, rows in split.items():
        print(f"{kind:6s} {med(rows, 0):6.1f} {med(rows, 1):12.0f} "
              f"{med(rows, 2):11.0f} {med(rows, 4):7.0f} {med(rows, 3):6.0f}")
    split_4k = {}
    if read4k:
        split_4k = {"disk_4k_us": med(read4k, 0),
                    "notify_4k_us": med(read4k, 1)}
        print(f"4 KiB reads only (the host's p50s): disk "
              f"{split_4k['disk_4k_us']:.1f} µs, notify "
              f"{split_4k['notify_4k_us']:.1f} µs")
    if args.json:
        fields = ("size", "ops_s", "mb_s", "p50_us", "p99_us")
        medians = lambda rows: {f: med(rows, i) for i, f in enumerate(fields)}
        save_part(args.json, {
            "part": "blk", "rounds": args.rounds, "amount": args.amount,
            "image_dir": image_dir,
            "cases": {case: {"native": medians(rows),
                             "guest": medians(gst[case])}
                      for case, rows in nat.items() if case in gst},
            "split": {kind: dict(zip(("exits", "send_dma_us", "copy_us",
                                      "disk_us", "notify_us"),
                                     (med(rows, i) for i in range(5))),
                                 **(split_4k if kind == "read" else {}))
                      for kind, rows in split.items()}})


if __name__ == "__main__":
    main()
