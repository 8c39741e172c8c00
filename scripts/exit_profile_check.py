#!/usr/bin/env python3
"""scripts/exit_profile_check.py: the exit profile adds up (`make check`).

Boots build/host-prof.elf (host/prof/exit_profile.h) with the benchmark guest
and checks what it prints about served hypercalls, not how fast they are:
every stage is there and positive, none overflowed the histogram, at
least the guest's 20000 LHCALL_TS calls were counted, the stages add up to
the whole loop measured in one go (within a factor of 1.5 either way: the
median of a sum is not the sum of medians), and the whole loop agrees
with the guest's own mean for the same calls: the whole loop's median
may not exceed three times that mean. (Only that way round: the mean
carries the timer's exits and every pause of QEMU's, and on a loaded
machine it was once 27 us against a median of 8.7 us, so a bound the
other way failed make check by chance.) It also boots
`make bench`'s other input, the null multiboot kernel, which must load and
exit with the powered-off status (a linker-script change once made it an
ELF that QEMU refused, and only `make bench` noticed). And it boots
build/host-bare.elf (host/core/exit_hooks.h), which `make bench` times the
world switch alone with: every one of the guest's LHCALL_TS(0) calls must
have been answered by entering the guest again at once, and the guest
must have timed them; while the shipped build/host.elf must not have that
short way at all (no exit_bare_answered symbol).

Usage: scripts/exit_profile_check.py [--out build]; exit status 0 on PASS.
"""
import argparse
import os
import subprocess
import sys

from bench import (ANATOMY, GUEST_TS_CALLS, boot_once, guest_run,
                   qemu)        # qemu: tools/lglaunch/qemu.py

HISTOGRAM_TOP_NS = 25550        # exit_profile.c's last bucket


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")
    ap.add_argument("--qemu", default=qemu.PROGRAM)
    args = ap.parse_args()
    prof = guest_run(args, "host-prof.elf")[0]
    problems = []
    null_cmd = (qemu.machine(args.qemu, qemu.ram_mb([], 0), console="null") +
                qemu.kernel_boot(os.path.join(args.out, "tests",
                                              "null-multiboot.elf")))
    try:
        boot_once(null_cmd, timeout=60)
    except SystemExit as e:
        problems.append(f"null multiboot kernel: {e}")
    stages = [key for key, _ in ANATOMY] + ["exit_whole_ns"]
    for key in stages:
        value = prof.get(key)
        if value is None:
            problems.append(f"{key} missing")
        elif not 0 < value < HISTOGRAM_TOP_NS:
            problems.append(f"{key}={value:.0f} out of range")
    served = prof.get("served_hypercalls", 0)
    if served < GUEST_TS_CALLS:
        problems.append(f"only {served:.0f} served hypercalls counted")
    if not problems:
        parts = sum(prof[key] for key, _ in ANATOMY)
        whole = prof["exit_whole_ns"]
        guest = prof["guest_host_hypercall_ns"]
        if not whole / 1.5 <= parts <= whole * 1.5:
            problems.append(f"stages sum to {parts:.0f} ns, whole {whole:.0f}")
        if not whole <= guest * 3:
            problems.append(f"whole {whole:.0f} ns, guest saw {guest:.0f}")
    bare = guest_run(args, "host-bare.elf")[0]
    answered = bare.get("bare_answered", 0)
    if answered < GUEST_TS_CALLS:
        problems.append(f"host-bare.elf answered {answered:.0f} calls by "
                        f"entering again, not all {GUEST_TS_CALLS}")
    if not bare.get("guest_host_hypercall_ns", 0) > 0:
        problems.append("host-bare.elf: the guest timed no LHCALL_TS(0)")
    symbols = subprocess.run(["nm", os.path.join(args.out, "host.elf")],
                             capture_output=True, text=True,
                             check=True).stdout
    if "exit_bare_answered" in symbols:
        problems.append("host.elf has host-bare.elf's short way "
                        "(exit_bare_answered)")
    print(f"  host-bare.elf: {answered:.0f} answered by entering again, "
          f"guest_host_hypercall_ns={bare.get('guest_host_hypercall_ns')}")
    for key in stages + ["served_hypercalls", "guest_host_hypercall_ns"]:
        print(f"  {key}={prof.get(key, 'missing')}")
    if problems:
        print("FAIL exit profile: " + "; ".join(problems))
        sys.exit(1)
    print("PASS exit profile")


if __name__ == "__main__":
    main()
