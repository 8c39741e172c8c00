#!/usr/bin/env python3
"""scripts/tunnet_malformed.py: malformed frames from a real network stack
reach a --tunnet guest, which drops and counts each one and goes on.

The test makes its own network namespace (it runs itself again under
`unshare --net`), so the TAP device, its address and every frame on it
vanish with the namespace, whatever happens. In there it creates the TAP
lgtap0 (10.0.9.1/24, MTU 9000, IPv6 off so the kernel sends nothing of its
own) and starts the default guest on it:

    tools/lguest --tap=lgtap0 --tunnet=10.0.9.1 64 guest.elf \\
        ip=10.0.9.15/24 gw=10.0.9.1

From an AF_PACKET socket on the TAP it sends the guest, by its MAC (from
the boot line "net0: <mac> slot 1 ip ..."), one frame of each kind in
MALFORMED below, four too big for the guest (OVERSIZE), then good
traffic: an ICMP echo request and a UDP datagram to the echo port from the
namespace's own stack, and a `ping` from the guest. The guest's `net`
listing before and after must show exactly the expected rise in every
drop counter of lib/netstack.h (the "drop:" ones, read from that file, so
a new counter is covered too) and none elsewhere; the host's counters on
the diagnostic channel must show the frames it discarded as too big
(docs/host-design.md "Network (tunnet)"). Then the guest must still echo
a typed line, and power off cleanly.

What the outside cannot send: a frame shorter than an Ethernet header.
Linux refuses one on an Ethernet device (EINVAL, dev_validate_header()),
so the runt is the shortest frame there is, a bare 14-byte header. Should
a kernel ever let a shorter one through, the test expects the guest's
driver to count it (rx_bad_len, drivers/net.c) instead.

Usage: scripts/tunnet_malformed.py [--out build]
Needs root, unshare(1), ip(8) and /dev/net/tun; without them it FAILs,
never passes quietly. Prints PASS or FAIL; exit status 0 on PASS.
Standard library only.

Security: network peers | malformed frames from a real network stack through a TAP (runts, oversize, bad headers, checksums) | each dropped and counted; the guest still answers
"""
import argparse
import errno
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from qemu_io import complete_lines

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "tunnet_malformed"
INSIDE = "LGREF_TUNNET_MALFORMED_NETNS"   # set in the namespace's copy

TAP = "lgtap0"          # unique enough: the namespace is ours alone
TAP_MTU = 9000          # lets AF_PACKET send the jumbo frame of OVERSIZE
OUTSIDE_IP = "10.0.9.1"
GUEST_IP = "10.0.9.15"
ECHO_PORT = 7           # apps/netapp.c's UDP echo service
# The guest's prompt (apps/shell.c): "lgref[N]> ", N its guest id. One
# guest here, so a typed line shows on its prompt line, as typed.
PROMPT = r"lgref\[\d+\]> "
WAIT_S = 10             # longest wait for any one thing the guest does

ETH_IPV4, ETH_ARP = 0x0800, 0x0806
ETH_UNKNOWN = 0x88B5    # IEEE 802 "local experimental": nobody's protocol
PROTO_ICMP, PROTO_UDP = 1, 17

# Frames too big for the guest, by size with the Ethernet header. The host
# NIC's receive buffers are 2 KiB with a 10-byte virtio-net header in front
# (host/backends/virtio_net.c), so QEMU can hand the host frames of up to 2038
# bytes; the host discards any longer than the guest's free buffer (1514
# bytes, LGUEST_NET_BUF_SIZE) and counts it "too big". Without mergeable
# receive buffers QEMU itself drops a frame that does not fit one NIC
# buffer, so the jumbo frame never reaches the host at all.
NIC_FRAME_MAX = 2048 - 10
GUEST_FRAME_MAX = 1514
OVERSIZE = [GUEST_FRAME_MAX + 1, 1600, NIC_FRAME_MAX, TAP_MTU + 14]


class Failure(Exception):
    pass


