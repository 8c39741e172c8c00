"""tools/lglaunch/qemu.py: the QEMU command line for a set of checked guests.

QEMU boots lgref's host (build/host.elf) with multiboot; each guest travels
as a module whose string is "<file> <the guest's launcher arguments>" (the
host drops the file, docs/host-design.md "Boot and command lines"). Disks
and NICs are PCI functions in option order across all guests: the host
numbers them by slot. Also the memory QEMU gets: the host has no PAE, so
only RAM below 4 GiB is usable, and the total is checked here.
"""
import os

from .guests import GUEST_HOST_PART, parse_ipv4
from .status import LaunchError

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


def ram_mb(guests, module_bytes):
    """-m for these guests, or LaunchError when it passes MAX_RAM_MB."""
    total = sum(g.mem_mb for g in guests)
    modules_mb = (module_bytes + MIB - 1) // MIB
    need = total + HOST_RESERVE_MB + modules_mb
    if need > MAX_RAM_MB:
        room = MAX_RAM_MB - HOST_RESERVE_MB - modules_mb
        raise LaunchError(
            f"lguest: the guests' memory adds up to {total} MiB; with "
            f"{HOST_RESERVE_MB} MiB for the host and {modules_mb} MiB of "
            f"images QEMU would need {need} MiB, more than the "
            f"{MAX_RAM_MB} MiB qemu-system-i386 gives below 4 GiB (the "
            f"host has no PAE): give the guests at most {room} MiB in all")
    return max(MIN_RAM_MB, need)


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


def module_string(path, guest):
    """QEMU separates -initrd modules with ",", so a literal comma is
    ",,"; the file is the first word, the host's launcher arguments
    follow (with the user's image name, for the host's messages)."""
    text = " ".join([path] + guest.launcher_args)
    return text.replace(",", ",,")


def command(guests, module_paths, out, qemu, diag, udp_forwards=(),
            taps=()):
    """The argument list. module_paths[i] is the file QEMU loads for
    guests[i] (the image, or its ELF conversion); diag is where COM2 goes
    (a path QEMU opens)."""
    host = os.path.join(out, "host.elf")
    if not os.path.isfile(host):
        raise LaunchError(f"lguest: {host} not built (run 'make', or give "
                          "--out DIR)")
    module_bytes = sum(len(g.kernel.elf) if g.kernel.elf else
                       os.path.getsize(g.image) for g in guests) + sum(
        os.path.getsize(g.initrd) for g in guests if g.initrd)
    cmd = [qemu, "-nodefaults", "-display", "none", "-no-reboot",
           "-m", str(ram_mb(guests, module_bytes)),
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-serial", "stdio",
           "-serial", f"file:{diag}",
           "-kernel", host]
    modules = []
    for g, path in zip(guests, module_paths):
        modules.append(module_string(path, g))
        if g.initrd:
            modules.append(g.initrd.replace(",", ",,") + " initrd")
    cmd += ["-initrd", ",".join(modules)]
    # One virtio-blk PCI function per --block, in option order: QEMU gives
    # them PCI slots in this order, and the host numbers disks by slot.
    seen = {}
    if any(kind == "block" for g in guests for kind, _ in g.devices):
        cmd += ["-object", BLOCK_IOTHREAD]
    for n, path in enumerate(p for g in guests for kind, p in g.devices
                             if kind == "block"):
        real = os.path.realpath(path)
        if real in seen:
            raise LaunchError(f"lguest: --block={path}: the same image as "
                              f"--block={seen[real]} (one disk, one device)")
        seen[real] = path
        cmd += ["-drive", f"file={path.replace(',', ',,')},format=raw,"
                f"if=none,id=blk{n},cache={BLOCK_CACHE},aio=io_uring",
                "-device", f"virtio-blk-pci,drive=blk{n},disable-modern=on,"
                "iothread=io0"]
    # One virtio-net PCI function per --tunnet, after the disks, in option
    # order: the host numbers NICs by slot too. No option ROM: nobody
    # boots from it.
    tunnets = [v for g in guests for kind, v in g.devices if kind == "tunnet"]
    if udp_forwards and not tunnets:
        raise LaunchError("lguest: --udp-forward needs a --tunnet")
    if len(taps) > len(tunnets):
        raise LaunchError(f"lguest: {len(taps)} --tap options but only "
                          f"{len(tunnets)} --tunnet")
    for n, value in enumerate(tunnets):
        cmd += ["-netdev", netdev(n, value, taps[n] if n < len(taps) else
                                  None, udp_forwards if n == 0 else ()),
                "-device", f"virtio-net-pci,netdev=net{n},"
                "disable-modern=on,romfile="]
    if any(g.verbose for g in guests):
        cmd += ["-append", "verbose"]
    return cmd
