#!/usr/bin/env python3
"""scripts/soak.py: `make soak`, sixteen guests on one host for ten minutes.

Not part of `make check` (it runs SOAK_SECONDS, 600 by default, plus a
minute of start and end). Two runs of tools/lguest:

1. Memory. Three guests that together ask for more memory than
   qemu-system-i386 can give (64 + 2047 + 2047 MiB): tools/lguest must
   warn that the third will not fit, the host must refuse it with a line
   that says why, the other two must run and power off, exit status 1.

2. Load: sixteen guests on one host (the most it takes), for SOAK_SECONDS:
     guest 0      answers an outside client through --tunnet: this script
                  sends it UDP through --udp-forward the whole time, one
                  datagram at a time, each checked byte for byte;
     guests 1-6   the block benchmark in a loop on a disk each (`bench
                  quick for S`), every read verified;
     guests 7-10  UDP over LAN "soaka", in a ring (7 -> 8 -> 9 -> 10 -> 7):
     guests 11-14 the same over LAN "soakb" (`udpecho ADDR for S`), each
                  serving its neighbour's echoes meanwhile;
     guest 15     hostile (tests/boot/soak_hostile.c), --respawn: each
                  launch tries the next attack of the kill_*/attack_*
                  family and must end as that attack deserves (killed,
                  crashed with its message escaped, or harmless), again
                  and again until the other guests are done.
   Every worker prints a progress line every 5 s (apps/progress.h).

Pass, all of:
  - nothing corrupted: no BENCH ERROR, every block loop "errors=0"; no
    datagram came back different (bad=0, dup=0, here and in the guests);
  - nothing lost on the LANs: every datagram a LAN took came back, in
    time or late (lost=0); the lguest network may refuse a frame when the
    receiver has no free buffer (the sender is told, NET_ETX), which is
    counted as "refused" and allowed. Through --tunnet, QEMU's user-mode
    network may drop UDP: a datagram is sent up to 3 times, and one that
    never came back is counted as lost, allowed but reported;
  - no guest stalls: no worker goes more than STALL_BOUND_S (30 s, six
    progress periods) between two progress lines, nor the outside client
    between two good echoes;
  - every hostile launch ended as its attack deserves, and before each
    re-launch the host's ledger of pages (free + held by guests and
    devices) was what was free before the first launch;
  - the host's free-page count at the end is what it was before the
    guests ("pages free, as before the guests"), every worker powered
    off, and the exit status is 1 (the hostile guest was killed).
Then the figures are printed (ops, datagrams, kills, re-launches, max
stall); with --seconds or SOAK_SECONDS shorter for a smoke run.

Usage: scripts/soak.py [--out build] [--seconds N] [--stall-bound S]
Exit status 0 on PASS. Standard library only.
"""
import argparse
import os
import random
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LGUEST = os.path.join(ROOT, "tools", "lguest")
SEED = int(os.environ.get("SEED", time.time_ns() % 1000000))

STALL_BOUND_S = 30
TAIL_S = 20             # UDP guests serve this long after their own loop
MEM_MB = 16
DISK_BYTES = 8 << 20
BLOCK_GUESTS = range(1, 7)
LANS = {"soaka": range(7, 11), "soakb": range(11, 15)}
TUNNET_GUEST, HOSTILE_GUEST = 0, 15
OUTSIDE_TRIES = 3
OUTSIDE_MAX = 1472

# tests/boot/soak_hostile.c's attacks, by launch number modulo 9, and how
# the host must end each launch (a line of its log about guest 15).
ATTACKS = [
    ("hcall_17", r" killed: Bad hypercall 17$"),
    ("pte_pfnlimit", r" killed: SET_PTE .*frame 0xfffff"),
    ("dma_key", r" killed: SEND_DMA: .*key 0x2"),
    ("dma_wrap", r" killed: console SEND_DMA: "),
    ("ds_base", r": powered off$"),
    ("log_inject", r": CRASH: soak"),
    ("gdt_33", r" killed: LOAD_GDT: 33 entries"),
    ("data_straddle", r" killed: LGUEST_INIT: bad guest page"),
    ("stack_rpl0", r" killed: SET_STACK: "),
]

PROGRESS = re.compile(r"^(BENCHLOOP|UDPECHO|SERVE)\[(\d+)\] (.*)$")


def guest_ip(g):
    """Device 0 of guest g on a LAN, without ip= (README "Networks")."""
    return f"10.0.0.{g + 1}"


