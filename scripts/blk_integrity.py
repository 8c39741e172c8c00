#!/usr/bin/env python3
"""scripts/blk_integrity.py: block data checked against the image file.

Two directions, each through tools/lguest, the host's lguest block device
and the guest's driver (the guest is tests/boot/blk_integrity.c):

  guest to disk  the guest writes lib/pattern.c's self-describing sectors
                 with a random seed; we regenerate every sector here, with
                 our own copy of the generator, and compare the image's
                 bytes; the sectors after them must still be zero;
  disk to guest  we fill an image with random bytes; the guest reads them
                 and prints their CRC-32, which must equal zlib's.

Usage: scripts/blk_integrity.py [--out build] [--seed N]
Prints a PASS or FAIL line per direction; exit status 0 if both passed.
Standard library only.

Security: devices and disks | random data through the block device, both ways | every byte equals the image file's
"""
import argparse
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTOR = 512
DISK_BYTES = 4 << 20
SECTORS = 3000          # not a multiple of the guest's 128-sector chunks
M32 = 0xFFFFFFFF


def seed_state(sector, seed):
    """lib/pattern.c's pattern_seed_state(), written again from its rules."""
    h = ((sector * 0x9E3779B1) ^ (seed * 0x85EBCA77) ^ 0x6C677265) & M32
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & M32
    h ^= h >> 16
    return h or 1


def pattern_sector(sector, seed):
    """One sector: its number, the seed, then xorshift32 words."""
    words = [sector, seed]
    x = seed_state(sector, seed)
    for _ in range(SECTOR // 4 - 2):
        x ^= (x << 13) & M32
        x ^= x >> 17
        x ^= (x << 5) & M32
        words.append(x)
    return struct.pack(f"<{SECTOR // 4}I", *words)


def run_guest(out, image, args):
    elf = os.path.join(out, "tests", "boot", "blk_integrity.elf")
    with tempfile.NamedTemporaryFile("w+", suffix=".diag") as diag:
        cmd = [os.path.join(ROOT, "tools", "lguest"), "--out", out,
               f"--diag={diag.name}", f"--block={image}", "32", elf] + args
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=300)
        return proc.returncode, proc.stdout + open(diag.name).read()


def guest_to_disk(out, scratch, seed):
    image = os.path.join(scratch, "write.img")
    with open(image, "wb") as f:
        f.truncate(DISK_BYTES)
    status, text = run_guest(out, image, ["mode=write", f"seed={seed}",
                                          f"sectors={SECTORS}"])
    if status != 0 or f"WROTE {SECTORS} sectors" not in text:
        return f"guest run failed (status {status}):\n{text[-1500:]}"
    data = open(image, "rb").read()
    for s in range(SECTORS):
        if data[s * SECTOR:(s + 1) * SECTOR] != pattern_sector(s, seed):
            return f"sector {s} differs from the pattern (seed {seed:#x})"
    if data[SECTORS * SECTOR:].count(0) != DISK_BYTES - SECTORS * SECTOR:
        return "bytes after the written sectors are not zero"
    return None


def disk_to_guest(out, scratch, rng):
    image = os.path.join(scratch, "read.img")
    data = rng.randbytes(DISK_BYTES)
    with open(image, "wb") as f:
        f.write(data)
    want = zlib.crc32(data[:SECTORS * SECTOR])
    status, text = run_guest(out, image, ["mode=crc32",
                                          f"sectors={SECTORS}"])
    m = re.search(r"CRC32 0x([0-9a-f]{8}) over (\d+) sectors", text)
    if status != 0 or not m:
        return f"guest run failed (status {status}):\n{text[-1500:]}"
    if int(m.group(1), 16) != want:
        return f"guest CRC-32 0x{m.group(1)}, zlib's 0x{want:08x}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="build")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1, 1 << 32)
    rng = random.Random(seed)
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for name, check in (("guest_to_disk", lambda: guest_to_disk(
                                args.out, scratch, seed & M32)),
                            ("disk_to_guest", lambda: disk_to_guest(
                                args.out, scratch, rng))):
            problem = check()
            if problem:
                failed += 1
                print(f"FAIL {name} (--seed {seed}): {problem}")
            else:
                print(f"PASS {name}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
