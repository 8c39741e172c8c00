"""tools/lglaunch/guests.py: each guest's Launcher arguments, checked.

A guest is specified as the 2.6.23 Launcher took it (docs/abi.md §9.3):
options, <mem-in-mb>, <image>, guest arguments. The host parses the same
string again (host/rules/launch_args.c) and stays the authority; here every
rule that can be checked on this side is, before QEMU starts: options and
their files, the memory size, the image (lglaunch/image.py) and whether
it fits, so that a mistake costs no boot and gets exit status 2 with a
message naming the guest, the argument and the fix. Also the per-guest
defaults tools/lguest adds: ip= and gw= for a user-mode --tunnet.
"""
import os
import stat

from . import image
from .status import LaunchError

# Limits of the host (host/rules/launch_args.h, include/lguest/).
MAX_MEM_MB = 2047          # LAUNCH_ARGS_MAX_MEM_MB
NAME_MAX = 255             # LAUNCH_ARGS_NAME_MAX - 1: option values, image
MAX_DEVICES = 15           # LAUNCH_ARGS_MAX_DEVICES: 16 minus the console
CMDLINE_MAX = 2047         # COMMAND_LINE_SIZE - 1
MAX_GUESTS = 16            # MAX_LGUEST_GUESTS

# The guest's address on a user-mode --tunnet network A.B.C.0/24 (slirp
# hands out A.B.C.15 first; --udp-forward targets it).
GUEST_HOST_PART = 15

LONG_OPTIONS = ("verbose", "block", "sharenet", "tunnet", "initrd",
                "respawn")