def counts(text):
    """'sent=3 ok=2 ...' -> {'sent': 3, 'ok': 2, ...}"""
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", text)}


# ------------------------------------------------------------------ memory

def memory_phase(out, problems):
    """Guests asking for more than the machine has: a clear refusal for
    the one that does not fit; the others start and power off."""
    guest = os.path.join(out, "guest.elf")
    cmd = [LGUEST, "--out", out, "64", guest, "run=poweroff", "--", "2047",
           guest, "run=poweroff", "--", "2047", guest, "run=poweroff"]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=300)
    err, bad = p.stderr, []
    if p.returncode != 1:
        bad.append(f"exit status {p.returncode}, not 1")
    for pat in (r"^lguest: warning: 3rd guest: 2047 MiB will not fit",
                r"^lguest: .*guest\.elf: cannot get 2047 MiB of host "
                r"memory \(\d+ MiB free\)",
                r"^guest 0: powered off$", r"^guest 1: powered off$",
                r"^lgref host: \d+ pages free, as before the guests$"):
        if not re.search(pat, err, re.M):
            bad.append(f"no line matching {pat!r}")
    if p.stdout.count("READY") != 2:
        bad.append(f"{p.stdout.count('READY')} guests READY, not 2")
    for b in bad:
        problems.append("memory: " + b)
    refusal = re.search(r"^lguest: .*cannot get .*$", err, re.M)
    return refusal.group(0) if refusal else None


# ------------------------------------------------------------------ load

class Console:
    """tools/lguest's standard output (COM1), whole lines, each with the
    time it arrived."""

    def __init__(self, proc):
        self.proc = proc
        self.lines = []                 # (time, text)
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for raw in iter(self.proc.stdout.readline, b""):
            if not raw.endswith(b"\n"):
                break                   # cut short at the end: not a line
            text = raw.decode(errors="replace").rstrip("\r\n")
            with self.lock:
                self.lines.append((time.monotonic(), text))

    def wait_for(self, pattern, timeout):
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < end and self.proc.poll() is None:
            with self.lock:
                new = self.lines[seen:]
                seen = len(self.lines)
            for _, text in new:
                if rx.search(text):
                    return True
            time.sleep(0.2)
        return False


class Outside:
    """The outside client of the --tunnet guest: datagrams to
    127.0.0.1:port, one at a time, each naming itself (sequence number
    and seed first), sent up to OUTSIDE_TRIES times a second apart, every
    echo checked byte for byte against what that datagram was."""

    def __init__(self, port):
        self.port = port
        self.stop = threading.Event()
        self.sent = self.ok = self.retries = self.lost = self.bad = 0
        self.late = 0
        self.ok_times = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _payload(self, seq):
        rng = random.Random(SEED * 1000003 + seq)
        body = rng.randbytes(rng.randint(0, OUTSIDE_MAX - 8))
        return struct.pack("<II", seq, SEED) + body

    def _run(self):
        recent = {}
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(1.0)
            seq = 0
            while not self.stop.is_set():
                seq += 1
                payload = self._payload(seq)
                recent[seq] = payload
                recent.pop(seq - 1000, None)
                self.sent += 1
                got = False
                for attempt in range(OUTSIDE_TRIES):
                    if attempt:
                        self.retries += 1
                    s.sendto(payload, ("127.0.0.1", self.port))
                    deadline = time.monotonic() + 1.0
                    while not got and time.monotonic() < deadline:
                        try:
                            data, _ = s.recvfrom(4096)
                        except socket.timeout:
                            break
                        got = self._sort(data, seq, recent)
                    if got:
                        break
                if got:
                    self.ok += 1
                    self.ok_times.append(time.monotonic())
                else:
                    self.lost += 1

    def _sort(self, data, seq, recent):
        """True when data is the echo of datagram seq."""
        if len(data) < 8:
            self.bad += 1
            return False
        n, seed = struct.unpack_from("<II", data)
        if seed != SEED or n not in recent or recent[n] != data:
            self.bad += 1
            return False
        if n == seq:
            return True
        self.late += 1          # an earlier try's echo, or a late one
        return False


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_command(out, scratch, seconds, port):
    """The sixteen guests (see the top of this file)."""
    guest = os.path.join(out, "guest.elf")
    hostile = os.path.join(out, "tests", "boot", "soak_hostile.elf")
    specs = [None] * 16
    specs[TUNNET_GUEST] = ["--tunnet=10.0.2.2", str(MEM_MB), guest,
                           f"run=serve,{seconds + TAIL_S}",
                           "run=poweroff"]
    for g in BLOCK_GUESTS:
        disk = os.path.join(scratch, f"disk{g}.img")
        with open(disk, "wb") as f:
            f.truncate(DISK_BYTES)
        specs[g] = [f"--block={disk}", str(MEM_MB), guest,
                    f"run=bench,quick,for,{seconds}", "run=poweroff"]
    for lan, ring in LANS.items():
        ring = list(ring)
        for i, g in enumerate(ring):
            peer = ring[(i + 1) % len(ring)]
            specs[g] = [f"--sharenet={lan}", str(MEM_MB), guest,
                        f"run=udpecho,{guest_ip(peer)},for,{seconds}",
                        f"run=serve,{TAIL_S}", "run=poweroff"]
    specs[HOSTILE_GUEST] = ["--sharenet=hostile", "--respawn", str(MEM_MB),
                            hostile, "wait=500"]
    cmd = [LGUEST, "--out", out, f"--diag={os.path.join(scratch, 'diag')}",
           f"--udp-forward={port}"]
    for i, spec in enumerate(specs):
        cmd += (["--"] if i else []) + spec
    return cmd


