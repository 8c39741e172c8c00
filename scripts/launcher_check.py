#!/usr/bin/env python3
"""scripts/launcher_check.py: tools/lguest end to end, as a user meets it.

Cases, one PASS/FAIL line each:
  - bad input, refused before QEMU starts with exit status 2 and a message
    naming the argument and the fix: empty, text, 64-bit, directory and
    missing images; memory too small, too large; "-5",
    "-- 32"; bzImages whose payload is truncated or corrupt; a --tunnet
    that is not the guest's first network device;
  - --help (every option, the status table) and --version (the same
    version as the host's and the guest's banners);
  - guests that ask for more memory in all than QEMU can give: lguest
    warns which will not fit, QEMU gets its most, the host refuses that
    one with a line that says why and runs the others (status 1);
  - --respawn refused with --block or --tunnet, or without =N when no
    other guest would end the run;
  - the status table, each QEMU exit code through a stand-in QEMU, plus
    real boots: power-off (0), a crash and a kill (1); QEMU missing (4);
  - bzImage: build/guest.bzImage boots (READY, status 0), the host names
    the bzImage, and no temporary file is left; --dry-run keeps the
    converted ELF and prints its path;
  - signals: SIGTERM, SIGHUP and SIGINT to tools/lguest end QEMU before
    tools/lguest exits 128+N; a SIGKILLed tools/lguest takes QEMU along
    (PR_SET_PDEATHSIG); every boot uses the same --block image, so each
    one also shows the last left no write lock on it;
  - the host log: `2>>log` keeps what the file held, `>log 2>&1` keeps
    both console and log, a socket as standard error works;
  - --tunnet without ip=: the guest gets A.B.C.15 and answers UDP through
    --udp-forward.
No case depends on timing: waits are for whole lines, with long limits
that only a hang reaches.

Usage: scripts/launcher_check.py [--out build]
Needs build/host.elf, guest.elf, guest.bzImage, tests/boot/guest_fault.elf
and kill_hcall_11.elf (make check builds them). Exit status 0 when every
case passed. Standard library only.

Security: images and launch | bad images, memory sizes, arguments and corrupt bzImages given to tools/lguest | refused before QEMU starts, status 2, a message naming the fix
"""
import argparse
import ctypes
import glob
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LGUEST = os.path.join(ROOT, "tools", "lguest")
WAIT_S = 120                 # only a hang gets near this
REFUSE_S = 30                # the same for what must not start QEMU
PR_SET_CHILD_SUBREAPER = 36
FORWARDED = (signal.SIGINT, signal.SIGHUP, signal.SIGTERM)

results = []


class Failure(Exception):
    pass


def case(name):
    """Decorator: run the case, record PASS or FAIL with the reason."""
    def wrap(fn):
        def run(*args):
            try:
                detail = fn(*args)
                results.append(True)
                print(f"PASS {name}" + (f" ({detail})" if detail else ""),
                      flush=True)
            except Failure as e:
                results.append(False)
                print(f"FAIL {name}: {e}", flush=True)
            except Exception:
                results.append(False)
                print(f"FAIL {name}: exception\n{traceback.format_exc()}",
                      flush=True)
        return run
    return wrap


def default_signals():
    """In the child: the signals tools/lguest forwards start at their
    defaults, whatever this script inherited (a CI job may ignore
    SIGINT), so that tools/lguest installs its handlers."""
    for s in FORWARDED:
        signal.signal(s, signal.SIG_DFL)


