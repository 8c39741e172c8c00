"""tools/lglaunch/qemu.py: the one definition of how lgref starts QEMU.

Everything that runs lgref under QEMU builds its command line here:
tools/lguest, the boot tests (scripts/check.py), the benchmarks and the
end-to-end scripts, `make run-iso` (scripts/run_iso.py). So a test runs the
machine a user runs: the same devices, memory rule, disks and NICs.
scripts/qemu_options_check.py (`make check`) fails if QEMU options are
spelled anywhere else.

The pieces, in command order:
  machine()       QEMU itself: no default devices, no display, no reboot
                  (a triple fault ends QEMU), -m from ram_mb(), the
                  isa-debug-exit port the host leaves through, COM1 (the
                  guests' console) and COM2 (the host's log); and no
                  transparent huge pages for the QEMU started after it
  kernel_boot()   multiboot: the host (-kernel), its modules (-initrd: a
                  guest is "<file> <launcher arguments>", an initrd
                  "<file> initrd", docs/host-design.md "Boot and command
                  lines"), the host's command line (-append)
  cdrom_boot()    a GRUB CD instead (`make iso`)
  block_options() the disks: one virtio-blk PCI function per --block
  nic_options()   the NICs: one virtio-net PCI function per --tunnet
  gdb_options()   QEMU stopped, its gdb stub on loopback
command() puts them together for checked guests (lglaunch/guests.py);
modules_ram_mb() applies the memory rule to raw module strings, for tests
that boot modules tools/lguest would refuse. memory_warnings() says which
guests will not fit when they ask for more than QEMU can give.
"""
import ctypes
import os
import re

from .guests import GUEST_HOST_PART, MAX_MEM_MB, parse_ipv4
from .status import LaunchError

# The QEMU that runs lgref's 32-bit host, unless told otherwise (--qemu).
PROGRAM = "qemu-system-i386"

# isa-debug-exit at the port the host writes its status to (host/main.c):
# QEMU exits with (value << 1) | 1 (lglaunch/status.py).
DEBUG_EXIT = "isa-debug-exit,iobase=0xf4,iosize=0x04"

# How QEMU caches a disk image. Whatever this says, the host's driver does
# not negotiate VIRTIO_BLK_F_FLUSH, which makes QEMU write through its
# cache (docs/host-design.md "Block devices"), so an acknowledged write is
# in the image file. writethrough states that here too.
BLOCK_CACHE = "writethrough"

# Every disk is served by one QEMU I/O thread with io_uring, not by QEMU's
# main loop and its thread pool: a request then costs the device about
# 5 us instead of about 100 us (docs/host-design.md "Block devices"). The
# thread polls for up to poll-max-ns after each request before it sleeps, long
# enough to catch the guest's next request without a wake-up.
BLOCK_IOTHREAD = "iothread,id=io0,poll-max-ns=400000"

# QEMU's RAM: the guests' memory plus room for the host, its page tables
# and the modules, at least 128 MiB. qemu-system-i386's pc machine keeps
# all of -m below 4 GiB up to 3583 MiB; from 3584 MiB (0xE0000000) on it
# moves everything above 3 GiB past 4 GiB, where the host (no PAE)
# cannot reach it.
HOST_RESERVE_MB = 64
MIN_RAM_MB = 128
MAX_RAM_MB = 3583
MIB = 1 << 20


def ram_mb(mem_mbs, module_bytes):
    """-m for guests of these memory sizes (MiB) and modules of this many
    bytes in all: what they need, at least MIN_RAM_MB and at most
    MAX_RAM_MB. Past that, some guests will not fit: the host refuses
    them when it launches them and runs the others (memory_warnings()
    says which, before)."""
    need = sum(mem_mbs) + HOST_RESERVE_MB + (module_bytes + MIB - 1) // MIB
    return max(MIN_RAM_MB, min(need, MAX_RAM_MB))


def unfit_guests(mem_mbs, module_bytes):
    """The guests that will not fit in MAX_RAM_MB, as the host launches
    them: in order, each taking its memory while there is room. A list of
    (index, mem_mb, left_mb, sure): left_mb is what the guests before it
    leave of the room this rule counts on (MAX_RAM_MB less the host's
    HOST_RESERVE_MB and the modules); the host uses less than that
    reserve, so a guest past left_mb by less than it may still fit
    (sure False). Empty when everything fits."""
    modules_mb = (module_bytes + MIB - 1) // MIB
    left = MAX_RAM_MB - HOST_RESERVE_MB - modules_mb
    if sum(mem_mbs) <= left:
        return []
    unfit = []
    for i, mem in enumerate(mem_mbs):
        if mem <= left:
            left -= mem
        else:
            unfit.append((i, mem, max(left, 0),
                          mem > left + HOST_RESERVE_MB))
    return unfit