def stalls(console_lines):
    """Per worker guest: the longest time between two of its progress
    lines, from its first periodic line (the start, and a UDP guest's wait
    for its peer, are not steady work) to its last line."""
    times = {}
    for t, text in console_lines:
        m = PROGRESS.match(text)
        if not m:
            continue
        g, rest = int(m.group(2)), m.group(3)
        if g not in times and re.search(r"\bstart\b", rest):
            continue
        times.setdefault(g, []).append(t)
    return {g: max((b - a for a, b in zip(ts, ts[1:])), default=0.0)
            for g, ts in times.items()}


def check_hostile(console, diag, problems):
    """Every launch of guest 15 ended as its attack deserves; every
    ledger at a re-launch was even. Returns the figures."""
    fig = {"launches": 0, "killed": 0, "crashed": 0, "powered_off": 0,
           "ledgers": 0, "even": 0, "attacks": {}}
    launch = None
    prefix = f"guest {HOSTILE_GUEST}"
    for line in diag.splitlines():
        m = re.match(rf"^{prefix}: \S*soak_hostile\.elf, {MEM_MB} MiB, .*"
                     r'command line "(.*)"$', line)
        if m:
            r = re.search(r"\brelaunch=(\d+)", m.group(1))
            launch = int(r.group(1)) if r else 0
            fig["launches"] += 1
            continue
        if line.startswith(f"{prefix}: relaunch "):
            fig["ledgers"] += 1
            if line.endswith(", as before the first launch"):
                fig["even"] += 1
            else:
                problems.append(f"ledger: {line}")
            continue
        end = re.match(rf"^{prefix}( killed: |: CRASH: |: powered off$)",
                       line)
        if not end:
            continue
        kind = {" killed: ": "killed", ": CRASH: ": "crashed"}.get(
            end.group(1), "powered_off")
        fig[kind] += 1
        if launch is None:
            problems.append(f"hostile: an end with no launch: {line}")
            continue
        name, want = ATTACKS[launch % len(ATTACKS)]
        if re.search(rf"^{prefix}{want}", line):
            fig["attacks"][name] = fig["attacks"].get(name, 0) + 1
        else:
            problems.append(f"hostile launch {launch} ({name}) ended "
                            f"otherwise: {line}")
        launch = None
    if fig["launches"] < len(ATTACKS):
        problems.append(f"hostile: only {fig['launches']} launches, fewer "
                        f"than the {len(ATTACKS)} attacks")
    if fig["ledgers"] != fig["launches"] - 1:
        problems.append(f"hostile: {fig['ledgers']} ledger lines for "
                        f"{fig['launches'] - 1} re-launches")
    final = re.search(rf"^{prefix}: launched (\d+) times \(--respawn\): "
                      r"(\d+) powered off, (\d+) crashed, (\d+) killed$",
                      diag, re.M)
    if not final or [int(x) for x in final.groups()] != [
            fig["launches"], fig["powered_off"], fig["crashed"],
            fig["killed"]]:
        problems.append(f"hostile: the host's own count "
                        f"{final.group(0) if final else 'is missing'}, "
                        f"mine {fig}")
    if not re.search(rf"^{prefix}: --respawn: no guest without it runs any "
                     r"more; not relaunched$", diag, re.M):
        problems.append("hostile: the host never said it stopped "
                        "re-launching")
    if re.search(r"^SOAKFORGED", diag, re.M):
        problems.append("hostile: a forged line reached the host's log")
    if any("SOAKHOSTILE FAIL" in t for _, t in console):
        problems.append("hostile: an attack was not stopped")
    return fig