def lguest(args, timeout=WAIT_S, **kw):
    """Run tools/lguest to its end, in its own session: on a timeout the
    whole session (QEMU too) is killed and the case fails."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    proc = subprocess.Popen([LGUEST] + args, text=True,
                            start_new_session=True,
                            preexec_fn=default_signals, **kw)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise Failure(f"tools/lguest {' '.join(args)}: still running after "
                      f"{timeout} s") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def expect(proc, status, pattern=None, stream="stderr"):
    """Exit status and one whole line of output matching pattern."""
    text = getattr(proc, stream)
    if proc.returncode != status:
        raise Failure(f"exit status {proc.returncode}, expected {status}; "
                      f"{stream}: {text.strip()[-600:]!r}")
    if pattern and not re.search(pattern, text, re.M):
        raise Failure(f"no line matching {pattern!r} in {stream}: "
                      f"{text.strip()[-600:]!r}")
    return text


def refused(args, pattern):
    # Refusing takes no boot: a long limit still, for a loaded machine.
    proc = lguest(args, timeout=REFUSE_S)
    expect(proc, 2, pattern)
    if "qemu" in proc.stderr.lower() and "lguest:" not in proc.stderr:
        raise Failure("QEMU seems to have run")
    return None


class Boot:
    """tools/lguest running in its own session; the console read by a
    thread, whole lines only."""

    def __init__(self, args, stderr=None, stdout=subprocess.PIPE):
        self.proc = subprocess.Popen(
            [LGUEST] + args, stdin=subprocess.PIPE, stdout=stdout,
            stderr=stderr, start_new_session=True,
            preexec_fn=default_signals)
        self.buf = b""
        self.cond = threading.Condition()
        self.reader = None
        if stdout == subprocess.PIPE:
            self.reader = threading.Thread(target=self._read, daemon=True)
            self.reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(65536)
            with self.cond:
                if not chunk:
                    self.buf += b"\n<EOF>\n"
                    self.cond.notify_all()
                    return
                self.buf += chunk
                self.cond.notify_all()

    def text(self):
        with self.cond:
            data = self.buf
        text = data.decode(errors="replace").replace("\r", "")
        return text[:text.rfind("\n") + 1]

    def wait_line(self, pattern, what):
        deadline = time.monotonic() + WAIT_S
        regex = re.compile(pattern, re.M)
        with self.cond:
            while True:
                text = self.text_locked()
                if regex.search(text):
                    return text
                if "\n<EOF>\n" in text:
                    raise Failure(f"{what}: tools/lguest closed its output "
                                  f"first; console: {text[-600:]!r}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"{what}: not seen in {WAIT_S} s; "
                                  f"console: {text[-600:]!r}")
                self.cond.wait(left)

    def text_locked(self):
        text = self.buf.decode(errors="replace").replace("\r", "")
        return text[:text.rfind("\n") + 1]

    def wait(self):
        try:
            return self.proc.wait(WAIT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise Failure(f"tools/lguest still running after {WAIT_S} s")

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def close(self):
        if self.proc.poll() is None:
            self.kill()
        if self.reader:
            self.reader.join(WAIT_S)


def children(pid):
    """Pids whose parent is pid, with their start times (from /proc)."""
    kids = {}
    for path in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(path) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids[int(path.split("/")[2])] = fields[19]
    return kids


def alive(pid, start):
    """The process pid started at `start` still exists (zombie or not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19] == start
    except OSError:
        return False


def interleaved(line):
    """A regex for a whole console line into which the host log's relay
    may have put whole lines of its own (`>log 2>&1`: QEMU writes the
    console byte by byte, the relay a line at a time, to one file)."""
    gap = r"(?:[^\n]*\n)*?"
    return r"(?:^|\n)" + gap.join(re.escape(c) for c in line) + gap + r"\n"


# ------------------------------------------------------------------ cases

class Ctx:
    def __init__(self, out, scratch):
        self.out = out
        self.scratch = scratch
        self.guest = os.path.join(out, "guest.elf")
        self.bzimage = os.path.join(out, "guest.bzImage")
        self.disk = os.path.join(scratch, "disk.img")
        self.version = None

    def path(self, name, data=None):
        p = os.path.join(self.scratch, name)
        if data is not None:
            with open(p, "wb") as f:
                f.write(data)
        return p

    def base(self):
        return ["--out", self.out]


