#!/usr/bin/env python3
"""scripts/bench.py: lgref's benchmarks, measured in one run (`make bench`).

Every figure is printed next to its reference from the same run, as a
ratio, because these machines are noisy: absolute numbers drift, ratios
taken minutes apart do not. Never used by `make check`.

Cases so far:
  boot    QEMU start to exit: the host (banner, memory map, exit) against a
          null multiboot kernel that exits at once.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import time


def boot_once(cmd):
    t0 = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, timeout=60)
    if proc.returncode != 33:
        raise SystemExit(f"bench: {shlex.join(cmd)} exited {proc.returncode}")
    return time.monotonic() - t0


def time_boots(commands, runs=7):
    """Median wall time of each command, runs interleaved so drift in the
    machine's load hits every command alike."""
    samples = [[] for _ in commands]
    for _ in range(runs):
        for i, cmd in enumerate(commands):
            samples[i].append(boot_once(cmd))
    return [statistics.median(s) for s in samples]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="build")
    ap.add_argument("--qemu", default="qemu-system-i386")
    ap.add_argument("--qemu-opts", default="")
    args = ap.parse_args()

    base = [args.qemu] + shlex.split(args.qemu_opts) + ["-serial", "null"]
    null_cmd = base + ["-kernel", os.path.join(args.out, "tests",
                                                "null-multiboot.elf")]
    host_cmd = base + ["-kernel", os.path.join(args.out, "host.elf"),
                       "-append", "exit=0x10"]
    boot_once(null_cmd)           # warm the page cache for both
    boot_once(host_cmd)
    null_s, host_s = time_boots([null_cmd, host_cmd])
    print("case\tours_ms\treference_ms\tratio")
    print(f"boot_to_exit\t{host_s * 1e3:.1f}\t{null_s * 1e3:.1f}\t"
          f"{host_s / null_s:.2f}")
    print()
    print(f"  host boot to exit        {host_s * 1e3:8.1f} ms (median of 7)")
    print(f"  null multiboot kernel    {null_s * 1e3:8.1f} ms (QEMU's floor)")
    print(f"  host / null              {host_s / null_s:8.2f}")


if __name__ == "__main__":
    main()