def check_workers(console, problems):
    """The done lines of guests 0-14, and what they say."""
    done, fig = {}, {"block_ops": 0, "block_verified": 0, "passes": 0,
                     "lan_sent": 0, "lan_ok": 0, "lan_late": 0,
                     "lan_lost": 0, "lan_refused": 0, "served": 0}
    for _, text in console:
        if text.startswith("BENCH ERROR"):
            problems.append(f"block: {text}")
        m = PROGRESS.match(text)
        if m and re.match(r"(\S+ )?(done|stopped)", m.group(3)):
            done[(m.group(1), int(m.group(2)))] = m.group(3)
    for g in BLOCK_GUESTS:
        line = done.get(("BENCHLOOP", g))
        c = counts(line or "")
        if not line or not line.startswith("lgba done") or \
                c.get("errors") != 0:
            problems.append(f"guest {g}: block loop ended {line!r}")
            continue
        fig["block_ops"] += c["ops"]
        fig["block_verified"] += c["verified"]
        fig["passes"] += c["passes"]
    for ring in LANS.values():
        for g in ring:
            line = done.get(("UDPECHO", g))
            c = counts(line or "")
            if not line or not line.startswith("done"):
                problems.append(f"guest {g}: udpecho ended {line!r}")
                continue
            for k in ("bad", "dup", "lost"):
                if c[k]:
                    problems.append(f"guest {g}: {k}={c[k]}: {line}")
            if not c["ok"]:
                problems.append(f"guest {g}: no echo came back: {line}")
            for k in ("sent", "ok", "late", "lost", "refused"):
                fig["lan_" + k] += c[k]
            if not done.get(("SERVE", g), "").startswith("done"):
                problems.append(f"guest {g}: its serve tail did not end")
    line = done.get(("SERVE", TUNNET_GUEST), "")
    if not line.startswith("done"):
        problems.append(f"guest {TUNNET_GUEST}: serve ended {line!r}")
    else:
        fig["served"] = counts(line)["echoed"]
    return fig