@case("bad image: empty file")
def bad_empty(c):
    return refused(c.base() + ["64", c.path("empty.img", b"")],
                   r"^lguest: .*empty\.img: the file is empty \(0 bytes\): "
                   r"expected an ELF vmlinux or a bzImage$")


@case("bad image: text file")
def bad_text(c):
    return refused(c.base() + ["64", c.path("notes.txt", b"just text\n" * 9)],
                   r"^lguest: .*notes\.txt: neither ELF nor a bzImage "
                   r"\(starts 6a 75 73 74; .*\): give an ELF vmlinux")


@case("bad image: 64-bit ELF")
def bad_elf64(c):
    data = bytearray(open(c.guest, "rb").read())
    data[4] = 2
    return refused(c.base() + ["64", c.path("elf64", bytes(data))],
                   r"^lguest: .*elf64: a 64-bit ELF \(ELFCLASS64\): .*build "
                   r"it for i386")


@case("bad image: a directory")
def bad_dir(c):
    return refused(c.base() + ["64", c.scratch],
                   r"^lguest: .*: is a directory; give the kernel image file$")


@case("bad image: no such file")
def bad_missing(c):
    return refused(c.base() + ["64", c.path("missing.elf")],
                   r"^lguest: .*missing\.elf: no such file$")


@case("bad image: bzImage header without a gzip payload")
def bad_bz_nogzip(c):
    head = open(c.bzimage, "rb").read()[:1024]
    return refused(c.base() + ["64", c.path("nogz", head + bytes(4096))],
                   r"^lguest: .*nogz: a bzImage, but no gzip header")


@case("bad bzImage: truncated payload")
def bad_bz_truncated(c):
    data = open(c.bzimage, "rb").read()
    return refused(c.base() + ["64", c.path("trunc.bz", data[:-2000])],
                   r"^lguest: .*trunc\.bz: a bzImage, but the gzip payload "
                   r"at byte 1024 is truncated")


@case("bad bzImage: corrupt payload (deflate data)")
def bad_bz_corrupt(c):
    data = bytearray(open(c.bzimage, "rb").read())
    data[1024 + 10] = 0x07        # first deflate block: reserved type 3
    return refused(c.base() + ["64", c.path("corrupt.bz", bytes(data))],
                   r"^lguest: .*corrupt\.bz: a bzImage, but the gzip "
                   r"payload at byte 1024 is corrupt \(.*invalid block type")


@case("bad bzImage: corrupt payload (CRC)")
def bad_bz_crc(c):
    data = bytearray(open(c.bzimage, "rb").read())
    data[-8] ^= 0x01              # the CRC32 in the gzip trailer
    return refused(c.base() + ["64", c.path("crc.bz", bytes(data))],
                   r"^lguest: .*crc\.bz: a bzImage, but the gzip payload at "
                   r"byte 1024 is corrupt \(.*incorrect data check")


@case("memory: too small for the image")
def mem_small(c):
    return refused(c.base() + ["1", c.guest],
                   r"^lguest: 1 MiB is too little for .*guest\.elf: the "
                   r"kernel ends at 0x[0-9a-f]+, .*give it at least \d+ MiB$")


@case("memory: exactly what the image needs boots")
def mem_exact(c):
    # The launcher's least memory is one the host accepts (no stricter
    # than host/rules/loader.c), and one MiB less is refused.
    p = lguest(c.base() + ["1", c.guest])
    need = int(re.search(r"at least (\d+) MiB", p.stderr).group(1))
    refused(c.base() + [str(need - 1), c.guest], r"too little")
    # Loaded is what counts here; how far so small a guest then gets is
    # the guest's business (status 0, or 1 if it ran out of memory).
    p = lguest(c.base() + [str(need), c.guest, "run=poweroff"])
    expect(p, p.returncode if p.returncode in (0, 1) else 0,
           r"^guest 0: .*guest\.elf, %d MiB, entry 0x" % need)
    return f"{need} MiB"