# ------------------------------------------------------------------ frames

def inet_csum(data):
    """The Internet checksum (RFC 1071) of data, ready to store."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip_bytes(text):
    return socket.inet_aton(text)


def ipv4(proto, payload, total=None, frag=0, csum_delta=0, ident=0x4D41):
    """An IPv4 packet from OUTSIDE_IP to GUEST_IP. total overrides the
    total-length field, frag the flags and fragment offset word;
    csum_delta is added to a correct header checksum."""
    total = 20 + len(payload) if total is None else total
    head = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident, frag, 64,
                       proto, 0, ip_bytes(OUTSIDE_IP), ip_bytes(GUEST_IP))
    csum = (inet_csum(head) + csum_delta) & 0xFFFF
    return head[:10] + struct.pack("!H", csum) + head[12:] + payload


def icmp_echo(ident, seq, data):
    body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return body[:2] + struct.pack("!H", inet_csum(body)) + body[4:]


def udp(sport, dport, data, csum_delta=0):
    """A UDP datagram from OUTSIDE_IP to GUEST_IP; csum_delta is added to
    a correct checksum."""
    length = 8 + len(data)
    pseudo = struct.pack("!4s4sBBH", ip_bytes(OUTSIDE_IP),
                         ip_bytes(GUEST_IP), 0, PROTO_UDP, length)
    seg = struct.pack("!HHHH", sport, dport, length, 0) + data
    csum = inet_csum(pseudo + seg) or 0xFFFF
    csum = (csum + csum_delta) & 0xFFFF
    return seg[:6] + struct.pack("!H", csum) + seg[8:]


def arp_request(src_mac):
    return struct.pack("!HHBBH6s4s6s4s", 1, ETH_IPV4, 6, 4, 1, src_mac,
                       ip_bytes(OUTSIDE_IP), bytes(6), ip_bytes(GUEST_IP))


def malformed(dst, src):
    """[(what, frame, {counter: rise})]: one frame of each kind, all for
    the guest's MAC. Counters are lib/netstack.h's; every frame also
    counts once in rx_frames and in the driver's rx_taken. Nothing is
    padded on the way (AF_PACKET, the TAP, QEMU's virtio-net and the host
    pass a frame's length on as it is), which the exact counts show: a
    padded truncated header would be counted as something else."""
    def eth(ethertype, payload):
        return dst + src + struct.pack("!H", ethertype) + payload

    ping = icmp_echo(0x4D41, 1, bytes(range(32)))
    return [
        ("runt: a bare Ethernet header (IPv4, nothing after it)",
         eth(ETH_IPV4, b""), {"ip_in": 1, "ip_truncated": 1}),
        (f"unknown ethertype {ETH_UNKNOWN:#06x}",
         eth(ETH_UNKNOWN, bytes(46)), {"rx_unknown_type": 1}),
        ("IPv4 header checksum off by one",
         eth(ETH_IPV4, ipv4(PROTO_ICMP, ping, csum_delta=1)),
         {"ip_in": 1, "ip_bad_csum": 1}),
        ("IPv4 header cut at 12 of 20 bytes",
         eth(ETH_IPV4, ipv4(PROTO_ICMP, ping)[:12]),
         {"ip_in": 1, "ip_truncated": 1}),
        ("IPv4 total length 1000 in a 74-byte frame",
         eth(ETH_IPV4, ipv4(PROTO_ICMP, ping, total=1000)),
         {"ip_in": 1, "ip_bad_len": 1}),
        ("IPv4 first fragment (more fragments set)",
         eth(ETH_IPV4, ipv4(PROTO_ICMP, ping, frag=0x2000)),
         {"ip_in": 1, "ip_fragment": 1}),
        ("IPv4 last fragment (offset 1480)",
         eth(ETH_IPV4, ipv4(PROTO_ICMP, ping, frag=1480 // 8)),
         {"ip_in": 1, "ip_fragment": 1}),
        ("UDP header cut at 4 of 8 bytes",
         eth(ETH_IPV4, ipv4(PROTO_UDP, udp(40000, ECHO_PORT, b"")[:4])),
         {"ip_in": 1, "udp_in": 1, "udp_truncated": 1}),
        ("UDP checksum off by one, to the echo port",
         eth(ETH_IPV4, ipv4(PROTO_UDP, udp(40000, ECHO_PORT, b"bad sum",
                                           csum_delta=1))),
         {"ip_in": 1, "udp_in": 1, "udp_bad_csum": 1}),
        ("ARP cut at 20 of 28 bytes",
         eth(ETH_ARP, arp_request(src)[:20]),
         {"arp_in": 1, "arp_truncated": 1}),
    ]


def drop_counters():
    """The names of lib/netstack.h's drop counters (meaning "drop: ...")."""
    with open(os.path.join(ROOT, "lib", "netstack.h")) as f:
        names = re.findall(r'X\((\w+),\s*"drop:', f.read())
    if not names:
        raise Failure("found no drop counters in lib/netstack.h")
    return names


# ------------------------------------------------------------------ guest

class Console:
    """The guest's console: tools/lguest's stdin and stdout. A thread
    collects the output, so every wait can have a deadline."""

    def __init__(self, proc):
        self.proc = proc
        self.data = b""
        self.cv = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            with self.cv:
                if chunk:
                    self.data += chunk
                self.cv.notify_all()
            if not chunk:
                return

    def text(self):
        with self.cv:
            return self.data.decode(errors="replace").replace("\r", "")

    def mark(self):
        return len(self.text())

    def wait_for(self, pattern, since, what, timeout=WAIT_S, prompt=False):
        """The first match of pattern after offset since, in whole lines
        (a prompt, which ends in no newline, with prompt=True); Failure
        naming `what` if none came within timeout seconds."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                text = self.text()
                m = rx.search(text if prompt else complete_lines(text),
                              since)
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or not self.thread.is_alive():
                    raise Failure(f"no {what} on the guest's console "
                                  f"(waited for /{pattern}/)")
                self.cv.wait(min(left, 0.2))

    def type(self, line):
        """Type line and Enter; return the offset the answer starts at."""
        since = self.mark()
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()
        return since

    def command(self, line, what):
        """Type a command; return its output, up to the next prompt.
        A command is not echoed back as "echo: ..."; its keystrokes are,
        on the prompt line, so the output starts after that line."""
        since = self.type(line)
        # That line began before we typed (with the prompt), and a search
        # from an offset finds "^" only after a newline: start at the line.
        line_start = self.text().rfind("\n", 0, since) + 1
        start = self.wait_for("^" + PROMPT + re.escape(line) + "$",
                              line_start, f"prompt line of `{line}`").end()
        end = self.wait_for("^" + PROMPT, start, what,
                            prompt=True).start()
        return self.text()[start:end]


def net_counters(console):
    """Type `net`; return {("stack"|"driver", name): value} and the number
    of UDP echoes the guest says it made."""
    listing = console.command("net", "end of the `net` listing")
    counters = {}
    for m in re.finditer(r"^\s+(stack|driver):(.*)$", listing, re.M):
        for name, value in re.findall(r"(\w+)=(\d+)", m.group(2)):
            counters[(m.group(1), name)] = int(value)
    echoed = re.search(r"^udp echo on port \d+: (\d+) datagrams echoed$",
                       listing, re.M)
    if not counters or not echoed:
        raise Failure("cannot read the counters of `net`:\n" + listing)
    return counters, int(echoed.group(1))


# ------------------------------------------------------------------ outside

def sh(*cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise Failure(f"`{' '.join(cmd)}` failed: "
                      f"{(proc.stderr or proc.stdout).strip()}")
    return proc.stdout


def make_tap():
    """lgtap0 with OUTSIDE_IP/24, in this (private) namespace; its MAC.
    IPv6 goes off first, so the kernel sends the guest nothing of its own
    (router solicitations, MLD reports) to blur the counts."""
    sh("ip", "link", "set", "lo", "up")
    for conf in ("all", "default"):
        path = f"/proc/sys/net/ipv6/conf/{conf}/disable_ipv6"
        if os.path.exists(path):        # else the kernel has no IPv6
            with open(path, "w") as f:
                f.write("1")
    sh("ip", "tuntap", "add", "dev", TAP, "mode", "tap")
    sh("ip", "link", "set", TAP, "mtu", str(TAP_MTU), "up")
    sh("ip", "addr", "add", f"{OUTSIDE_IP}/24", "dev", TAP)
    return link_info()


def link_info():
    return json.loads(sh("ip", "-j", "link", "show", TAP))[0]


def wait_carrier():
    """QEMU has the TAP open once its carrier is up; before that, the
    kernel drops what we send."""
    deadline = time.monotonic() + WAIT_S
    while "LOWER_UP" not in link_info()["flags"]:
        if time.monotonic() > deadline:
            raise Failure(f"{TAP} has no carrier: QEMU did not attach")
        time.sleep(0.05)


def send_runt(raw, dst, src):
    """Try a 13-byte frame; True if the kernel sent it."""
    try:
        raw.send((dst + src + b"\x08\x00")[:13])
        return True
    except OSError as e:
        if e.errno != errno.EINVAL:
            raise
        return False


def ping_guest(tries=3):
    """ICMP echo to the guest from the namespace's stack (the kernel does
    the ARP); return the number of requests sent, or Failure."""
    ident = random.randrange(1, 0xFFFF)
    with socket.socket(socket.AF_INET, socket.SOCK_RAW,
                       socket.IPPROTO_ICMP) as s:
        s.settimeout(2)
        for seq in range(1, tries + 1):
            s.sendto(icmp_echo(ident, seq, b"still there?"), (GUEST_IP, 0))
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                try:
                    pkt, addr = s.recvfrom(2048)
                except socket.timeout:
                    break
                ihl = (pkt[0] & 0xF) * 4
                typ, _, _, rid, rseq = struct.unpack("!BBHHH",
                                                     pkt[ihl:ihl + 8])
                if (addr[0] == GUEST_IP and typ == 0 and rid == ident and
                        rseq == seq):
                    return seq
    raise Failure(f"no ICMP echo reply from {GUEST_IP} after {tries} "
                  "requests")


def udp_echo(tries=3):
    """A datagram to the guest's echo port; return the number sent."""
    payload = bytes(random.getrandbits(8) for _ in range(100))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((OUTSIDE_IP, 0))
        s.settimeout(2)
        for n in range(1, tries + 1):
            s.sendto(payload, (GUEST_IP, ECHO_PORT))
            try:
                data, addr = s.recvfrom(2048)
            except socket.timeout:
                continue
            if addr == (GUEST_IP, ECHO_PORT) and data == payload:
                return n
            raise Failure(f"UDP echo from {addr} differs")
    raise Failure(f"no UDP echo from {GUEST_IP}:{ECHO_PORT} after {tries} "
                  "datagrams")


