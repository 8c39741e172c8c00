#!/usr/bin/env python3
"""scripts/bench.py: lgref's benchmarks, measured in one run (`make bench`).

Every figure is printed next to a reference measured in the same run, as a
ratio, because these machines are noisy: absolute numbers drift, ratios
taken seconds apart much less. Never used by `make check`.

One boot of the host with "bench" on its command line and the default
guest with "hcbench" gives:
  - from the guest (COM1): a null hypercall (LHCALL_FLUSH_ASYNC), a
    hypercall served by host C code (LHCALL_TS(0)), a page fault the
    shadow pager fixes, and the guest's boot events;
  - from the host (COM2): a bare %cr3 load and a bare ring-1 -> ring-0
    int/iret, and the host's boot events.
A boot of build/host-bare.elf gives the world switch alone (the same
LHCALL_TS(0) loop, answered by entering the guest again at once), and one
of build/host-prof.elf the anatomy of a served hypercall.
The 2.6.23 design switches page directories twice per exit, so its floor
for any exit is 2 x %cr3 + int/iret, from the same run. Boot times count
from QEMU's TSC zero (QEMU starts the TSC near 0 when it creates the
machine), next to a null multiboot kernel's wall time to exit.

With --json PATH it also writes what it measured there, for the report
and its plots (scripts/benchreport.py).
"""
import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

from benchreport import floor_ns, save_part
from qemu_io import power_off, read_until
import translated_blocks

# The machine is tools/lguest's (tools/lglaunch/qemu.py).
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tools"))
from lglaunch import guests as guestargs        # noqa: E402
from lglaunch import qemu                       # noqa: E402


# The guest's LHCALL_TS(0) loop (apps/hcall_bench.c HOST_CALLS): host-prof
# must count them all, and all must take host-bare.elf's short way for its
# figure to mean anything (exit_profile_check.py checks both).
GUEST_TS_CALLS = 20000


def boot_once(cmd, expect=33, stdin_data=None, timeout=120):
    t0 = time.monotonic()
    proc = subprocess.run(cmd, input=stdin_data, capture_output=True,
                          timeout=timeout)
    elapsed = time.monotonic() - t0
    if proc.returncode != expect:
        raise SystemExit(f"bench: {shlex.join(cmd)} exited "
                         f"{proc.returncode}\n{proc.stdout.decode()[-2000:]}")
    return elapsed, proc.stdout.decode(errors="replace")


def parse(text, kind):
    """Name -> float for 'KIND name=value' lines."""
    return {m.group(1): float(m.group(2))
            for m in re.finditer(rf"^{kind} (\w+)=([0-9.]+)", text, re.M)}


def guest_run(args, host_elf="host.elf"):
    """One host+guest boot in bench mode, as tools/lguest would run
    `64 guest.elf hcbench` with "bench" on the host's command line;
    returns the BENCH and TIMELINE figures of both sides (and EXITPROF
    ones from build/host-prof.elf), and the wall time."""
    guests = guestargs.parse_all(["64", os.path.join(args.out, "guest.elf"),
                                  "hcbench"])
    with tempfile.TemporaryDirectory() as scratch:
        diag = os.path.join(scratch, "diag.log")
        cmd = qemu.command(guests, None, args.out, args.qemu, diag,
                           host=os.path.join(args.out, host_elf),
                           host_words=["bench"])
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)
        t0 = time.monotonic()
        # READY, then the guest's own measurements, then power off.
        out = read_until(proc, b"\nREADY")
        ready_wall = time.monotonic() - t0
        out = read_until(proc, b"BENCH done", out)
        out = power_off(proc, out, 120)
        wall = time.monotonic() - t0
        with open(diag, errors="replace") as f:
            host = f.read()
    if proc.returncode != 33:
        raise SystemExit(f"bench: guest run exited {proc.returncode}\n"
                         f"{out.decode(errors='replace')[-2000:]}\n{host}")
    text = out.decode(errors="replace").replace("\r", "")
    bench = (parse(text, "BENCH") | parse(host, "BENCH") |
             parse(host, "EXITPROF"))
    timeline = parse(text, "TIMELINE") | parse(host, "TIMELINE")
    timeline["ready_wall_us"] = ready_wall * 1e6
    answered = re.search(r"(\d+) LHCALL_TS\(0\) answered by entering "
                         r"again at once", host)
    if answered:        # build/host-bare.elf (host/core/exit_hooks.h)
        bench["bare_answered"] = float(answered.group(1))
    return bench, timeline, wall


ANATOMY = [
    ("exit_guest_cr3_ns", "lgdt, lidt, %cr3 load into the guest"),
    ("exit_guest_part_ns", "pop, iret, guest to int $0x1f, trap"),
    ("exit_host_cr3_ns", "%cr3 load home, host GDT/IDT/segments"),
    ("exit_return_ns", "return into the host's C run loop"),
    ("exit_host_c_ns", "host C: serve it, deliver, prepare"),
]