@case("memory: more than the host's 2047 MiB per guest")
def mem_large(c):
    return refused(c.base() + ["5000", c.guest],
                   r"^lguest: memory size 5000: more than the host's limit "
                   r"of 2047 MiB per guest$")


@case("memory: more than fits below 4 GiB in all: refused, the others run")
def mem_total(c):
    # 64 + 2047 + 2047 MiB: the third cannot fit in what QEMU can give.
    # lguest warns which, QEMU gets its most, the host refuses that guest
    # with a clear line and runs the others; one guest failed: status 1.
    three = ["64", c.guest, "run=poweroff", "--", "2047", c.guest,
             "run=poweroff", "--", "2047", c.guest, "run=poweroff"]
    dry = lguest(c.base() + ["--dry-run"] + three)
    expect(dry, 0)
    if "3583" not in dry.stdout.split():
        raise Failure(f"QEMU does not get its 3583 MiB: {dry.stdout!r}")
    p = lguest(c.base() + three)
    expect(p, 1, r"^lguest: warning: the guests' memory adds up to 4158 "
           r"MiB; .* more than the 3583 MiB qemu-system-i386 gives below "
           r"4 GiB .*: QEMU gets 3583 MiB, and the host launches the guests "
           r"in order while its memory lasts")
    expect(p, 1, r"^lguest: warning: 3rd guest: 2047 MiB will not fit: the "
           r"guests before it leave about \d+ MiB: the host will refuse it$")
    if re.search(r"^lguest: warning: (1st|2nd) guest: \d+ MiB (will|may) "
                 r"not fit", p.stderr, re.M):
        raise Failure(f"a guest that fits was warned: {p.stderr!r}")
    expect(p, 1, r"^lguest: .*guest\.elf: cannot get 2047 MiB of host "
           r"memory \(\d+ MiB free\)")
    for n in (0, 1):
        expect(p, 1, rf"^guest {n}: powered off$")
    expect(p, 1, r"^lgref host: \d+ pages free, as before the guests$")
    if p.stdout.count("READY") != 2:
        raise Failure(f"{p.stdout.count('READY')} guests were READY, not 2")
    if len(re.findall(r"^guest \d: .*guest\.elf, \d+ MiB", p.stderr,
                      re.M)) != 2:
        raise Failure("not exactly two guests launched")
    return "2 of 3 guests ran, the third refused"


@case("--respawn: refused where a re-launch could not work")
def respawn_refused(c):
    refused(c.base() + ["--respawn=2", f"--block={c.disk}", "64", c.guest],
            r"^lguest: --block=\S+ and --respawn: the host gives the n-th "
            r"--block the n-th disk, so a re-launch could not have it back")
    refused(c.base() + ["--tunnet=10.0.2.2", "--respawn", "64", c.guest,
                        "--", "64", c.guest],
            r"^lguest: 1st guest: --tunnet=10\.0\.2\.2 and --respawn: ")
    refused(c.base() + ["--respawn", "64", c.guest],
            r"^lguest: --respawn without =N re-launches the guest while a "
            r"guest without it .* there is none")
    refused(c.base() + ["--respawn=0", "64", c.guest],
            r"^lguest: --respawn=0: expected --respawn or --respawn=N, N "
            r"from 1 to 1000000$")


@case("memory: above what the guest can map warns")
def mem_warn(c):
    p = lguest(c.base() + ["--dry-run", "1500", c.guest])
    expect(p, 0, r"^lguest: warning: 1500 MiB is more than the 1024 MiB "
           r"that the initial page tables can map at its page_offset "
           r"0xc0000000")
    p = lguest(c.base() + ["--dry-run", "1024", c.guest])
    if "warning" in p.stderr:
        raise Failure(f"1024 MiB warned: {p.stderr!r}")


