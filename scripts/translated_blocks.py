#!/usr/bin/env python3
"""scripts/translated_blocks.py: what QEMU translates while the host starts.

Under TCG the host's start is mostly QEMU translating code that runs once
(docs/host-design.md "Boot", round 5): about 1.8 us a translated block
and 0.36 us a guest instruction on these machines, against a few
nanoseconds to run it again. Timing a start moves by 10-20 % from one
boot to the next; the blocks QEMU translates do not move at all. This
boots the host with one guest (`64 guest.elf run=poweroff`) under QEMU's
`-d in_asm`, takes the blocks from the host's first to the guest's first,
and prints how many there were, their instructions, the estimate, and the
functions they belong to (innermost inlined function, by addr2line).

Usage: scripts/translated_blocks.py [--out DIR] [--top N]
`make bench` prints the count beside "host_main -> first guest
instruction" (count()), and scripts/start_translation_check.py (`make
check`) fails if newlib's printf is among the functions.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "tools"))
from lglaunch import guests as guestargs        # noqa: E402
from lglaunch import qemu                       # noqa: E402

US_PER_BLOCK, US_PER_INSN = 1.8, 0.36
HOST_LOW, HOST_HIGH = 0x100000, 0x400000        # host/arch/linker.ld
GUEST_LOW = 0xc0000000                          # the guest's PAGE_OFFSET


def blocks(out, scratch, program=qemu.PROGRAM):
    """(first instruction's address, instructions) of each block QEMU
    translated, in order."""
    guests = guestargs.parse_all(["64", os.path.join(out, "guest.elf"),
                                  "run=poweroff"])
    log = os.path.join(scratch, "in_asm.log")
    cmd = qemu.command(guests, None, out, program,
                       os.path.join(scratch, "diag.log")) + [
        "-d", "in_asm", "-D", log]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    found, cur = [], None
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                cur = None
            elif re.match(r"0x[0-9a-f]+:", line):
                if cur is None:
                    cur = [int(line.split(":")[0], 16), 0]
                    found.append(cur)
                cur[1] += 1
    return found


def functions(elf, addrs):
    """Innermost function of each address (addr2line -i: innermost first)."""
    text = subprocess.run(["addr2line", "-e", elf, "-f", "-i", "-a"],
                          input="\n".join(hex(a) for a in addrs),
                          capture_output=True, text=True).stdout
    name, expect_addr = {}, None
    for line in text.splitlines():
        if line.startswith("0x"):
            expect_addr = int(line, 16)
        elif expect_addr is not None:
            name[expect_addr] = line
            expect_addr = None
    return name


def count(out, program=qemu.PROGRAM):
    """The host's start, as QEMU translates it: (blocks, instructions,
    estimated microseconds, [(function, blocks, microseconds)] dearest
    first)."""
    with tempfile.TemporaryDirectory() as scratch:
        all_blocks = blocks(out, scratch, program)
    is_host = [HOST_LOW <= a < HOST_HIGH for a, _ in all_blocks]
    if True not in is_host:
        raise SystemExit("translated_blocks: the host never ran")
    first = is_host.index(True)
    end = next((i for i in range(first, len(all_blocks))
                if all_blocks[i][0] >= GUEST_LOW), None)
    if end is None:
        raise SystemExit("translated_blocks: the guest never ran")
    start = [b for b in all_blocks[first:end] if HOST_LOW <= b[0] < HOST_HIGH]
    insns = sum(n for _, n in start)
    name = functions(os.path.join(out, "host.elf"),
                     sorted({a for a, _ in start}))
    cost, nblocks = collections.Counter(), collections.Counter()
    for a, n in start:
        cost[name.get(a, "?")] += US_PER_BLOCK + n * US_PER_INSN
        nblocks[name.get(a, "?")] += 1
    return (len(start), insns, len(start) * US_PER_BLOCK + insns * US_PER_INSN,
            [(fn, nblocks[fn], us) for fn, us in cost.most_common()])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "build"))
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    nblocks, insns, est, by_function = count(args.out)
    print(f"host start -> first guest instruction: {nblocks} blocks, "
          f"{insns} instructions, ~{est / 1000:.2f} ms to translate")
    for fn, n, us in by_function[:args.top]:
        print(f"  {us:6.0f} us {n:4d} blocks  {fn}")


if __name__ == "__main__":
    main()