def print_anatomy(prof):
    """Where a served hypercall's time goes, from one boot of
    build/host-prof.elf (host/prof/exit_profile.h): medians of each stage."""
    print("Anatomy of a served hypercall (host-prof.elf, medians, ns)")
    for key, label in ANATOMY:
        print(f"  {label:40} {prof[key]:8.0f}")
    parts = sum(prof[key] for key, _ in ANATOMY)
    print(f"  {'sum of the stages':40} {parts:8.0f}")
    print(f"  {'whole loop, measured at once':40} "
          f"{prof['exit_whole_ns']:8.0f}")
    print(f"  {'the same hypercall, guest-measured mean':40} "
          f"{prof['guest_host_hypercall_ns']:8.0f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="build")
    ap.add_argument("--qemu", default=qemu.PROGRAM)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="also write the figures here "
                    "(build/bench/boot.json for scripts/benchreport.py)")
    args = ap.parse_args()

    # Several boots; each figure is the median across them.
    runs = [guest_run(args) for _ in range(args.runs)]
    bench = {k: statistics.median(r[0][k] for r in runs if k in r[0])
             for k in runs[0][0]}
    timeline = {k: statistics.median(r[1][k] for r in runs if k in r[1])
                for k in runs[0][1]}
    # The same machine with nothing to run: COM1 to nowhere, no modules.
    null_cmd = (qemu.machine(args.qemu, qemu.ram_mb([], 0), console="null") +
                qemu.kernel_boot(os.path.join(args.out, "tests",
                                              "null-multiboot.elf")))
    null_walls = [boot_once(null_cmd)[0] for _ in range(5)]
    null_s = statistics.median(null_walls)
    # What QEMU translates before the first guest instruction: the same
    # in every boot, where the time to it moves by 10-20 %.
    tb_blocks, tb_insns, tb_us, _ = translated_blocks.count(
        args.out, args.qemu)

    cr3 = bench["host_cr3_load_ns"]
    trap = bench["host_int_iret_ring1_ns"]
    floor = floor_ns(bench)

    print("Exits (ns per operation; medians of %d boots)" % args.runs)
    print(f"  {'case':34} {'ours':>10} {'reference':>12} {'ratio':>7}")

    def row(name, ours, ref, ref_name):
        print(f"  {name:34} {ours:10.1f} {ref:12.1f} {ours / ref:7.2f}"
              f"   vs {ref_name}")

    row("null hypercall (FLUSH_ASYNC)", bench["guest_null_hypercall_ns"],
        floor, "2.6.23 design floor")
    row("null hypercall (FLUSH_ASYNC)", bench["guest_null_hypercall_ns"],
        trap, "bare int/iret")
    row("hypercall served by the host", bench["guest_host_hypercall_ns"],
        floor, "2.6.23 design floor")
    row("shadow page fault", bench["guest_shadow_fault_ns"], floor,
        "2.6.23 design floor")
    print(f"  references measured by the host: %cr3 load {cr3:.1f} ns, "
          f"ring-1 int/iret {trap:.1f} ns, floor = 2 x %cr3 + int/iret = "
          f"{floor:.1f} ns")
    print(f"  first touch of a never-written page: "
          f"{bench.get('guest_first_touch_ns', 0):.1f} ns "
          "(includes QEMU's first-write cost)")
    # The world switch alone: build/host-bare.elf answers the guest's
    # LHCALL_TS(0) by entering it again at once, with no host C work.
    bare = guest_run(args, "host-bare.elf")[0]
    if bare.get("bare_answered", 0) < GUEST_TS_CALLS:
        raise SystemExit("bench: host-bare.elf answered "
                         f"{bare.get('bare_answered', 0):.0f} of the guest's "
                         f"{GUEST_TS_CALLS} LHCALL_TS(0) by entering again")
    row("world switch alone (no host C)", bare["guest_host_hypercall_ns"],
        floor_ns(bare), "2.6.23 design floor")
    print("  (host-bare.elf, its own boot and floor: the switcher's round "
          "trip and the return into and out of the C run loop)")
    print()
    prof = guest_run(args, "host-prof.elf")[0]
    print_anatomy(prof)
    print()
    print("Boot timeline (ms since QEMU's TSC zero)")
    events = [("host_main", "host entered (host_main)"),
              ("guest0_entry", "guest entry (first world switch)"),
              ("guest0_lguest_init", "LHCALL_LGUEST_INIT"),
              ("guest0_bus_scan", "bus scan done"),
              ("guest0_ready", "READY")]
    for key, label in events:
        value = timeline.get(key + "_us")
        if value is not None:
            print(f"  {label:36} {value / 1000:8.1f}")
    print(f"  blocks QEMU translates before the first guest instruction: "
          f"{tb_blocks} ({tb_insns} instructions, ~{tb_us / 1000:.2f} ms)")
    print()
    print("Boot wall time (ms from starting QEMU)")
    ready = timeline["ready_wall_us"] / 1000
    print(f"  {'READY on the guest console':36} {ready:8.1f}")
    print(f"  {'null multiboot kernel exits':36} {null_s * 1000:8.1f}")
    print(f"  {'ratio':36} {ready / (null_s * 1000):8.2f}")
    print()
    print("Machine-readable:")
    for k in sorted(bench):
        print(f"BENCH {k}={bench[k]:.1f}")
    for k in sorted(timeline):
        print(f"TIMELINE {k}={timeline[k]:.0f}")
    print(f"TIMELINE null_multiboot_wall_us={null_s * 1e6:.0f}")
    if args.json:
        save_part(args.json, {
            "part": "boot", "runs": args.runs, "bench": bench,
            "timeline": timeline, "prof": prof,
            "per_run": [{"bench": r[0], "timeline": r[1]} for r in runs],
            "null_multiboot_wall_us": [s * 1e6 for s in null_walls],
            "translated": {"blocks": tb_blocks, "instructions": tb_insns,
                           "estimate_us": tb_us},
            "bare": {"switch_ns": bare["guest_host_hypercall_ns"],
                     "host_cr3_load_ns": bare["host_cr3_load_ns"],
                     "host_int_iret_ring1_ns":
                         bare["host_int_iret_ring1_ns"]}})


if __name__ == "__main__":
    main()