@case("command line: -5")
def cmd_minus5(c):
    return refused(c.base() + ["-5"],
                   r"^lguest: -5: unknown option: a memory size is a "
                   r"positive number of megabytes")


@case("command line: -- 32")
def cmd_dash32(c):
    refused(c.base() + ["--", "32"],
            r"^lguest: 1st guest is empty \(nothing before the first '--'\)")
    refused(c.base() + ["64", c.guest, "--", "32"],
            r"^lguest: 2nd guest: 32: a memory size but no image after it")


@case("command line: nothing")
def cmd_empty(c):
    return refused(c.base(), r"^lguest: no guest given$")


@case("command line: --tunnet after --sharenet")
def cmd_tunnet_second(c):
    return refused(c.base() + ["--sharenet=lan", "--tunnet=10.0.2.2", "64",
                               c.guest],
                   r"^lguest: --tunnet=10\.0\.2\.2 is the guest's network "
                   r"device 1, after --sharenet=lan; .*put --tunnet first$")


@case("--help")
def help_text(c):
    for flag in ("--help", "-h"):
        p = lguest([flag])
        expect(p, 0, r"^usage: lguest ", stream="stdout")
    text = p.stdout
    for opt in ("--out", "--qemu", "--diag=", "--dry-run", "--udp-forward=",
                "--tap=", "--help", "--version", "--verbose", "--block=",
                "--sharenet=", "--tunnet=", "--initrd=", "<mem-in-mb>"):
        if not re.search(r"^\s+(-\w, )?" + re.escape(opt), text, re.M):
            raise Failure(f"{opt} is not described")
    for status in ("0", "1", "2", "3", "4", r"128\+N"):
        if not re.search(rf"^  {status} +\S", text, re.M):
            raise Failure(f"exit status {status} is not in the table")


@case("--version")
def version(c):
    p = lguest(["--version"])
    text = expect(p, 0, r"^lguest \(lgref\) \S+$", stream="stdout")
    c.version = text.split()[-1]
    want = open(os.path.join(ROOT, "VERSION")).read().strip()
    if c.version != want:
        raise Failure(f"{c.version} is not VERSION's {want}")
    return c.version


@case("status: QEMU exit codes through a stand-in QEMU")
def status_fake(c):
    fake = c.path("fake-qemu")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\nexit \"$FAKE_QEMU_EXIT\"\n")
    os.chmod(fake, 0o755)
    table = {33: 0, 35: 1, 37: 1, 39: 3, 41: 1, 0: 4, 1: 4, 43: 4}
    for code, want in table.items():
        p = lguest(c.base() + ["--qemu", fake, "64", c.guest],
                   env=dict(os.environ, FAKE_QEMU_EXIT=str(code)))
        expect(p, want, r"^lguest: .*fake-qemu (exited|failed)" if want == 4
               else None)
    return "33 35 37 39 41 0 1 43"


@case("status: QEMU missing")
def status_no_qemu(c):
    p = lguest(c.base() + ["--qemu", c.path("no-such-qemu"), "64", c.guest])
    expect(p, 4, r"^lguest: .*no-such-qemu: no such file or directory "
           r"\(install QEMU")


@case("status: a guest powers off, with matching versions")
def status_poweroff(c):
    p = lguest(c.base() + ["64", c.guest, "run=poweroff"])
    expect(p, 0, r"^READY$", stream="stdout")
    host = re.search(r"^lgref host (\S+): ", p.stderr, re.M)
    guest = re.search(r"^lgref guest (\S+): ", p.stdout, re.M)
    if not host or not guest:
        raise Failure("no host or guest banner")
    if c.version and {host.group(1), guest.group(1)} != {c.version}:
        raise Failure(f"lguest {c.version}, host {host.group(1)}, guest "
                      f"{guest.group(1)}")
    return f"lguest, host and guest {host.group(1)}"


