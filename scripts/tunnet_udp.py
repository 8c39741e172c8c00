#!/usr/bin/env python3
"""scripts/tunnet_udp.py: datagrams from the machine reach a --tunnet guest.

Runs tools/lguest --udp-forward=PORT --tunnet=10.0.2.2 with the guest
tests/boot/tunnet_udp_echo.c, which echoes UDP on 10.0.2.15:7, then sends
datagrams of random bytes to 127.0.0.1:PORT, one at a time, and expects
each back unchanged, byte for byte: QEMU's user-mode network, the host's
virtio-net NIC and --tunnet device, the guest and the way back. The sizes
are 1 and 1472 (the largest that fits one 1514-byte frame) and --count
(default 100) more drawn uniformly from 1..1472. Also checks the host's
counters at the end.

The payloads and sizes come from the SEED environment variable (as in
scripts/check.py; default: from the clock), printed on failure so a run
can be repeated.

Usage: scripts/tunnet_udp.py [--out build] [--count 100]
Prints PASS or FAIL; exit status 0 on PASS. Standard library only.
"""
import argparse
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time

from qemu_io import read_until

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_SIZE = 1472                # 1472 + 8 + 20 + 14 = 1514
SEED = int(os.environ.get("SEED", time.time_ns() % 1000000))


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def echo_once(sock, port, payload):
    """Send payload; return what came back (None after 3 tries of 5 s)."""
    for _ in range(3):
        sock.sendto(payload, ("127.0.0.1", port))
        try:
            data, _ = sock.recvfrom(4096)
            return data
        except socket.timeout:
            continue
    return None


def describe(sent, back):
    """What is wrong with an echo, in a few words."""
    if back is None:
        return "no echo after 3 tries"
    if len(back) != len(sent):
        return f"{len(back)} bytes came back"
    first = next(i for i in range(len(sent)) if sent[i] != back[i])
    return f"differs from byte {first} on"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")
    ap.add_argument("--count", type=int, default=100,
                    help="random sizes besides 1 and 1472")
    args = ap.parse_args()
    rng = random.Random(SEED)
    sizes = [1, MAX_SIZE] + [rng.randint(1, MAX_SIZE)
                             for _ in range(args.count)]
    elf = os.path.join(args.out, "tests", "boot", "tunnet_udp_echo.elf")
    port = free_udp_port()
    problems = []
    with tempfile.NamedTemporaryFile("w+", suffix=".diag") as diag:
        cmd = [os.path.join(ROOT, "tools", "lguest"), "--out", args.out,
               f"--diag={diag.name}", f"--udp-forward={port}",
               "--tunnet=10.0.2.2", "64", elf, f"count={len(sizes)}"]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        try:
            out = read_until(proc, b"READY")
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(5)
                for i, size in enumerate(sizes):
                    payload = rng.randbytes(size)
                    back = echo_once(s, port, payload)
                    if back != payload:
                        problems.append(f"datagram {i + 1} ({size} bytes): "
                                        + describe(payload, back))
            out += proc.stdout.read()
            status = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        text = out.decode(errors="replace").replace("\r", "")
        host_log = open(diag.name, errors="replace").read()
    if status != 0:
        problems.append(f"tools/lguest exit status {status}")
    echoed = [int(n) for n in re.findall(
        r"^echoed (\d+) bytes from 10\.0\.2\.2:\d+$", text, re.M)]
    if echoed != sizes:
        problems.append(f"the guest echoed {len(echoed)} datagrams, not "
                        f"{len(sizes)} of the sizes sent")
    if not re.search(r"^TEST tunnet_udp_echo PASS$", text, re.M):
        problems.append("no PASS line from the guest")
    counters = re.search(r"net device 0 \(--tunnet=10\.0\.2\.2\): sent "
                         rf"(\d+) frames .* 0 refused, 0 dropped", host_log)
    if not counters or int(counters.group(1)) < len(sizes):
        problems.append("host counters missing or short")
    if problems:
        print("FAIL tunnet_udp")
        for p in problems:
            print("    " + p)
        print("--- guest console ---\n" + "\n".join(text.splitlines()[-20:]))
        print("--- host log ---\n" + "\n".join(host_log.splitlines()[-10:]))
        print("--- command ---\n" + " ".join(cmd))
        print(f"--- random seed: SEED={SEED} ---")
        return 1
    print(f"PASS tunnet_udp (port {port}, {len(sizes)} datagrams of 1.."
          f"{MAX_SIZE} bytes, SEED={SEED})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
