#!/usr/bin/env python3
"""scripts/check.py: runs lgref's tests and prints one summary line.

Three kinds of test, one runner (standard library only):

  --unit BIN...   native unit-test binaries (tests/unit/check.h). Each
                  "PASS name" / "FAIL name" line is one test; a binary that
                  dies without saying so counts as one failure.
  --fuzz BIN...   libFuzzer targets: replay tests/fuzz/corpus/<what>/ and
                  fuzz for --fuzz-seconds, or for --fuzz-runs executions
                  (make fuzz: 10 million each). One test each.
  --boot F...     QEMU boot tests described by tests/boot/<name>.expect.
                  One test each; see parse_expect() for the file format.
  --script F...   end-to-end checks too dynamic for an .expect file (e.g.
                  scripts/blk_durability.py), run as `F --out OUT`; one test
                  each, passed when the script exits 0.

The last line is "N passed, N failed"; the exit status is 1 if anything
failed. On a boot-test failure it prints what was missing and the last 20
serial lines.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time

from qemu_io import complete_lines

# QEMU's command line comes from tools/lguest's own module, so a boot test
# runs the machine tools/lguest runs (tools/lglaunch/qemu.py).
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tools"))
from lglaunch import qemu                       # noqa: E402
from lglaunch.status import LaunchError         # noqa: E402

# Serial lines that fail any boot test unless it says "@allow PATTERN".
DEFAULT_FORBIDDEN = [r"^PANIC:", r"^FAIL\b", r"HOST PANIC"]


class Result:
    def __init__(self, name, ok, detail=""):
        self.name, self.ok, self.detail = name, ok, detail


# ------------------------------------------------------------------ unit

def run_unit(binary):
    name = os.path.basename(binary)
    try:
        proc = subprocess.run([binary], capture_output=True, text=True,
                              timeout=120)
    except subprocess.TimeoutExpired:
        return [Result(f"unit/{name}", False, "timed out after 120 s")]
    results, failures = [], []
    for line in proc.stdout.splitlines():
        m = re.match(r"^(PASS|FAIL) (\w+)$", line)
        if m:
            ok = m.group(1) == "PASS"
            results.append(Result(f"unit/{name}:{m.group(2)}", ok,
                                  "\n".join(failures)))
            failures = []
        elif line.startswith("FAIL ") or line.startswith("SKIP "):
            failures.append(line)
    crashed = proc.returncode != 0 and all(r.ok for r in results)
    if crashed or not results:
        tail = (proc.stdout + proc.stderr).splitlines()[-20:]
        results.append(Result(f"unit/{name}", False,
                              f"exit status {proc.returncode}\n" +
                              "\n".join(tail)))
    return results


# ------------------------------------------------------------------ fuzz

def run_fuzz(binary, seconds, runs=None):
    """Replay the corpus, then fuzz for `seconds`, or for `runs`
    executions when given (make fuzz); the PASS line says how many ran."""
    name = os.path.basename(binary)
    what = name[len("fuzz_"):] if name.startswith("fuzz_") else name
    corpus = os.path.join("tests", "fuzz", "corpus", what)
    limit = f"-runs={runs}" if runs else f"-max_total_time={seconds}"
    with tempfile.TemporaryDirectory() as scratch:
        cmd = [binary, limit, "-timeout=10", "-rss_limit_mb=2048",
               f"-artifact_prefix={scratch}/", scratch]
        if os.path.isdir(corpus):
            cmd.append(corpus)
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=(3600 if runs else seconds + 120))
        except subprocess.TimeoutExpired:
            return [Result(f"fuzz/{name}", False, "fuzzer hung")]
    if proc.returncode != 0:
        tail = proc.stderr.splitlines()[-30:]
        return [Result(f"fuzz/{name}", False, "\n".join(tail))]
    done = re.search(r"Done (\d+) runs in (\d+) second", proc.stderr)
    label = f"fuzz/{name}"
    if done:
        label += f" ({int(done.group(1)):,} runs in {done.group(2)} s)"
    if runs and (not done or int(done.group(1)) < runs):
        return [Result(label, False, f"fewer than {runs} runs:\n" +
                       "\n".join(proc.stderr.splitlines()[-10:]))]
    return [Result(label, True)]


# ------------------------------------------------------------------ script

def run_script(path, args):
    name = "script/" + os.path.splitext(os.path.basename(path))[0]
    try:
        proc = subprocess.run([sys.executable, path, "--out", args.out],
                              capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return [Result(name, False, "timed out after 600 s")]
    if proc.returncode != 0:
        # A script says what failed first and adds context after it, so
        # keep both ends of a long output.
        lines = (proc.stdout + proc.stderr).splitlines()
        if len(lines) > 80:
            lines = lines[:40] + [f"... ({len(lines) - 80} lines) ..."] + \
                lines[-40:]
        return [Result(name, False, f"exit status {proc.returncode}\n" +
                       "\n".join(lines))]
    return [Result(name, True)]


# ------------------------------------------------------------------ boot

def unescape(text):
    return text.encode().decode("unicode_escape")


# Random input is reproducible: the seed is printed with every failure.
SEED = int(os.environ.get("SEED", time.time_ns() % 1000000))
RNG = random.Random(SEED)


# The default guest's commands (apps/shell.c): a line whose first word
# (up to the first space) is one of them runs it instead of coming back
# as "echo: <line>".
GUEST_COMMANDS = {"help", "devices", "uptime", "bench", "net", "ping",
                  "udpecho", "udpblast", "discard", "serve",
                  "poweroff"}


def random_lines(count, maxlen):
    """Printable ASCII lines, 1..maxlen long, none all spaces, none a
    guest command (so each is echoed)."""
    lines = []
    for _ in range(count):
        n = RNG.randint(1, maxlen)
        line = "".join(chr(RNG.randint(0x20, 0x7E)) for _ in range(n))
        if not line.strip():
            line = "x" + line[1:]
        if line.split(" ")[0] in GUEST_COMMANDS:
            line = "x" + line[1:]   # "net 1" -> "xet 1": not a command
        lines.append(line)
    return lines


def parse_size(text):
    """'8M' -> 8388608; a disk size must be whole 512-byte sectors."""
    m = re.fullmatch(r"\s*(\d+)([KMG]?)\s*", text)
    if not m:
        raise ValueError(f"bad size {text!r} (e.g. 8M)")
    size = int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]
    if size == 0 or size % 512:
        raise ValueError(f"disk size {size} is not a whole number of sectors")
    return size


class DiagPattern:
    """An @after-diag condition: matched against the diagnostic channel."""

    def __init__(self, pattern):
        self.rx = re.compile(pattern, re.MULTILINE)


class PromptPattern:
    """An @after-prompt condition: matched against all of COM1 so far,
    the unfinished last line included."""

    def __init__(self, pattern):
        self.rx = re.compile(pattern, re.MULTILINE)


def parse_expect(path):
    """Read a .expect file.

    Lines:  # comment
            @kernel PATH        kernel to boot, relative to the build dir
                                (default host.elf)
            @module PATH ARGS   a multiboot module (a guest and its launcher
                                arguments); PATH relative to the build dir,
                                or to the source tree for fixtures
            @append TEXT        the host's command line
            @cdrom PATH         boot this ISO instead of -kernel
            @memory MB          QEMU's RAM, instead of what tools/lguest
                                would give these modules: only for a test
                                that needs a machine tools/lguest never
                                makes (e.g. too little memory for a guest)
            @qemu OPTS          extra QEMU options, after all the others:
                                only for what tools/lguest never adds
            @exit N             expected QEMU exit status (default 33)
            @timeout S          seconds (default: the runner's --timeout)
            @after REGEX        later @send lines wait until REGEX was seen
                                in the whole lines of COM1 so far (never
                                in a line QEMU is still writing)
            @after-prompt REGEX the same, but the line still being written
                                counts too: for a prompt, which ends in no
                                newline
            @after-diag REGEX   ... until REGEX was seen in the whole lines
                                of the diagnostic channel
            @send TEXT          type TEXT on COM1 (\\n, \\xNN escapes)
            @echo-random N LEN  type N random printable lines of 1..LEN
                                characters, none a guest command, each
                                once the previous one was echoed; each
                                expected as "echo: <line>"
            @echo-burst N LEN   the same, all typed at once
            @allow REGEX        lift a default-forbidden pattern
            @security C | W | O the attack or fault the test tries, for
                                docs/security.md (scripts/security_table.py)
            @diag REGEX         must appear on the host's diagnostic channel
            @count N REGEX      exactly N COM1 lines match REGEX, in any
                                order (several guests share COM1)
            @diag-count N REGEX the same on the diagnostic channel
            @diag-none-after A => B
                                REGEX A matches a line of the diagnostic
                                channel, and REGEX B matches none after
                                the first such line
            @equal CH REGEX == CH REGEX
                                the number each REGEX's first group
                                catches in the last line it matches on
                                channel CH (com1 or diag) is the same on
                                both sides: a guest's count of what it
                                saw against the host's of what it did
            @disk SIZE          a fresh zero-filled raw image of SIZE bytes
                                (suffix K, M or G allowed) as the next
                                virtio-blk disk, the way tools/lguest adds
                                one per --block (disk n backs the n-th
                                --block of the modules)
            @tunnet VALUE       the next virtio-net NIC, the way
                                tools/lguest adds one per --tunnet=VALUE
                                (NIC n backs the n-th --tunnet of the
                                modules)
            !REGEX              must not appear on COM1
            REGEX               must appear on COM1, in file order

    Everything else about the machine is tools/lguest's (machine(),
    kernel_boot(), block_options() and nic_options() of
    tools/lglaunch/qemu.py), and so is its memory: the modules' memory sizes, the host's 64 MiB and the
    modules' bytes, at least 128 MiB (qemu.modules_ram_mb()).
    """
    spec = {"kernel": "host.elf", "modules": [], "append": None,
            "cdrom": None, "qemu": [], "exit": 33, "timeout": None,
            "sends": [], "allow": [], "diag": [], "forbid": [],
            "expect": [], "disks": [], "counts": [], "memory": None,
            "tunnets": [], "equal": [], "none_after": []}
    after = None
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("@"):
                key, _, arg = line[1:].partition(" ")
                if key in ("kernel", "cdrom", "append"):
                    spec[key] = arg
                elif key == "module":
                    spec["modules"].append(arg)
                elif key == "qemu":
                    spec["qemu"] += shlex.split(arg)
                elif key == "memory":
                    spec["memory"] = int(arg)
                elif key == "tunnet":
                    spec["tunnets"].append(arg)
                elif key == "exit":
                    spec["exit"] = int(arg, 0)
                elif key == "timeout":
                    spec["timeout"] = float(arg)
                elif key == "after":
                    after = re.compile(arg, re.MULTILINE)
                elif key == "after-prompt":
                    after = PromptPattern(arg)
                elif key == "after-diag":
                    after = DiagPattern(arg)
                elif key == "send":
                    spec["sends"].append((after, unescape(arg)))
                elif key in ("echo-random", "echo-burst"):
                    count, maxlen = (int(x) for x in arg.split())
                    for line in random_lines(count, maxlen):
                        spec["sends"].append((after, line + "\r"))
                        echo = "^echo: " + re.escape(line) + "$"
                        spec["expect"].append(echo)
                        if key == "echo-random":
                            after = re.compile(echo, re.MULTILINE)
                elif key == "security":
                    pass    # for docs/security.md (security_table.py)
                elif key == "allow":
                    spec["allow"].append(arg)
                elif key == "diag":
                    spec["diag"].append(arg)
                elif key == "disk":
                    spec["disks"].append(parse_size(arg))
                elif key == "equal":
                    sides = []
                    for side in arg.split(" == "):
                        ch, _, pat = side.strip().partition(" ")
                        if ch not in ("com1", "diag") or \
                                re.compile(pat).groups < 1:
                            raise ValueError(f"{path}: @equal {arg}: "
                                             "expected CH REGEX == CH "
                                             "REGEX, CH com1 or diag, "
                                             "each REGEX with a group")
                        sides.append((ch, pat))
                    if len(sides) != 2:
                        raise ValueError(f"{path}: @equal {arg}: two "
                                         "sides joined by ' == '")
                    spec["equal"].append(sides)
                elif key == "diag-none-after":
                    sides = [x.strip() for x in arg.split(" => ")]
                    if len(sides) != 2 or not all(sides):
                        raise ValueError(f"{path}: @diag-none-after {arg}: "
                                         "expected REGEX => REGEX")
                    for pat in sides:
                        re.compile(pat)
                    spec["none_after"].append(tuple(sides))
                elif key in ("count", "diag-count"):
                    n, _, pat = arg.partition(" ")
                    re.compile(pat)
                    spec["counts"].append((key == "diag-count", int(n), pat))
                else:
                    raise ValueError(f"{path}: unknown directive @{key}")
            elif line.startswith("!"):
                spec["forbid"].append(line[1:])
            else:
                spec["expect"].append(line)
    return spec


def qemu_command(spec, args, diag_path, scratch):
    """The test's QEMU command, built as tools/lguest builds its own
    (tools/lglaunch/qemu.py); LaunchError if its memory cannot be had."""
    if spec["cdrom"]:
        iso = os.path.join(args.out, spec["cdrom"])
        ram = spec["memory"] or qemu.cdrom_ram_mb(iso)
        boot = qemu.cdrom_boot(iso)
    else:
        modules = []
        for m in spec["modules"]:
            path, _, rest = m.partition(" ")
            text = os.path.join(args.out, path)
            if not os.path.exists(text) and os.path.exists(path):
                text = path     # a fixture in the source tree
            modules.append((text, rest.split()))
        ram = spec["memory"] or qemu.modules_ram_mb(modules)
        boot = qemu.kernel_boot(
            os.path.join(args.out, spec["kernel"]),
            [qemu.module_string(path, words) for path, words in modules],
            spec["append"])
    disks = []
    for n, size in enumerate(spec["disks"]):
        disks.append(os.path.join(scratch, f"disk{n}.img"))
        with open(disks[-1], "wb") as f:
            f.truncate(size)
    return (qemu.machine(args.qemu, ram, diag_path) + boot +
            qemu.block_options(disks) + qemu.nic_options(spec["tunnets"]) +
            spec["qemu"])


def match_in_order(patterns, lines):
    """Return the patterns not found, each searched after the previous hit."""
    missing, pos = [], 0
    for pat in patterns:
        rx = re.compile(pat)
        for i in range(pos, len(lines)):
            if rx.search(lines[i]):
                pos = i + 1
                break
        else:
            missing.append(pat)
    return missing


def none_after(lines, first, banned):
    """@diag-none-after: what is wrong with LINES, as a list."""
    start = next((i for i, ln in enumerate(lines)
                  if re.search(first, ln)), None)
    if start is None:
        return [f"missing on the diagnostic channel: {first}"]
    late = [ln for ln in lines[start + 1:] if re.search(banned, ln)]
    return [f"after {first} on the diagnostic channel: {banned}: "
            f"{late[0]!r}"] if late else []


def run_boot(path, args):
    name = "boot/" + os.path.splitext(os.path.basename(path))[0]
    try:
        spec = parse_expect(path)
    except (ValueError, re.error) as e:
        return [Result(name, False, str(e))]
    timeout = spec["timeout"] or args.timeout
    with tempfile.TemporaryDirectory() as scratch:
        diag_path = os.path.join(scratch, "diag.log")
        try:
            cmd = qemu_command(spec, args, diag_path, scratch)
        except (LaunchError, OSError) as e:
            return [Result(name, False, str(e))]
        output, status, timed_out = drive_qemu(cmd, spec["sends"], timeout,
                                               diag_path)
        try:
            with open(diag_path, errors="replace") as f:
                diag = f.read()
        except OSError:
            diag = ""
    lines = output.replace("\r", "").splitlines()
    diag_lines = diag.replace("\r", "").splitlines()
    problems = []
    if timed_out:
        problems.append(f"timed out after {timeout:g} s")
    elif status != spec["exit"]:
        problems.append(f"exit status {status}, expected {spec['exit']}")
    for pat in match_in_order(spec["expect"], lines):
        problems.append(f"missing on COM1: {pat}")
    for pat in match_in_order(spec["diag"], diag_lines):
        problems.append(f"missing on the diagnostic channel: {pat}")
    for on_diag, n, pat in spec["counts"]:
        rx = re.compile(pat)
        got = sum(1 for ln in (diag_lines if on_diag else lines)
                  if rx.search(ln))
        if got != n:
            problems.append(f"{got} lines match {pat} on "
                            f"{'the diagnostic channel' if on_diag else 'COM1'}"
                            f", expected {n}")
    for first, banned in spec["none_after"]:
        problems += none_after(diag_lines, first, banned)
    for sides in spec["equal"]:
        got = []
        for ch, pat in sides:
            rx = re.compile(pat)
            hits = [m.group(1) for m in map(
                rx.search, diag_lines if ch == "diag" else lines) if m]
            got.append(hits[-1] if hits else None)
        if None in got or int(got[0]) != int(got[1]):
            problems.append(f"not equal: {sides[0][0]} {sides[0][1]} "
                            f"gave {got[0]}, {sides[1][0]} {sides[1][1]} "
                            f"gave {got[1]}")
    forbidden = [p for p in DEFAULT_FORBIDDEN if p not in spec["allow"]]
    for pat in forbidden + spec["forbid"]:
        rx = re.compile(pat)
        hits = [ln for ln in lines if rx.search(ln)]
        if hits:
            problems.append(f"forbidden on COM1: {pat}: {hits[0]!r}")
    if problems:
        detail = "\n".join(problems)
        detail += "\n--- last 20 lines of COM1 ---\n" + "\n".join(lines[-20:])
        if diag_lines:
            detail += ("\n--- last 20 lines of the diagnostic channel ---\n" +
                       "\n".join(diag_lines[-20:]))
        detail += "\n--- command ---\n" + shlex.join(cmd)
        detail += f"\n--- random seed: SEED={SEED} ---"
        return [Result(name, False, detail)]
    return [Result(name, True)]


def drive_qemu(cmd, sends, timeout, diag_path=None):
    """Run QEMU, type the scripted input, return (output, status, timed_out)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    chunks, seen = [], threading.Condition()

    def reader():
        while True:
            data = proc.stdout.read1(4096)
            if not data:
                break
            with seen:
                chunks.append(data)
                seen.notify_all()
        with seen:
            seen.notify_all()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout

    # QEMU writes a serial port a byte at a time: match whole lines only,
    # or a pattern could match the first half of a line (qemu_io.py).
    def seen_yet(after):
        if isinstance(after, DiagPattern):
            try:
                with open(diag_path, errors="replace") as f:
                    return after.rx.search(
                        complete_lines(f.read().replace("\r", "")))
            except OSError:
                return False
        if isinstance(after, PromptPattern):
            return after.rx.search(text())
        return after.search(complete_lines(text()))

    def text():
        return b"".join(chunks).decode(errors="replace").replace("\r", "")

    try:
        for after, payload in sends:
            with seen:
                while after and not seen_yet(after):
                    left = deadline - time.monotonic()
                    if left <= 0 or proc.poll() is not None:
                        break
                    seen.wait(min(left, 0.2))
            if proc.poll() is not None:
                break
            try:
                proc.stdin.write(payload.encode("latin-1"))
                proc.stdin.flush()
            except BrokenPipeError:
                break
        status = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        status = proc.wait()
        timed_out = True
    thread.join(timeout=5)
    return text(), status, timed_out


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")
    ap.add_argument("--qemu", default=qemu.PROGRAM)
    ap.add_argument("--qemu-opts", help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--unit", nargs="*", default=[])
    ap.add_argument("--fuzz", nargs="*", default=[])
    ap.add_argument("--fuzz-seconds", type=int, default=5)
    ap.add_argument("--fuzz-runs", type=int, default=None)
    ap.add_argument("--boot", nargs="*", default=[])
    ap.add_argument("--script", nargs="*", default=[])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    if args.qemu_opts is not None:
        ap.error("--qemu-opts is gone: the boot tests run QEMU as "
                 "tools/lguest does (tools/lglaunch/qemu.py); drop it, "
                 "and put a test's own extra options in its .expect (@qemu)")
    if os.environ.get("TIMEOUT"):
        args.timeout = float(os.environ["TIMEOUT"])

    results = []

    def report(batch):
        for r in batch:
            print(("PASS " if r.ok else "FAIL ") + r.name, flush=True)
            if not r.ok and r.detail:
                for line in r.detail.splitlines():
                    print("    " + line)
        results.extend(batch)

    for b in args.unit:
        report(run_unit(b))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for batch in pool.map(lambda b: run_fuzz(b, args.fuzz_seconds,
                                                 args.fuzz_runs), args.fuzz):
            report(batch)
    for path in args.script:
        report(run_script(path, args))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for batch in pool.map(lambda p: run_boot(p, args), args.boot):
            report(batch)

    passed = sum(r.ok for r in results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