@case("status: a guest crashes")
def status_crash(c):
    elf = os.path.join(c.out, "tests", "boot", "guest_fault.elf")
    p = lguest(c.base() + ["64", elf])
    expect(p, 1, r"^guest 0: CRASH: PANIC: page fault")


@case("status: a guest is killed")
def status_killed(c):
    elf = os.path.join(c.out, "tests", "boot", "kill_hcall_11.elf")
    p = lguest(c.base() + ["64", elf])
    expect(p, 1, r"^guest 0 killed: Bad hypercall 11")


@case("bzImage: boots, named by the host, leaves no file")
def bz_boot(c):
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "lguest-*")))
    p = lguest(c.base() + ["64", c.bzimage, "run=poweroff"])
    expect(p, 0, r"^READY$", stream="stdout")
    expect(p, 0, r"^guest 0: .*guest\.bzImage, 64 MiB, entry 0xc010[0-9a-f]{4}"
           r", page_offset 0xc0000000,")
    after = set(glob.glob(os.path.join(tempfile.gettempdir(), "lguest-*")))
    if after - before:
        raise Failure(f"left behind: {sorted(after - before)}")


@case("bzImage: --dry-run keeps the converted ELF")
def bz_dry_run(c):
    p = lguest(c.base() + ["--dry-run", "64", c.bzimage, "a=b"])
    expect(p, 0, r"^lguest: .*guest\.bzImage: bzImage converted to \S+\.elf "
           r"\(kept for --dry-run\)$")
    path = re.search(r"converted to (\S+\.elf)", p.stderr).group(1)
    try:
        with open(path, "rb") as f:
            head = f.read(64)
        machine = struct.unpack_from("<H", head, 18)[0]
        if head[:4] != b"\x7fELF" or machine != 3:
            raise Failure(f"{path} is not an i386 ELF")
        module = re.escape(f"{path} 64 {c.bzimage} a=b")
        expect(p, 0, module, stream="stdout")
    finally:
        os.unlink(path)


def boot_until_ready(c, args, stderr):
    b = Boot(c.base() + args, stderr=stderr)
    try:
        b.wait_line(r"^READY$", "READY")
        qemus = children(b.proc.pid)
        if len(qemus) != 1:
            raise Failure(f"tools/lguest has children {qemus}, not one QEMU")
    except BaseException:
        b.close()
        raise
    return b, qemus


def signal_case(c, sig):
    log = c.path(f"sig{sig}.log")
    with open(log, "wb") as err:
        b, qemus = boot_until_ready(c, [f"--block={c.disk}", "64", c.guest],
                                    err)
    try:
        os.kill(b.proc.pid, sig)
        status = b.wait()
    finally:
        b.close()
    if status != 128 + sig:
        raise Failure(f"exit status {status}, expected {128 + sig}; log: "
                      f"{open(log).read()[-400:]!r}")
    left = [pid for pid, start in qemus.items() if alive(pid, start)]
    if left:
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        raise Failure(f"QEMU {left} outlived tools/lguest")
    return f"status {status}, QEMU gone, --block image reopened"


@case("signals: SIGTERM")
def sig_term(c):
    return signal_case(c, signal.SIGTERM)


@case("signals: SIGHUP")
def sig_hup(c):
    return signal_case(c, signal.SIGHUP)


@case("signals: SIGINT")
def sig_int(c):
    return signal_case(c, signal.SIGINT)