def memory_warnings(guests):
    """tools/lguest's warning lines for checked guests that ask for more
    memory than QEMU can give: QEMU gets its most, the host starts what
    fits and refuses the rest, one line each (exit status 1)."""
    mems = [g.mem_mb for g in guests]
    module_bytes = guests_module_bytes(guests)
    unfit = unfit_guests(mems, module_bytes)
    if not unfit:
        return []
    modules_mb = (module_bytes + MIB - 1) // MIB
    need = sum(mems) + HOST_RESERVE_MB + modules_mb
    lines = [f"lguest: warning: the guests' memory adds up to {sum(mems)} "
             f"MiB; with {HOST_RESERVE_MB} MiB for the host and "
             f"{modules_mb} MiB of images QEMU would need {need} MiB, more "
             f"than the {MAX_RAM_MB} MiB qemu-system-i386 gives below 4 GiB "
             "(the host has no PAE): QEMU gets "
             f"{MAX_RAM_MB} MiB, and the host launches the guests in order "
             "while its memory lasts, refuses those it cannot give memory "
             "to and runs the others (exit status 1)"]
    for i, mem, left, sure in unfit:
        who = guests[i].who or "the guest: "
        lines.append(
            f"lguest: warning: {who}{mem} MiB {'will' if sure else 'may'} "
            f"not fit: the guests before it leave about {left} MiB"
            + (": the host will refuse it" if sure else
               " (the host says whether it fits)"))
    return lines


def guests_module_bytes(guests):
    """The bytes of checked guests' modules: images (or their ELF
    conversions) and initrds."""
    return sum(len(g.kernel.elf) if g.kernel.elf else
               os.path.getsize(g.image) for g in guests) + sum(
        os.path.getsize(g.initrd) for g in guests if g.initrd)


def module_mem_mb(words):
    """The memory a module's launcher arguments ask for, read as the host
    reads them (host/launch_args.c): the first word that is not an option
    is <mem-in-mb>, atoi-style ("64m" is 64). 0 when there is none or the
    host would refuse it (over MAX_MEM_MB): such a module gets nothing."""
    for w in words:
        if w.startswith("-") and w != "-":
            continue
        m = re.match(r"[0-9]+", w)
        mem = int(m.group(0)) if m else 0
        return mem if mem <= MAX_MEM_MB else 0
    return 0


def modules_ram_mb(modules):
    """tools/lguest's -m for raw host modules [(file, launcher-argument
    words)], which need not be valid (the boot tests boot bad ones on
    purpose): each asks for module_mem_mb(words), all files count."""
    return ram_mb([module_mem_mb(words) for _, words in modules],
                  sum(os.path.getsize(path) for path, _ in modules))


def cdrom_ram_mb(iso):
    """-m for a GRUB CD (`make iso`): the rule applied to the `module`
    lines of its grub.cfg, which the ISO keeps as plain text; the whole
    ISO's size stands in for the modules' (an upper bound)."""
    with open(iso, "rb") as f:
        text = f.read().decode("latin-1")
    mems = [module_mem_mb(m.group(1).split()[1:]) for m in
            re.finditer(r"^[ \t]*module[ \t]+([^\n]*)$", text, re.M)]
    return ram_mb(mems, os.path.getsize(iso))


# prctl(2) option: no transparent huge pages for this process and its
# children (Linux 3.15 and later).
PR_SET_THP_DISABLE = 41


def no_transparent_hugepages():
    """Ask Linux not to back this process's memory with transparent huge
    pages; every process it starts after this inherits the setting.

    Why: QEMU asks for huge pages for guest RAM (madvise MADV_HUGEPAGE),
    so the first write into each 2 MiB of it makes Linux clear a whole
    2 MiB page: about 270 us each, and now and then 6 ms. lgref's host and
    guest write into fresh memory all over their start (the guest's image,
    stack and page tables, shadow pages), and a boot paid 2-4 ms for it,
    sometimes 10 (docs/host-design.md "Boot", round 4). Small pages cost
    1-2 us each instead; udpblast and the block benchmark were not slower
    without huge pages. A kernel that does not know the option keeps huge
    pages: only speed depends on this."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def machine(qemu, ram, diag=None, console="stdio"):
    """QEMU and the machine lgref runs on, with `ram` MiB. COM1 is
    `console` (a QEMU character device: "stdio", "null"); COM2, when
    `diag` is given, is written to that file (a path QEMU opens).
    Whoever asks for a QEMU command line will start QEMU, so this also
    turns off transparent huge pages for the QEMU it starts
    (no_transparent_hugepages())."""
    no_transparent_hugepages()
    cmd = [qemu, "-nodefaults", "-display", "none", "-no-reboot",
           "-m", str(ram), "-device", DEBUG_EXIT, "-serial", console]
    if diag is not None:
        cmd += ["-serial", f"file:{diag}"]
    return cmd


def module_string(path, words):
    """A guest module: the file first (the host drops it), then its
    launcher arguments."""
    return " ".join([path] + list(words))


def kernel_boot(kernel, modules=(), append=None):
    """Boot `kernel` by multiboot with these module strings. QEMU
    separates -initrd modules with ",", so a literal comma is ",,".
    `append` is the host's command line (None: none)."""
    cmd = ["-kernel", kernel]
    if modules:
        cmd += ["-initrd", ",".join(m.replace(",", ",,") for m in modules)]
    if append is not None:
        cmd += ["-append", append]
    return cmd