MAX_RESPAWN = 1000000      # LAUNCH_ARGS_MAX_RESPAWN
BLANKS = " \t\r\n"


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else \
        {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Guest:
    """One guest, checked. launcher_args is what goes to the host."""

    def __init__(self, index, count):
        self.index = index          # 0-based position on the command line
        self.who = f"{ordinal(index + 1)} guest: " if count > 1 else ""
        self.verbose = False
        self.respawn = None         # None, 0 (no limit) or N
        self.devices = []           # ("block"|"tunnet"|"sharenet", value)
        self.initrd = None
        self.mem_mb = 0
        self.image = None           # the file named, as given
        self.kernel = None          # image.Kernel
        self.args = []              # guest arguments
        self.launcher_args = []     # the argument list for the host
        self.notes = []             # what lguest added, for --verbose

    def error(self, text):
        return LaunchError(f"lguest: {self.who}{text}")


def split_guests(argv):
    """Split on "--"; every part must be non-empty."""
    specs = [[]]
    for a in argv:
        if a == "--":
            specs.append([])
        else:
            specs[-1].append(a)
    for i, spec in enumerate(specs):
        if not spec:
            where = ("before the first '--'" if i == 0 else
                     "after the last '--'" if i == len(specs) - 1 else
                     "between two '--'")
            raise LaunchError(
                f"lguest: {ordinal(i + 1)} guest is empty (nothing "
                f"{where}): each guest is [options] <mem-in-mb> <image> "
                "[args], and guests are separated by '--'")
    if len(specs) > MAX_GUESTS:
        raise LaunchError(f"lguest: {len(specs)} guests: the host runs at "
                          f"most {MAX_GUESTS}")
    return specs


def resolve_option(g, opt):
    """'--blo=x' -> ('block', 'x', True); the host takes any unambiguous
    prefix of a long option, as getopt_long did."""
    name, eq, value = opt.partition("=")
    if name.startswith("--"):
        matches = [o for o in LONG_OPTIONS if o.startswith(name[2:])]
        if name[2:] in LONG_OPTIONS:
            matches = [name[2:]]
        if len(name) > 2 and len(matches) == 1:
            return matches[0], value, bool(eq)
    elif not eq and len(name) > 1 and set(name[1:]) == {"v"}:
        return "verbose", "", False
    hint = ""
    if opt[1:].isdigit():
        hint = (": a memory size is a positive number of megabytes, "
                "without '-' (e.g. 64)")
    elif opt in ("--help", "-h", "--version") or opt.startswith(
            ("--out", "--qemu", "--diag", "--dry-run", "--udp-forward",
             "--tap")):
        hint = (": lguest's own options come first, before every "
                "guest's options")
    else:
        hint = (": a guest's options are --verbose, --block=, "
                "--sharenet=, --tunnet=, --initrd= and --respawn (see "
                "lguest --help)")
    raise g.error(f"{opt}: unknown option{hint}")


def check_value(g, opt, value, what):
    if not value:
        raise g.error(f"{opt}: needs ={what}")
    if any(c in BLANKS for c in value):
        raise g.error(f"{opt}: blanks are not allowed (the host splits its "
                      "arguments at blanks)")
    if len(value.encode()) > NAME_MAX:
        raise g.error(f"{opt}: the value is longer than the host's "
                      f"{NAME_MAX} bytes: use a shorter path or a symlink")


def check_file(g, label, path, kind):
    """A file the guest needs (kind: "kernel image", ...) must be a
    readable regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise g.error(f"{label}: no such file") from None
    except OSError as e:
        raise g.error(f"{label}: {e.strerror.lower()}") from None
    if stat.S_ISDIR(st.st_mode):
        raise g.error(f"{label}: is a directory; give the {kind} file")
    if not stat.S_ISREG(st.st_mode):
        raise g.error(f"{label}: not a regular file; give the {kind} file")
    if not os.access(path, os.R_OK):
        raise g.error(f"{label}: not readable (permission denied)")
    return st


def check_disk(g, opt, value):
    """A --block=FILE image must be a writable regular file of whole
    512-byte sectors."""
    check_value(g, opt, value, "<file>")
    st = check_file(g, opt, value, "disk image")
    if st.st_size == 0 or st.st_size % 512:
        raise g.error(f"{opt}: size {st.st_size} bytes is not a non-zero "
                      "multiple of 512 (whole sectors); e.g. truncate -s "
                      "64M FILE")
    if not os.access(value, os.W_OK):
        raise g.error(f"{opt}: not writable (the guest's disk is read and "
                      "written)")
    return value


def parse_ipv4(text):
    """'10.0.2.2' -> [10, 0, 2, 2], or None; as host/rules/tunnet_arg.c reads it:
    four decimal numbers 0..255 of one to three digits."""
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 and
                                  p.isascii() and int(p) <= 255
                                  for p in parts):
        return None
    return [int(p) for p in parts]


def check_tunnet(g, opt, value):
    """--tunnet=A.B.C.D or --tunnet=bridge:NAME (host/rules/tunnet_arg.c)."""
    check_value(g, opt, value, "<ipaddr> or =bridge:<name>")
    if value.startswith("bridge:"):
        name = value[len("bridge:"):]
        if not 1 <= len(name.encode()) <= 15 or "/" in name or \
                "," in name:
            raise g.error(f"{opt}: a bridge name is 1 to 15 characters "
                          "without '/', ',' or blanks")
    elif parse_ipv4(value) is None:
        raise g.error(f"{opt}: expected an IPv4 address (a.b.c.d) or "
                      "bridge:<name>")
    return value


def parse_respawn(g, opt, value, eq):
    """--respawn (0: no limit) or --respawn=N, N 1..MAX_RESPAWN, as
    host/rules/launch_args.c reads it."""
    if not eq:
        return 0
    if not (value.isascii() and value.isdigit()) or \
            not 1 <= int(value) <= MAX_RESPAWN:
        raise g.error(f"{opt}: expected --respawn or --respawn=N, N from 1 "
                      f"to {MAX_RESPAWN}")
    return int(value)


def check_respawn(guests):
    """A --respawn guest is launched again from the same arguments each
    time it stops; its devices must be ones it can have again."""
    for g in guests:
        if g.respawn is None:
            continue
        for kind, value in g.devices:
            if kind in ("block", "tunnet"):
                what = "disk" if kind == "block" else "NIC"
                raise g.error(
                    f"--{kind}={value} and --respawn: the host gives the "
                    f"n-th --{kind} the n-th {what}, so a re-launch could "
                    f"not have it back; only --sharenet devices can be "
                    "re-launched")
        if g.respawn == 0 and not any(o.respawn != 0 for o in guests
                                      if o is not g):
            raise g.error(
                "--respawn without =N re-launches the guest while a guest "
                "without it (or with --respawn=N) runs, and there is none: "
                "give --respawn=N, or add such a guest")


def parse_mem(g, text):
    digits = ""
    for ch in text:              # "64m" is 64, as atoi() read it
        if not ch.isdigit() or not ch.isascii():
            break
        digits += ch
    if not digits or int(digits) == 0:
        raise g.error(f"memory size {text}: expected megabytes, 1 "
                      f"to {MAX_MEM_MB} (e.g. 64), before the image")
    mem = int(digits)
    if mem > MAX_MEM_MB:
        raise g.error(f"memory size {text}: more than the host's limit of "
                      f"{MAX_MEM_MB} MiB per guest")
    return mem


def parse_guest(argv, index, count):
    """Parse and check one guest's Launcher arguments; return a Guest.
    Reads the image and judges it (image.judge)."""
    g = Guest(index, count)
    # As getopt_long permuted them: every argument that starts with "-"
    # (but a lone "-") is an option, wherever it stands; the others are
    # <mem-in-mb>, <image> and the guest arguments, in order.
    def is_opt(a):
        return a.startswith("-") and a != "-"
    opts = [a for a in argv if is_opt(a)]
    positional = [a for a in argv if not is_opt(a)]
    for opt in opts:
        name, value, eq = resolve_option(g, opt)
        if name == "verbose":
            if eq:
                raise g.error(f"{opt}: --verbose takes no value")
            g.verbose = True
        elif name == "block":
            g.devices.append(("block", check_disk(g, opt, value)))
        elif name == "tunnet":
            g.devices.append(("tunnet", check_tunnet(g, opt, value)))
        elif name == "sharenet":
            # A label inside the host: guests with equal names share a
            # network page. No file (docs/host-design.md "Networks").
            check_value(g, opt, value, "<name>")
            g.devices.append(("sharenet", value))
        elif name == "respawn":
            g.respawn = parse_respawn(g, opt, value, eq)
        elif name == "initrd":
            check_value(g, opt, value, "<file>")
            check_file(g, opt, value, "initrd")
            g.initrd = value
    if not positional:
        raise g.error("no memory size: expected [options] <mem-in-mb> "
                      "<image> [guest args...]")
    g.mem_mb = parse_mem(g, positional[0])
    if len(positional) < 2:
        raise g.error(f"{positional[0]}: a memory size but no image after "
                      "it: expected <mem-in-mb> <image> [guest args...]")
    g.image = positional[1]
    if len(g.devices) > MAX_DEVICES:
        raise g.error(f"{len(g.devices)} devices: the host gives a guest at "
                      f"most {MAX_DEVICES} besides the console")
    if not g.image:
        raise g.error("the image name is empty")
    check_value(g, g.image, g.image, "<file>")
    check_file(g, g.image, g.image, "kernel image")
    g.args = positional[2:]
    g.launcher_args = list(argv)
    with open(g.image, "rb") as f:
        data = f.read()
    try:
        g.kernel = image.judge(data, g.mem_mb << 20)
    except image.ImageError as e:
        raise g.error(f"{g.image}: {e}") from None
    initrd_len = os.path.getsize(g.initrd) if g.initrd else 0
    if not image.fits(g.kernel, g.mem_mb, initrd_len):
        need = image.min_mem_mb(g.kernel, initrd_len)
        rd = f", the {initrd_len}-byte initrd" if g.initrd else ""
        raise g.error(
            f"{g.mem_mb} MiB is too little for {g.image}: the kernel ends at "
            f"{g.kernel.end:#x}, and its page tables{rd} go above it; give "
            f"it at least {need} MiB")
    return g


def warnings(g):
    """Lines for standard error about a guest that will run, but not as
    one might expect."""
    lines = []
    mapped = image.mapped_bytes(g.mem_mb << 20, g.kernel.page_offset) >> 20
    if mapped < g.mem_mb:
        lines.append(
            f"lguest: warning: {g.who}{g.mem_mb} MiB is more than the "
            f"{mapped} MiB that the initial page tables can map at its "
            f"page_offset {g.kernel.page_offset:#x} (2^32 - page_offset): "
            f"it starts with only its first {mapped} MiB mapped")
    return lines


def add_tunnet_defaults(guests, taps):
    """A guest whose first network device is a user-mode --tunnet=A.B.C.D
    gets ip=A.B.C.15 gw=A.B.C.D unless its arguments already set them:
    the guest applies ip= and gw= to its first network device only
    (lib/netcfg.h). A user-mode --tunnet that is not the first cannot get
    an address that way, so it is refused. --tap and bridge: tunnets
    belong to the outside's addressing and are left alone."""
    n = 0                       # --tunnet index over all guests (--tap order)
    for g in guests:
        nets = []
        for kind, value in g.devices:
            if kind == "tunnet":
                user = n >= len(taps) and not value.startswith("bridge:")
                nets.append((kind, value, user))
                n += 1
            elif kind == "sharenet":
                nets.append((kind, value, False))
        for pos, (kind, value, user) in enumerate(nets):
            if not user:
                continue
            if pos > 0:
                raise g.error(
                    f"--tunnet={value} is the guest's network device "
                    f"{pos}, after --{nets[0][0]}={nets[0][1]}; the guest "
                    "sets ip= and gw= on its first network device only, so "
                    "this one would have no address on "
                    f"{value.rsplit('.', 1)[0]}.0/24: put --tunnet first")
            a, b, c, _ = parse_ipv4(value)
            added = []
            if not any(x.startswith("ip=") for x in g.args):
                added.append(f"ip={a}.{b}.{c}.{GUEST_HOST_PART}")
                if not any(x.startswith("gw=") for x in g.args):
                    added.append(f"gw={value}")
            if added:
                g.args += added
                g.launcher_args += added
                g.notes.append(f"lguest: {g.who}--tunnet={value} without "
                               f"ip=: added {' '.join(added)} to the guest's "
                               "arguments")
    for g in guests:
        text = "".join(a + " " for a in g.args)
        if len(text.encode()) > CMDLINE_MAX:
            raise g.error(f"the guest arguments take {len(text.encode())} "
                          f"bytes; the guest's command line holds at most "
                          f"{CMDLINE_MAX}")


def parse_all(argv, taps=()):
    """Every guest of a command line (guests separated by "--"), parsed,
    checked and given tools/lguest's defaults: what tools/lguest runs for
    these arguments after its own options (lglaunch/qemu.py command())."""
    specs = split_guests(argv)
    guests = [parse_guest(s, i, len(specs)) for i, s in enumerate(specs)]
    check_respawn(guests)
    add_tunnet_defaults(guests, taps)
    return guests