# ------------------------------------------------------------------ test

def run(out, diag_path, log):
    """The test proper, inside the namespace. Returns a summary line;
    raises Failure. Fills log with the command, the console and the
    host's log, for the report of a failure."""
    guest = os.path.join(out, "guest.elf")
    for f in (guest, os.path.join(out, "host.elf")):
        if not os.path.isfile(f):
            raise Failure(f"{f} not built (run 'make')")
    drops = drop_counters()
    src = bytes.fromhex(make_tap()["address"].replace(":", ""))
    cmd = [os.path.join(ROOT, "tools", "lguest"), "--out", out,
           f"--diag={diag_path}", f"--tap={TAP}", f"--tunnet={OUTSIDE_IP}",
           "64", guest, f"ip={GUEST_IP}/24", f"gw={OUTSIDE_IP}"]
    log["command"] = " ".join(cmd)
    start = time.monotonic()
    # Its own process group: tools/lguest and its QEMU go together.
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    console = Console(proc)
    log["console"] = console
    try:
        m = console.wait_for(r"^net0: ([0-9a-f:]{17}) slot 1 ip " +
                             re.escape(GUEST_IP) + r"/24\b", 0,
                             "net0 boot line")
        dst = bytes.fromhex(m.group(1).replace(":", ""))
        console.wait_for("^READY$", 0, "READY")
        wait_carrier()
        before, echoed_before = net_counters(console)

        frames = malformed(dst, src)
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as raw:
            raw.bind((TAP, 0))
            short_sent = send_runt(raw, dst, src)
            for what, frame, _ in frames:
                if raw.send(frame) != len(frame):
                    raise Failure(f"{what}: short send")
            for size in OVERSIZE:
                frame = dst + src + struct.pack("!H", ETH_UNKNOWN)
                if raw.send(frame + bytes(size - len(frame))) != size:
                    raise Failure(f"{size}-byte frame: short send")
        # The frames reach the guest in order, so by the echo reply it
        # has taken every one before it.
        pings = ping_guest()
        udps = udp_echo()
        since = console.type(f"ping {OUTSIDE_IP} 1")
        console.wait_for(r"^PING reply from=" + re.escape(OUTSIDE_IP) +
                         r" seq=1 ", since, "reply to the guest's ping")
        console.wait_for("^" + PROMPT, since, "prompt after ping",
                         prompt=True)
        after, echoed_after = net_counters(console)

        # What each counter should have gained.
        want = {("stack", n): 0 for n in drops}
        want[("driver", "rx_bad_len")] = 1 if short_sent else 0
        for _, _, rises in frames:
            for name, rise in rises.items():
                if ("stack", name) in want:
                    want[("stack", name)] += rise
        want[("stack", "icmp_echo_requests")] = pings
        want[("stack", "udp_delivered")] = udps
        problems = []
        for key, rise in sorted(want.items()):
            if key not in before or key not in after:
                problems.append(f"counter {key[0]}.{key[1]} missing from "
                                "`net`")
            elif after[key] - before[key] != rise:
                problems.append(f"{key[0]}.{key[1]} rose by "
                                f"{after[key] - before[key]}, expected {rise}")
        if echoed_after - echoed_before != udps:
            problems.append(f"the guest echoed {echoed_after - echoed_before}"
                            f" datagrams, expected {udps} (a bad checksum "
                            "must not be echoed)")
        taken = (after[("driver", "rx_taken")] -
                 before[("driver", "rx_taken")])
        stack_in = (after[("stack", "rx_frames")] -
                    before[("stack", "rx_frames")])
        if stack_in + want[("driver", "rx_bad_len")] != taken:
            problems.append(f"the driver took {taken} frames but the stack "
                            f"saw {stack_in}")
        if stack_in < len(frames) + pings + udps:
            problems.append(f"the stack saw {stack_in} frames, fewer than "
                            f"the {len(frames) + pings + udps} sent")

        line = f"survived malformed frames {random.randrange(1 << 30)}"
        since = console.type(line)
        console.wait_for("^echo: " + re.escape(line) + "$", since,
                         "echo of a typed line")
        since = console.type("poweroff")
        console.wait_for("^powering off$", since, "powering off")
        try:
            status = proc.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            raise Failure("tools/lguest did not exit after poweroff")
        console.thread.join(timeout=5)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    seconds = time.monotonic() - start

    with open(diag_path, errors="replace") as f:
        host_log = f.read()
    log["host"] = host_log
    if status != 0:
        problems.append(f"tools/lguest exit status {status}, expected 0")
    text = console.text()
    for bad in ("PANIC", "FAIL"):
        if re.search(rf"^{bad}\b", text, re.M):
            problems.append(f"{bad} on the guest's console")
    bad = re.search(r"^(HOST PANIC.*|guest \d+ killed: .*)$", host_log, re.M)
    if bad:
        problems.append(f"host: {bad.group(1)}")
    if not re.search(r"^guest 0: powered off$", host_log, re.M):
        problems.append("no 'guest 0: powered off' on the host's log")
    # Every size from 1515 to the NIC's buffer is "too big"; larger ones
    # never reach the host. Nothing else is discarded.
    too_big = sum(1 for s in OVERSIZE if GUEST_FRAME_MAX < s <= NIC_FRAME_MAX)
    net = re.search(r"^guest 0: net device 0 \(--tunnet=" +
                    re.escape(OUTSIDE_IP) + r"\): sent \d+ frames .*, 0 "
                    r"refused, 0 dropped \(NIC busy\); received (\d+) "
                    r"frames .*; discarded (\d+) with no buffer bound, "
                    r"(\d+) too big, (\d+) for bad buffers$", host_log, re.M)
    if not net:
        problems.append("no (clean) net device counters on the host's log")
    else:
        got = [int(x) for x in net.groups()]
        final_taken = after[("driver", "rx_taken")]
        if got != [final_taken, 0, too_big, 0]:
            problems.append(f"host: received {got[0]}, discarded {got[1]} "
                            f"unbound, {got[2]} too big, {got[3]} bad "
                            f"buffers; expected {final_taken}, 0, "
                            f"{too_big}, 0")
    if not re.search(r"^guest 0: net device 0: virtio-net 0: .* 0 bad used "
                     r"entries$", host_log, re.M):
        problems.append("the host's NIC saw bad used entries")
    if problems:
        raise Failure("\n".join(problems))
    runt = "a 13-byte runt too" if short_sent else \
        "the kernel refused a 13-byte runt"
    return (f"{len(frames)} malformed frames counted by the guest, "
            f"{too_big} too big by the host, "
            f"{len(OVERSIZE) - too_big} jumbo dropped by QEMU; {runt}; "
            f"{seconds:.1f} s")