def cdrom_boot(iso):
    return ["-cdrom", iso, "-boot", "d"]


def block_options(paths):
    """One virtio-blk PCI function per image, in order: QEMU gives them
    PCI slots in this order, and the host numbers disks by slot. All on
    one I/O thread."""
    if not paths:
        return []
    cmd = ["-object", BLOCK_IOTHREAD]
    for n, path in enumerate(paths):
        cmd += ["-drive", f"file={path.replace(',', ',,')},format=raw,"
                f"if=none,id=blk{n},cache={BLOCK_CACHE},aio=io_uring",
                "-device", f"virtio-blk-pci,drive=blk{n},disable-modern=on,"
                "iothread=io0"]
    return cmd


def netdev(n, value, tap, udp_forwards):
    """QEMU's -netdev for the n-th --tunnet (value), or the TAP `tap`."""
    if tap:
        spec = f"tap,id=net{n},ifname={tap},script=no,downscript=no"
    elif value.startswith("bridge:"):
        spec = f"bridge,id=net{n},br={value[len('bridge:'):]}"
    else:
        a, b, c, _ = parse_ipv4(value)
        spec = f"user,id=net{n},net={a}.{b}.{c}.0/24,host={value}"
        guest = f"{a}.{b}.{c}.{GUEST_HOST_PART}"
        for host_port, guest_port in udp_forwards:
            spec += (f",hostfwd=udp:127.0.0.1:{host_port}-"
                     f"{guest}:{guest_port}")
        return spec
    if udp_forwards:
        raise LaunchError("lguest: --udp-forward needs the first --tunnet "
                          "to be an IPv4 address (QEMU's user-mode "
                          "network), not a bridge or --tap")
    return spec


def nic_options(tunnets, taps=(), udp_forwards=()):
    """One virtio-net PCI function per --tunnet value, in order (after the
    disks: the host numbers NICs by slot too); the n-th is backed by the
    n-th TAP if there is one. No option ROM: nobody boots from it."""
    if udp_forwards and not tunnets:
        raise LaunchError("lguest: --udp-forward needs a --tunnet")
    if len(taps) > len(tunnets):
        raise LaunchError(f"lguest: {len(taps)} --tap options but only "
                          f"{len(tunnets)} --tunnet")
    cmd = []
    for n, value in enumerate(tunnets):
        cmd += ["-netdev", netdev(n, value, taps[n] if n < len(taps) else
                                  None, udp_forwards if n == 0 else ()),
                "-device", f"virtio-net-pci,netdev=net{n},"
                "disable-modern=on,romfile="]
    return cmd


def gdb_options(port):
    """Stopped (-S) until gdb says continue; the stub listens on loopback
    only."""
    return ["-gdb", f"tcp:127.0.0.1:{port}", "-S"]


def command(guests, module_paths, out, qemu, diag, udp_forwards=(),
            taps=(), host=None, host_words=()):
    """tools/lguest's argument list for checked guests. module_paths[i] is
    the file QEMU loads for guests[i] (the image, or its ELF conversion;
    None: the images, which must then be ELF); diag is where COM2 goes (a
    path QEMU opens). host is the host's ELF (default OUT/host.elf);
    host_words go on its command line after tools/lguest's own ("verbose"
    when a guest is verbose), e.g. "blktrace" for scripts/."""
    host = host or os.path.join(out, "host.elf")
    if not os.path.isfile(host):
        raise LaunchError(f"lguest: {host} not built (run 'make', or give "
                          "--out DIR)")
    if module_paths is None:
        if any(g.kernel.elf for g in guests):
            raise LaunchError("lguest: a bzImage needs its ELF conversion "
                              "(tools/lguest makes one)")
        module_paths = [g.image for g in guests]
    module_bytes = guests_module_bytes(guests)
    modules = []
    for g, path in zip(guests, module_paths):
        modules.append(module_string(path, g.launcher_args))
        if g.initrd:
            modules.append(module_string(g.initrd, ["initrd"]))
    disks = [p for g in guests for kind, p in g.devices if kind == "block"]
    seen = {}
    for path in disks:
        real = os.path.realpath(path)
        if real in seen:
            raise LaunchError(f"lguest: --block={path}: the same image as "
                              f"--block={seen[real]} (one disk, one device)")
        seen[real] = path
    tunnets = [v for g in guests for kind, v in g.devices if kind == "tunnet"]
    words = (["verbose"] if any(g.verbose for g in guests) else []) + \
        list(host_words)
    return (machine(qemu, ram_mb([g.mem_mb for g in guests], module_bytes),
                    diag) +
            kernel_boot(host, modules, " ".join(words) if words else None) +
            block_options(disks) +
            nic_options(tunnets, taps, udp_forwards))
