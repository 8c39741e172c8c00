#!/usr/bin/env python3
"""scripts/debug_check.py: the README's gdb session works (`make debug`).

Starts the demo as `make debug` does (tools/lguest --gdb, a scratch disk,
bench=quick) on a free port, then runs gdb in batch mode with the script
`make debug` writes (build/lgref.gdb): it must load the host's and the
guest's symbols and attach; a breakpoint in the guest's block driver
(blk_start, drivers/blk.c) must stop the guest in it, and one in the host's
SEND_DMA handler (dma_send) for a key other than the console's must stop
the host serving that block request. Then gdb kills QEMU.

Usage: scripts/debug_check.py [--out build]   (needs gdb; make deps has it)
Exit status 0 when both breakpoints were hit where they should be.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build"))
    args = ap.parse_args()
    script = os.path.join(args.out, "lgref.gdb")
    if not os.path.isfile(script):
        sys.exit(f"FAIL debug_check: {script} missing (make debug writes it)")
    port = free_tcp_port()
    with tempfile.TemporaryDirectory() as scratch:
        disk = os.path.join(scratch, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(16 << 20)
        lguest = subprocess.Popen(
            [os.path.join(ROOT, "tools", "lguest"), "--out", args.out,
             f"--gdb={port}", f"--block={disk}", "64",
             os.path.join(args.out, "guest.elf"), "bench=quick",
             "run=poweroff"],      # so a missed breakpoint ends the run
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        # QEMU listens before it runs anything; gdb retries the connection
        # for a while by itself (tcp connect-timeout, 15 s by default).
        cmd = ["gdb", "-nx", "-batch", "-x", script,
             "-ex", "break blk_start",
             "-ex", "continue",
             "-ex", "bt 2",
             "-ex", "delete",
             "-ex", "break dma_send if key != 0",
             "-ex", "continue",
             "-ex", "bt 2",
             "-ex", "kill"]
        problems = []
        try:
            gdb = subprocess.run(cmd, capture_output=True, text=True,
                                 env=dict(os.environ,
                                          LGREF_GDB_PORT=str(port)),
                                 timeout=120)
            out = gdb.stdout + gdb.stderr
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace")
            problems.append("gdb did not finish within 120 s")
        try:
            lguest.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lguest.terminate()      # tools/lguest takes QEMU with it
            lguest.wait()
    if not re.search(r"^Breakpoint 1, blk_start \(.*\) at drivers/blk\.c:\d+",
                     out, re.M):
        problems.append("the guest did not stop in blk_start "
                        "(drivers/blk.c)")
    m = re.search(r"^Breakpoint 2, dma_send \(.*key=(?:key@entry=)?(\d+)"
                  r".*\) at host/[\w/]*\.c:\d+", out, re.M)
    if not m or m.group(1) == "0":
        problems.append("the host did not stop in dma_send for a block "
                        "device's key")
    if problems:
        print("FAIL debug_check")
        for p in problems:
            print("    " + p)
        print("--- gdb ---\n" + "\n".join(out.splitlines()[-30:]))
        return 1
    print(f"PASS debug_check (gdb on port {port}: blk_start in the guest, "
          f"dma_send for key {m.group(1)} in the host)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