@case("QEMU runs without transparent huge pages")
def no_thp(c):
    # tools/lglaunch/qemu.py's no_transparent_hugepages(): QEMU inherits
    # PR_SET_THP_DISABLE from tools/lguest, so its first write into each
    # 2 MiB of guest RAM does not clear a whole huge page.
    b, qemus = boot_until_ready(c, ["64", c.guest], subprocess.DEVNULL)
    try:
        (pid, _), = qemus.items()
        with open(f"/proc/{pid}/status") as f:
            field = re.search(r"^THP_enabled:\s*(\d+)$", f.read(), re.M)
        os.kill(b.proc.pid, signal.SIGTERM)
        status = b.wait()
    finally:
        b.close()
    if not field:
        raise Failure(f"/proc/{pid}/status has no THP_enabled line")
    if field.group(1) != "0":
        raise Failure(f"QEMU {pid} has THP_enabled {field.group(1)}, not 0")
    return f"THP_enabled 0; tools/lguest status {status} on SIGTERM"


@case("signals: SIGKILL takes QEMU along")
def sig_kill(c):
    # This script is a subreaper: an orphaned QEMU becomes our child,
    # and we wait for it to go.
    b, qemus = boot_until_ready(c, [f"--block={c.disk}", "64", c.guest],
                                subprocess.DEVNULL)
    try:
        os.kill(b.proc.pid, signal.SIGKILL)
        b.proc.wait(WAIT_S)
    finally:
        if b.reader:
            b.reader.join(WAIT_S)
    deadline = time.monotonic() + WAIT_S
    for pid, start in qemus.items():
        while alive(pid, start):
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    break
            except ChildProcessError:
                pass
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                raise Failure(f"QEMU {pid} still running {WAIT_S} s after "
                              "tools/lguest was killed")
            time.sleep(0.05)


@case("signals: the --block image opens after all that")
def sig_after(c):
    p = lguest(c.base() + [f"--block={c.disk}", "64", c.guest,
                           "run=poweroff"])
    expect(p, 0, r"^READY$", stream="stdout")


