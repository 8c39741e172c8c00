#!/usr/bin/env python3
"""scripts/netbench.py: lgref's network, measured in one run (`make netbench`).

Two boots of the host:
  - guest to guest: two default guests on one --sharenet LAN. Guest 0
    (typed at) runs `udpecho` to guest 1 with random sizes up to 64 and up
    to 1472 bytes (round trips, as the guest's clock sees them), then
    `udpblast` at guest 1's discard port with 64- and 1472-byte datagrams.
    Guest 1 reports what arrived from its command line (`run=discard,MS`
    after each blast, lib/bootcmd.h), since it cannot be typed at.
  - outside to guest: one default guest on --tunnet=10.0.2.2 (QEMU's
    user-mode network), reached with --udp-forward=PORT: this script sends
    datagrams of 64 and 1472 bytes to 127.0.0.1:PORT, one at a time, and
    times each echo with the machine's clock.
Every echo is checked byte for byte. Prints one table. Never part of
`make check`. With --json PATH it also writes the figures there, with every
outside round trip (scripts/benchreport.py plots their distribution).

Usage: scripts/netbench.py [--out build] [--echoes 1000] [--blast 10000]
       [--outside 500] [--json build/bench/net.json]
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

from benchreport import save_part
from qemu_io import complete_lines, read_until

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LGUEST = os.path.join(ROOT, "tools", "lguest")
ECHO = re.compile(r"UDPECHO summary sent=(\d+) received=(\d+) bad=(\d+) "
                  r"rtt_us p50=(\d+) p99=(\d+) min=(\d+) max=(\d+)")
BLAST = re.compile(r"UDPBLAST sent=(\d+) failed=(\d+) seconds=([\d.]+) "
                   r"pps=(\d+)")
DISCARD = re.compile(rb"UDPDISCARD datagrams=(\d+) bytes=(\d+)")
IDLE_MS = 1000          # the receiver's quiet spell that ends a blast


def percentile(sorted_values, pct):
    """Nearest rank, as lib/stats.c computes it for the guest's figures."""
    rank = max(1, -(-pct * len(sorted_values) // 100))
    return sorted_values[rank - 1]


def type_line(proc, out, line, marker):
    """Type a command at guest 0 and read until `marker` (bytes, a regex)
    has appeared once more than it had before."""
    seen = len(re.findall(marker, out))
    proc.stdin.write(line.encode() + b"\r")
    proc.stdin.flush()
    while len(re.findall(marker, out)) <= seen:
        chunk = proc.stdout.read1(4096)
        if not chunk:
            sys.exit(f"netbench: QEMU ended during {line!r}:\n" +
                     out.decode(errors="replace")[-2000:])
        out += chunk
    return out


def finish(proc, out, diag, guests):
    """Power the guests off in turn (console input goes to the lowest
    live one), read to the end, wait for QEMU."""
    for n in range(guests):
        proc.stdin.write(b"poweroff\r")
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(diag, errors="replace") as f:
                if f"guest {n}: powered off" in complete_lines(f.read()):
                    break
            time.sleep(0.05)
    out += proc.stdout.read()
    proc.wait(timeout=30)
    return out


def guest_to_guest(args, scratch):
    """Boot two guests on a LAN; return ({size: echo row}, [blast rows])."""
    diag = os.path.join(scratch, "lan.log")
    elf = os.path.join(args.out, "guest.elf")
    cmd = [LGUEST, "--out", args.out, f"--diag={diag}",
           "--sharenet=bench", "64", elf, "ip=10.0.0.1/24", "--",
           "--sharenet=bench", "64", elf, "ip=10.0.0.2/24"] + \
        [f"run=discard,{IDLE_MS}"] * len(args.blast_sizes)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    try:
        out = read_until(proc, b"READY")
        out = read_until(proc, b"READY", out[out.index(b"READY") + 5:])
        echoes, blasts = {}, []
        for size in args.echo_sizes:
            out = type_line(proc, out, f"udpecho 10.0.0.2 {args.echoes} "
                            f"{size}", rb"UDPECHO summary[^\n]*\n")
            m = ECHO.findall(out.decode(errors="replace"))[-1]
            echoes[size] = [int(x) for x in m]
        for size in args.blast_sizes:
            out = type_line(proc, out, f"udpblast 10.0.0.2 {args.blast} "
                            f"{size}", rb"UDPDISCARD[^\n]*\n")
            text = out.decode(errors="replace")
            sent, failed, seconds, pps = BLAST.findall(text)[-1]
            got = [int(m[0]) for m in DISCARD.findall(out)]
            received = got[-1] - (got[-2] if len(got) > 1 else 0)
            blasts.append((size, int(sent), int(failed), received,
                           float(seconds), int(pps)))
        finish(proc, out, diag, 2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return echoes, blasts


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def outside_to_guest(args, scratch):
    """Boot one guest on --tunnet; return {size: [n, bad, p50, p99, min,
    max]} for echoes from this machine, in microseconds."""
    diag = os.path.join(scratch, "tun.log")
    port = free_udp_port()
    cmd = [LGUEST, "--out", args.out, f"--diag={diag}",
           f"--udp-forward={port}", "--tunnet=10.0.2.2", "64",
           os.path.join(args.out, "guest.elf"), "ip=10.0.2.15/24",
           "gw=10.0.2.2"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    rows, samples = {}, {}
    try:
        out = read_until(proc, b"READY")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(2)
            s.connect(("127.0.0.1", port))
            for size in args.echo_sizes:
                rtts, bad = [], 0
                for i in range(args.outside + 10):  # 10 to warm up (ARP)
                    payload = os.urandom(size)
                    t0 = time.perf_counter_ns()
                    s.send(payload)
                    try:
                        back = s.recv(4096)
                    except socket.timeout:
                        bad += 1
                        continue
                    t1 = time.perf_counter_ns()
                    if back != payload:
                        bad += 1
                    elif i >= 10:
                        rtts.append((t1 - t0) // 1000)
                rtts.sort()
                rows[size] = [len(rtts), bad, percentile(rtts, 50),
                              percentile(rtts, 99), rtts[0], rtts[-1]] \
                    if rtts else [0, bad, 0, 0, 0, 0]
                samples[size] = rtts
        finish(proc, out, diag, 1)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return rows, samples


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build"))
    ap.add_argument("--echoes", type=int, default=1000,
                    help="udpecho datagrams per size, guest to guest")
    ap.add_argument("--blast", type=int, default=10000,
                    help="udpblast datagrams per size")
    ap.add_argument("--outside", type=int, default=500,
                    help="echoes per size from this machine")
    ap.add_argument("--json", help="also write the figures here "
                    "(build/bench/net.json for scripts/benchreport.py)")
    args = ap.parse_args()
    args.echo_sizes = [64, 1472]
    args.blast_sizes = [64, 1472]
    with tempfile.TemporaryDirectory(dir=args.out) as scratch:
        echoes, blasts = guest_to_guest(args, scratch)
        outside, samples = outside_to_guest(args, scratch)

    print("UDP echo round trips, microseconds (guest to guest: random sizes "
          "1..N,\ntimed by guest 0's clock; outside: N bytes from "
          "127.0.0.1 through --udp-forward)")
    print(f"{'path':28s} {'size':>7s} {'echoes':>6s} {'bad':>4s} "
          f"{'p50':>6s} {'p99':>6s} {'min':>6s} {'max':>6s}")
    for size, (sent, got, bad, p50, p99, lo, hi) in echoes.items():
        print(f"{'guest 0 -> guest 1 (LAN)':28s} {'1..' + str(size):>7s} "
              f"{got:6d} {bad + sent - got:4d} {p50:6d} {p99:6d} {lo:6d} "
              f"{hi:6d}")
    for size, (got, bad, p50, p99, lo, hi) in outside.items():
        print(f"{'machine -> guest (tunnet)':28s} {size:7d} {got:6d} "
              f"{bad:4d} {p50:6d} {p99:6d} {lo:6d} {hi:6d}")
    print("\nudpblast guest 0 -> guest 1's discard port (sent: taken by the "
          "receiver's\nbuffers; failed: none free; pps: sent per second; "
          "loss: of all tried, not\ncounted by the receiver)")
    print(f"{'size':>5s} {'tried':>7s} {'sent':>7s} {'failed':>7s} "
          f"{'received':>8s} {'seconds':>8s} {'pps':>8s} {'loss':>6s}")
    for size, sent, failed, received, seconds, pps in blasts:
        tried = sent + failed
        print(f"{size:5d} {tried:7d} {sent:7d} {failed:7d} {received:8d} "
              f"{seconds:8.3f} {pps:8d} "
              f"{100 * (tried - received) / tried:5.1f}%")
    if args.json:
        echo_keys = ("sent", "received", "bad", "p50", "p99", "min", "max")
        out_keys = ("received", "bad", "p50", "p99", "min", "max")
        blast_keys = ("size", "sent", "failed", "received", "seconds", "pps")
        save_part(args.json, {
            "part": "net",
            "echo": {str(k): dict(zip(echo_keys, v))
                     for k, v in echoes.items()},
            "outside": {str(k): dict(zip(out_keys, v), samples=samples[k])
                        for k, v in outside.items()},
            "blast": [dict(zip(blast_keys, b)) for b in blasts]})


if __name__ == "__main__":
    main()