def load_phase(out, seconds, bound, problems):
    port = free_udp_port()
    with tempfile.TemporaryDirectory(prefix="soak.", dir=out) as scratch:
        cmd = load_command(out, scratch, seconds, port)
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        err_thread = threading.Thread(target=proc.stderr.read, daemon=True)
        err_thread.start()
        console = Console(proc)
        outside = Outside(port)
        try:
            if console.wait_for(rf"^SERVE\[{TUNNET_GUEST}\] start", 120):
                outside.thread.start()
                client_end = time.monotonic() + seconds
                while time.monotonic() < client_end and proc.poll() is None:
                    time.sleep(1)
            else:
                problems.append("the --tunnet guest never started serving")
            outside.stop.set()
            status = proc.wait(timeout=seconds + 600 -
                               (time.monotonic() - start))
        except subprocess.TimeoutExpired:
            problems.append("tools/lguest still ran long after the end; "
                            "killed")
            proc.kill()
            status = proc.wait()
        finally:
            outside.stop.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if outside.thread.is_alive():
                outside.thread.join(10)
            proc.stdin.close()
            console.thread.join(30)
        elapsed = time.monotonic() - start
        with open(os.path.join(scratch, "diag"), errors="replace") as f:
            diag = f.read()
        diag = diag[:diag.rfind("\n") + 1]
        lines = list(console.lines)
    if status != 1:
        problems.append(f"tools/lguest exit status {status}, not 1")
    fig = {"elapsed": elapsed, "status": status}
    fig.update(check_workers(lines, problems))
    fig["hostile"] = check_hostile(lines, diag, problems)
    for g in range(HOSTILE_GUEST):
        if not re.search(rf"^guest {g}: powered off$", diag, re.M):
            problems.append(f"guest {g} did not power off")
    pages = re.search(r"^lgref host: (\d+) pages free, as before the "
                      r"guests$", diag, re.M)
    if not pages:
        problems.append("the host's free-page count at the end is not "
                        "what it was before the guests")
    fig["pages"] = int(pages.group(1)) if pages else None
    for m in re.finditer(r"^guest \d+: block device \d+ \(--block=[^)]*\):"
                         r" \d+ reads, \d+ writes, (\d+) failed", diag,
                         re.M):
        if int(m.group(1)):
            problems.append(f"host: {m.group(0)}")
    st = stalls(lines)
    for g in range(HOSTILE_GUEST):
        if g not in st:
            problems.append(f"guest {g}: no progress lines")
    worst = max(st.items(), key=lambda kv: kv[1], default=(None, 0.0))
    gaps = [b - a for a, b in zip(outside.ok_times, outside.ok_times[1:])]
    fig["stall"] = worst
    fig["outside_stall"] = max(gaps, default=0.0)
    for g, gap in st.items():
        if gap > bound:
            problems.append(f"guest {g} stalled {gap:.1f} s (bound "
                            f"{bound} s)")
    if fig["outside_stall"] > bound:
        problems.append(f"the outside client waited "
                        f"{fig['outside_stall']:.1f} s for an echo")
    if outside.bad:
        problems.append(f"outside: {outside.bad} echoes came back "
                        "different")
    if not outside.ok:
        problems.append("outside: no echo came back")
    fig["outside"] = outside
    return fig, diag, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")
    ap.add_argument("--seconds", type=int,
                    default=int(os.environ.get("SOAK_SECONDS", 600)))
    ap.add_argument("--stall-bound", type=float, default=STALL_BOUND_S,
                    help="seconds a worker may go without progress")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    for need in ("host.elf", "guest.elf", "tests/boot/soak_hostile.elf"):
        if not os.path.isfile(os.path.join(out, need)):
            print(f"FAIL soak: {need} not built (make soak builds it)")
            return 1
    problems = []
    print(f"soak: memory, then 16 guests for {args.seconds} s (SEED={SEED})",
          flush=True)
    refusal = memory_phase(out, problems)
    if args.seconds < 10:
        print("soak: --seconds must be at least 10")
        return 2
    fig, diag, lines = load_phase(out, args.seconds, args.stall_bound,
                                  problems)
    h, o = fig["hostile"], fig["outside"]
    print(f"memory: 64 + 2047 + 2047 MiB asked; two ran, the third was "
          f"refused: {refusal}")
    print(f"load: 16 guests, {args.seconds} s of work, {fig['elapsed']:.0f} "
          f"s in all, exit status {fig['status']}")
    print(f"  block (6 guests): {fig['block_ops']} requests, "
          f"{fig['block_verified']} reads verified, {fig['passes']} "
          "benchmark runs, 0 errors" if fig["block_ops"] else
          "  block: no figures")
    print(f"  LANs (8 guests): {fig['lan_sent']} datagrams, "
          f"{fig['lan_ok']} echoed in time, {fig['lan_late']} late, "
          f"{fig['lan_lost']} lost, {fig['lan_refused']} refused by the "
          "LAN, 0 corrupted")
    print(f"  outside through --tunnet: {o.sent} datagrams, {o.ok} echoed "
          f"({o.retries} resent), {o.lost} lost, {o.bad} corrupted; the "
          f"guest echoed {fig['served']}")
    print(f"  hostile: {h['launches']} launches ({h['launches'] - 1} "
          f"re-launches): {h['killed']} killed, {h['crashed']} crashed, "
          f"{h['powered_off']} harmless; each attack stopped as it "
          "deserves: " + ", ".join(f"{name} {h['attacks'].get(name, 0)}"
                                    for name, _ in ATTACKS))
    print(f"  pages: {h['even']} of {h['ledgers']} ledgers at re-launches "
          "even (free + held = free before the first launch); at the end "
          + (f"{fig['pages']} pages free, as before the guests"
             if fig["pages"] else "NOT as before the guests"))
    g, gap = fig["stall"]
    print(f"  longest stall: {gap:.1f} s (guest {g}); outside client "
          f"{fig['outside_stall']:.1f} s; bound {args.stall_bound:g} s")
    if problems:
        print("FAIL soak")
        for p in problems[:40]:
            print("    " + p)
        print("--- last console lines ---")
        for _, t in lines[-15:]:
            print("    " + t)
        print("--- last host log lines ---")
        for t in diag.splitlines()[-15:]:
            print("    " + t)
        print(f"--- SEED={SEED} ---")
        return 1
    print("PASS soak")
    return 0


if __name__ == "__main__":
    sys.exit(main())