@case("log: 2>>log keeps what the file held")
def log_append(c):
    log = c.path("append.log", b"an earlier line\n")
    with open(log, "ab") as err:
        p = subprocess.run([LGUEST] + c.base() + ["64", c.guest,
                                                  "run=poweroff"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=err, timeout=WAIT_S,
                           preexec_fn=default_signals)
    text = open(log, errors="replace").read()
    if p.returncode != 0:
        raise Failure(f"exit status {p.returncode}: {text[-400:]!r}")
    if not text.startswith("an earlier line\n"):
        raise Failure(f"the earlier content is gone: {text[:200]!r}")
    if not re.search(r"^lgref host \S+: bare-metal lguest host and launcher$",
                     text, re.M) or not re.search(
                         r"^guest 0: powered off$", text, re.M):
        raise Failure(f"the host log is not there whole: {text[-400:]!r}")


@case("log: >log 2>&1 keeps console and host log")
def log_both(c):
    log = c.path("both.log")
    with open(log, "wb") as f:
        p = subprocess.run([LGUEST] + c.base() + ["64", c.guest,
                                                  "run=poweroff"],
                           stdin=subprocess.DEVNULL, stdout=f, stderr=f,
                           timeout=WAIT_S, preexec_fn=default_signals)
    text = open(log, errors="replace").read().replace("\r", "")
    if p.returncode != 0:
        raise Failure(f"exit status {p.returncode}: {text[-400:]!r}")
    # Host lines are written whole, so they stand as substrings; console
    # lines may have host lines inside them.
    for line in ("bare-metal lguest host and launcher\n",
                 "guest 0: powered off\n"):
        if line not in text:
            raise Failure(f"host line {line!r} missing: {text[-600:]!r}")
    for line in ("READY", "run: poweroff", "powering off"):
        if not re.search(interleaved(line), text):
            raise Failure(f"console line {line!r} missing: {text[-600:]!r}")


@case("log: standard error is a socket")
def log_socket(c):
    mine, theirs = socket.socketpair()
    got = []
    reader = threading.Thread(target=lambda: got.append(
        b"".join(iter(lambda: mine.recv(65536), b""))), daemon=True)
    reader.start()
    try:
        p = subprocess.run([LGUEST] + c.base() + ["64", c.guest,
                                                  "run=poweroff"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=theirs, timeout=WAIT_S,
                           preexec_fn=default_signals)
    finally:
        theirs.close()
    reader.join(WAIT_S)
    mine.close()
    text = got[0].decode(errors="replace") if got else ""
    if p.returncode != 0:
        raise Failure(f"exit status {p.returncode}: {text[-400:]!r}")
    if not re.search(r"^guest 0: powered off$", text, re.M):
        raise Failure(f"no host log on the socket: {text[-400:]!r}")


@case("tunnet: without ip= the guest is A.B.C.15 and reachable")
def tunnet_default(c):
    p = lguest(c.base() + ["--dry-run", "--tunnet=10.0.2.2", "--verbose",
                           "64", c.guest])
    expect(p, 0, r"^lguest: --tunnet=10\.0\.2\.2 without ip=: added "
           r"ip=10\.0\.2\.15 gw=10\.0\.2\.2 to the guest's arguments$")
    p = lguest(c.base() + ["--dry-run", "--tunnet=10.0.2.2", "--verbose",
                           "64", c.guest, "ip=10.0.2.20"])
    if "added" in p.stderr or "gw=10.0.2.2" in p.stdout:
        raise Failure(f"added to a guest that has ip=: {p.stdout!r}")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    b = Boot(c.base() + [f"--udp-forward={port}", "--tunnet=10.0.2.2", "64",
                         c.guest], stderr=subprocess.DEVNULL)
    try:
        b.wait_line(r"^net0: \S+ slot \d+ ip 10\.0\.2\.15/24 gw 10\.0\.2\.2$",
                    "the guest's address")
        b.wait_line(r"^READY$", "READY")
        payload = os.urandom(64)
        back = None
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(5)
            for _ in range(WAIT_S // 5):
                s.sendto(payload, ("127.0.0.1", port))
                try:
                    back = s.recv(4096)
                    break
                except socket.timeout:
                    continue
        if back != payload:
            raise Failure(f"no UDP echo through --udp-forward={port}")
        b.proc.stdin.write(b"poweroff\r")
        b.proc.stdin.flush()
        status = b.wait()
    finally:
        b.close()
    if status != 0:
        raise Failure(f"exit status {status}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    need = ["host.elf", "guest.elf", "guest.bzImage",
            "tests/boot/guest_fault.elf", "tests/boot/kill_hcall_11.elf"]
    missing = [n for n in need if not os.path.isfile(os.path.join(out, n))]
    if missing:
        print(f"FAIL launcher_check: not built: {missing} (run make check)")
        return 1
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="launcher_check.") as scratch:
        c = Ctx(out, scratch)
        with open(c.disk, "wb") as f:
            f.truncate(1 << 20)
        for fn in (bad_empty, bad_text, bad_elf64, bad_dir, bad_missing,
                   bad_bz_nogzip, bad_bz_truncated, bad_bz_corrupt,
                   bad_bz_crc, mem_small, mem_exact, mem_large, mem_total,
                   respawn_refused, mem_warn, cmd_minus5, cmd_dash32, cmd_empty,
                   cmd_tunnet_second, help_text, version, status_fake,
                   status_no_qemu, status_poweroff, status_crash,
                   status_killed, bz_boot, bz_dry_run, sig_term, sig_hup,
                   sig_int, no_thp, sig_kill, sig_after, log_append, log_both,
                   log_socket, tunnet_default):
            fn(c)
    # Anything of ours still running (an orphaned QEMU reparented to this
    # subreaper) is a failure, and is ended.
    stray = children(os.getpid())
    if stray:
        for pid in stray:
            os.kill(pid, signal.SIGKILL)
        print(f"FAIL no process left behind: {sorted(stray)}")
        results.append(False)
    failed = results.count(False)
    print(f"launcher_check took {time.monotonic() - start:.0f} s")
    print(f"launcher_check: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