def inside(out):
    log = {}
    with tempfile.NamedTemporaryFile("w+", suffix=".diag") as diag:
        try:
            summary = run(out, diag.name, log)
        except (Failure, OSError, subprocess.SubprocessError) as e:
            print(f"FAIL {NAME}")
            detail = str(e) if isinstance(e, Failure) else \
                traceback.format_exc()
            for line in detail.splitlines():
                print("    " + line)
            if "console" in log:
                lines = log["console"].text().splitlines()
                print("--- guest console ---\n" + "\n".join(lines[-30:]))
            host = log.get("host") or open(diag.name, errors="replace").read()
            print("--- host log ---\n" + "\n".join(host.splitlines()[-10:]))
            if "command" in log:
                print("--- command ---\n" + log["command"])
            return 1
    print(f"PASS {NAME} ({summary})")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    if os.environ.get(INSIDE):
        return inside(out)
    missing = []
    if os.geteuid() != 0:
        missing.append(f"root (running as uid {os.geteuid()})")
    for tool in ("unshare", "ip"):
        if not shutil.which(tool):
            missing.append(f"{tool}(8) on PATH")
    if not os.path.exists("/dev/net/tun"):
        missing.append("/dev/net/tun (TUN/TAP support)")
    if missing:
        print(f"FAIL {NAME}: needs " + ", ".join(missing) + "; it makes a "
              "network namespace and a TAP device")
        return 1
    # The same script in a fresh network namespace, which goes away with
    # the last process in it (QEMU is killed before the script ends).
    env = dict(os.environ, **{INSIDE: "1"})
    proc = subprocess.run(["unshare", "--net", "--", sys.executable,
                           os.path.abspath(__file__), "--out", out], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    print(proc.stdout, end="")
    if not re.search(rf"^(PASS|FAIL) {NAME}\b", proc.stdout, re.M):
        print(f"FAIL {NAME}: `unshare --net` exit status {proc.returncode} "
              "and no verdict (could not make a network namespace?)")
        return 1
    return 0 if proc.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
