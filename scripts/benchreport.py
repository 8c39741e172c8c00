#!/usr/bin/env python3
"""scripts/benchreport.py: `make bench` as one report (issue 13's figures).

The bench scripts measure; this module only reads what they wrote and
judges it. Each script, given --json, writes its part into build/bench/:
  boot.json     scripts/bench.py     exits, exit profile, boot timeline
  blk.json      scripts/blkbench.py  block sweep, image on disk
  blk-shm.json  scripts/blkbench.py  the same on tmpfs (/dev/shm)
  net.json      scripts/netbench.py  UDP echo, tunnet, udpblast
From them it writes build/bench/report.json and, with gnuplot
(scripts/benchplot.py), build/bench/{blk,boot,exit,net}.svg, and prints
(scripts/benchtable.py) the figures table: each figure next to its floor measured in the same run,
their ratio, the goal and whether it is met, p99 next to p50, and a flag
wherever a p99 is more than 5 x its p50 (the explanation goes in
docs/host-design.md "Performance"). A baseline report (by default the
committed docs/bench/report.json) supplies "was" values and the pps that
udpblast must not fall below.

--publish DIR copies report.json, report.txt and the SVGs from build/bench/
to DIR (`make bench-report`: docs/bench/, which the README shows).

Usage: scripts/benchreport.py [--out build] [--baseline FILE|none]
       [--publish docs/bench]
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
PARTS = {"boot": "boot.json", "blk": "blk.json", "blk_shm": "blk-shm.json",
         "net": "net.json"}
DEFAULT_BASELINE = os.path.join(ROOT, "docs", "bench", "report.json")

# Issue 13's goals.
GOAL_HYPERCALL_F = 1.3      # served hypercall <= 1.3 F
GOAL_BLK_EXITS = 1.2        # guest p50 - native p50 <= 1.2 served exits
GOAL_DISK_NATIVE = 1.2      # host "disk" time <= 1.2 x native request
GOAL_READY_NULL = 1.15      # READY <= 1.15 x the null kernel
GOAL_ENTRY_MS = 5.0         # host_main -> first guest instruction
GOAL_ECHO_US = 40.0         # guest -> guest UDP echo p50
GOAL_NOBUF_PCT = 1.0        # udpblast datagrams that found no buffer
P99_FLAG = 5.0              # a p99 above 5 x its p50 needs explaining


def save_part(path, part):
    """What a bench script calls with --json: its part of the report."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(part, f, indent=1, sort_keys=True)
        f.write("\n")


def load_parts(bench_dir):
    parts = {}
    for name, file in PARTS.items():
        path = os.path.join(bench_dir, file)
        if os.path.exists(path):
            with open(path) as f:
                parts[name] = json.load(f)
    return parts


def percentile(values, pct):
    """Nearest rank (as lib/stats.c and netbench.py): of 3 boots, the
    p99 is the slowest."""
    ordered = sorted(values)
    rank = max(1, -(-pct * len(ordered) // 100))
    return ordered[rank - 1]


def median(values):
    return percentile(values, 50)


def floor_ns(b):
    """F, in ns, from one boot's BENCH figures: the 2.6.23 design's floor
    for one exit, 2 x %cr3 + int/iret (bench.py prints it too)."""
    return 2 * b["host_cr3_load_ns"] + b["host_int_iret_ring1_ns"]


def floor_f_us(boot):
    return floor_ns(boot["bench"]) / 1000


def bare_switch(boot):
    """(µs, its F in µs, ratio) of the world switch alone, from
    build/host-bare.elf's boot (bench.py), or None if not measured."""
    b = boot.get("bare")
    if not b:
        return None
    floor = floor_ns(b) / 1000
    return b["switch_ns"] / 1000, floor, b["switch_ns"] / 1000 / floor


def served_exit_us(boot):
    return boot["bench"]["guest_host_hypercall_ns"] / 1000


def figure(fid, name, unit, value=None, p50=None, p99=None, floor=None,
           floor_what="", ratio=None, goal="", met=None, note=""):
    flag = p50 is not None and p99 is not None and p50 > 0 and \
        p99 > P99_FLAG * p50
    return {"id": fid, "figure": name, "unit": unit, "value": value,
            "p50": p50, "p99": p99, "floor": floor, "floor_what": floor_what,
            "ratio": ratio, "goal": goal, "met": met, "p99_flag": flag,
            "note": note}


def translated_note(boot):
    """What QEMU translated before the first guest (bench.py), if known."""
    t = boot.get("translated")
    if not t:
        return ""
    return (f"; {t['blocks']} blocks translated before it "
            f"(~{t['estimate_us'] / 1000:.2f} ms by estimate, "
            "scripts/translated_blocks.py)")


def read_case(blk, case):
    c = blk["cases"].get(case)
    return c and (c["native"], c["guest"])


def block_sweep(blk, exit_us):
    """One row per size of the read and write sweeps: native and guest
    p50/p99, and (reads) the gap of the p50s in served exits."""
    rows = []
    for case, c in blk["cases"].items():
        if not case.startswith("sweep_"):
            continue
        n, g = c["native"], c["guest"]
        gap = g["p50_us"] - n["p50_us"]
        rows.append({
            "case": case, "op": case.split("_")[1], "size": int(n["size"]),
            "native_p50": n["p50_us"], "native_p99": n["p99_us"],
            "guest_p50": g["p50_us"], "guest_p99": g["p99_us"],
            "gap_us": gap, "gap_exits": gap / exit_us if exit_us else None,
            "p99_flag_native": n["p99_us"] > P99_FLAG * n["p50_us"],
            "p99_flag_guest": g["p99_us"] > P99_FLAG * g["p50_us"]})
        rows[-1]["p99_flag"] = rows[-1]["p99_flag_native"] or \
            rows[-1]["p99_flag_guest"]
    return sorted(rows, key=lambda r: (r["op"], r["size"]))


def figures(parts, baseline=None):
    """Issue 13's table, computed from one run's parts; a figure whose
    part is missing is there with met=None ("not measured")."""
    boot, blk, net = parts.get("boot"), parts.get("blk"), parts.get("net")
    out = []
    f_us = floor_f_us(boot) if boot else None
    exit_us = served_exit_us(boot) if boot else None
    if boot:
        prof = boot.get("prof", {})
        p50, p99 = prof.get("exit_whole_ns"), prof.get("exit_whole_p99_ns")
        ratio = exit_us / f_us
        bare = bare_switch(boot)
        out.append(figure(
            "hypercall", "hypercall served by host C code", "µs", exit_us,
            p50 and p50 / 1000, p99 and p99 / 1000, f_us,
            "F = 2 x %cr3 load + ring-1 int/iret", ratio,
            f"<= {GOAL_HYPERCALL_F} F", ratio <= GOAL_HYPERCALL_F,
            "value: guest-measured mean; p50/p99: host-prof whole loop" +
            (f"; the world switch alone is {bare[2]:.2f} F (next row)"
             if bare else "")))
        if bare:
            out.append(figure(
                "bare_switch", "world switch alone, no host C", "µs",
                bare[0], floor=bare[1],
                floor_what="F of its own boot", ratio=bare[2],
                goal="info: bounds the row above",
                note="host-bare.elf answers LHCALL_TS(0) by entering the "
                     "guest again at once; guest-measured mean"))
    else:
        out.append(figure("hypercall", "hypercall served by host C code",
                          "µs", goal=f"<= {GOAL_HYPERCALL_F} F"))
    if blk and boot and read_case(blk, "rand_read_4k"):
        n, g = read_case(blk, "rand_read_4k")
        reads = [r for r in block_sweep(blk, exit_us) if r["op"] == "read"]
        worst = max(reads, key=lambda r: r["gap_exits"], default=None)
        gap = g["p50_us"] - n["p50_us"]
        ratios = [gap / exit_us] + [r["gap_exits"] for r in reads]
        out.append(figure(
            "blk_read_gap", "block read 4 KiB, guest p50 - native p50", "µs",
            gap, g["p50_us"], g["p99_us"], exit_us, "one served exit",
            gap / exit_us, f"<= {GOAL_BLK_EXITS} x exit, every size",
            max(ratios) <= GOAL_BLK_EXITS,
            f"image in {blk['image_dir']}; p50/p99: the guest's read" +
            (f"; worst sweep size {worst['size']} B: "
             f"{worst['gap_exits']:.2f} x exit" if worst else "")))
    else:
        out.append(figure("blk_read_gap",
                          "block read 4 KiB, guest p50 - native p50", "µs",
                          goal=f"<= {GOAL_BLK_EXITS} x exit"))
    if blk and read_case(blk, "rand_read_4k") and "read" in blk["split"]:
        n, _ = read_case(blk, "rand_read_4k")
        split = blk["split"]["read"]
        disk = split.get("disk_4k_us", split["disk_us"])
        ratio = disk / n["p50_us"] if n["p50_us"] else None
        out.append(figure(
            "disk_vs_native", "host 'disk' time per guest read", "µs",
            disk, None, None, n["p50_us"], "native 4 KiB request (p50)",
            ratio, f"<= {GOAL_DISK_NATIVE} x native",
            ratio is not None and ratio <= GOAL_DISK_NATIVE,
            ("host's p50 for the guest's 4 KiB reads, notify to completion"
             if "disk_4k_us" in split else
             "host's mean per read, all sizes of the run (no 4 KiB p50 "
             "in this run)")))
    else:
        out.append(figure("disk_vs_native", "host 'disk' time per guest read",
                          "µs", goal=f"<= {GOAL_DISK_NATIVE} x native"))
    if boot:
        walls = [r["timeline"]["ready_wall_us"] / 1000
                 for r in boot["per_run"]]
        nulls = [w / 1000 for w in boot["null_multiboot_wall_us"]]
        ready, null = median(walls), median(nulls)
        out.append(figure(
            "ready", "READY on the console, from QEMU start", "ms", ready,
            ready, percentile(walls, 99), null,
            "null multiboot kernel to exit", ready / null,
            f"<= {GOAL_READY_NULL} x null", ready / null <= GOAL_READY_NULL,
            f"{len(walls)} boots, {len(nulls)} null boots"))
        gaps = [(r["timeline"]["guest0_entry_us"] -
                 r["timeline"]["host_main_us"]) / 1000
                for r in boot["per_run"]]
        out.append(figure(
            "first_guest", "host_main -> first guest instruction", "ms",
            median(gaps), median(gaps), percentile(gaps, 99), None, "-",
            None, f"<= {GOAL_ENTRY_MS:g} ms",
            median(gaps) <= GOAL_ENTRY_MS, f"{len(gaps)} boots" +
            translated_note(boot)))
    else:
        out.append(figure("ready", "READY on the console, from QEMU start",
                          "ms", goal=f"<= {GOAL_READY_NULL} x null"))
        out.append(figure("first_guest",
                          "host_main -> first guest instruction", "ms",
                          goal=f"<= {GOAL_ENTRY_MS:g} ms"))
    if net and "64" in net["echo"]:
        e = net["echo"]["64"]
        floor = 2 * f_us if f_us else None
        out.append(figure(
            "echo", "guest->guest UDP echo p50 (sharenet, 1..64 B)", "µs",
            e["p50"], e["p50"], e["p99"], floor,
            "four world switches = 2 F", floor and e["p50"] / floor,
            f"<= {GOAL_ECHO_US:g} µs", e["p50"] <= GOAL_ECHO_US,
            f"{e['received']} echoes"))
    else:
        out.append(figure("echo", "guest->guest UDP echo p50 (sharenet, "
                          "1..64 B)", "µs", goal=f"<= {GOAL_ECHO_US:g} µs"))
    if net and net["blast"]:
        out.append(nobuf_figure(net["blast"], baseline))
    else:
        out.append(figure("nobuf", "udpblast: datagrams with no free buffer",
                          "%", goal=f"< {GOAL_NOBUF_PCT:g} %, pps no lower"))
    # Nothing gets slower: shown with their floors, judged by reading.
    if boot:
        b = boot["bench"]
        trap = b["host_int_iret_ring1_ns"] / 1000
        null = b["guest_null_hypercall_ns"] / 1000
        out.append(figure("null_hypercall", "null hypercall (no regression)",
                          "µs", null, None, None, trap, "bare int/iret",
                          null / trap, "no slower (0.36 µs before)"))
    if net and "64" in net.get("outside", {}):
        o = net["outside"]["64"]
        out.append(figure("tunnet_echo", "tunnet UDP echo 64 B "
                          "(no regression)", "µs", o["p50"], o["p50"],
                          o["p99"], goal="no slower"))
    was = {f["id"]: f.get("value") for f in (baseline or {}).get(
        "figures", [])}
    for f in out:
        f["was"] = was.get(f["id"])
    return out


def nobuf_figure(blasts, baseline):
    pcts = [100 * b["failed"] / (b["sent"] + b["failed"]) for b in blasts]
    old = {b["size"]: b["pps"] for b in
           (baseline or {}).get("network", {}).get("blast", [])}
    slower = [b["size"] for b in blasts
              if b["size"] in old and b["pps"] < old[b["size"]]]
    pps = ", ".join(f"{b['size']} B: {b['pps']} pps" +
                    (f" (was {old[b['size']]})" if b["size"] in old else "")
                    for b in blasts)
    return figure("nobuf", "udpblast: datagrams with no free buffer", "%",
                  max(pcts), None, None, 0.0, "0", None,
                  f"< {GOAL_NOBUF_PCT:g} %, pps no lower",
                  max(pcts) < GOAL_NOBUF_PCT and not slower,
                  pps + ("" if old else "; no baseline pps"))


def network_rows(net):
    rows = []
    for size, e in net["echo"].items():
        rows.append({"path": "guest 0 -> guest 1 (sharenet)",
                     "size": f"1..{size}", **{k: e[k] for k in
                                             ("p50", "p99", "min", "max")}})
    for size, o in net.get("outside", {}).items():
        rows.append({"path": "machine -> guest (tunnet)", "size": size,
                     **{k: o[k] for k in ("p50", "p99", "min", "max")}})
    for r in rows:
        r["p99_flag"] = r["p99"] > P99_FLAG * r["p50"]
    return sorted(rows, key=lambda r: (r["path"], int(r["size"].split(
        ".")[-1])))


ANATOMY = [("exit_guest_cr3", "%cr3 in"), ("exit_guest_part", "guest"),
           ("exit_host_cr3", "%cr3 home"), ("exit_return", "back into C"),
           ("exit_host_c", "host C")]
TIMELINE = [("host_main_us", "host entered (host_main)"),
            ("guest0_entry_us", "first guest instruction"),
            ("guest0_lguest_init_us", "LHCALL_LGUEST_INIT"),
            ("guest0_bus_scan_us", "bus scan done"),
            ("guest0_ready_us", "READY (guest's clock)"),
            ("ready_wall_us", "READY on the console (wall)")]


def anatomy_rows(boot):
    prof = boot.get("prof", {})
    rows = [{"stage": label, "p50_ns": prof.get(key + "_ns"),
             "p99_ns": prof.get(key + "_p99_ns")} for key, label in ANATOMY
            if key + "_ns" in prof]
    for r in rows:
        r["p99_flag"] = bool(r["p50_ns"] and r["p99_ns"] and
                             r["p99_ns"] > P99_FLAG * r["p50_ns"])
    return rows


def timeline_rows(boot):
    rows = []
    for key, label in TIMELINE:
        values = [r["timeline"][key] / 1000 for r in boot["per_run"]
                  if key in r["timeline"]]
        if values:
            rows.append({"event": label, "p50_ms": median(values),
                         "p99_ms": percentile(values, 99)})
    nulls = [w / 1000 for w in boot["null_multiboot_wall_us"]]
    rows.append({"event": "null multiboot kernel exits (wall)",
                 "p50_ms": median(nulls), "p99_ms": percentile(nulls, 99)})
    return rows


def git_describe():
    try:
        return subprocess.run(["git", "-C", ROOT, "describe", "--always",
                               "--dirty"], capture_output=True, text=True,
                              timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def build_report(parts, baseline=None):
    report = {"generated": datetime.datetime.now(datetime.timezone.utc)
              .strftime("%Y-%m-%d %H:%M UTC"), "commit": git_describe(),
              "command": "make bench", "parts": sorted(parts),
              "figures": figures(parts, baseline)}
    boot = parts.get("boot")
    exit_us = served_exit_us(boot) if boot else None
    report["goal_echo_us"] = GOAL_ECHO_US
    report["goal_hypercall_f"] = GOAL_HYPERCALL_F
    if boot:
        report["floor_f_us"] = floor_f_us(boot)
        report["floor_parts_us"] = (boot["bench"]["host_cr3_load_ns"] / 1000,
                                    boot["bench"]["host_int_iret_ring1_ns"] /
                                    1000)
        report["anatomy"] = anatomy_rows(boot)
        report["boot_timeline"] = timeline_rows(boot)
    for name in ("blk", "blk_shm"):
        if name in parts:
            report["block_sweep" + name[3:]] = block_sweep(parts[name],
                                                           exit_us)
            report["image_dir" + name[3:]] = parts[name]["image_dir"]
    if "net" in parts:
        report["network"] = {"echo": network_rows(parts["net"]),
                             "blast": parts["net"]["blast"]}
    report["p99_flags"] = p99_flags(report)
    return report


def p99_flags(report):
    # The echo figures' distributions are listed with the network's.
    flags = [f"{f['figure']}: p99 {f['p99']:.1f} > 5 x p50 {f['p50']:.1f}"
             for f in report["figures"] if f["p99_flag"] and
             f["id"] not in ("echo", "tunnet_echo")]
    for key, where in (("block_sweep", "image_dir"),
                       ("block_sweep_shm", "image_dir_shm")):
        for op in ("read", "write"):
            for side in ("native", "guest"):
                sizes = [str(r["size"]) for r in report.get(key, [])
                         if r["op"] == op and r["p99_flag_" + side]]
                if sizes:
                    flags.append(f"block sweep {op}s, image in "
                                 f"{report[where]}: {side} at "
                                 f"{', '.join(sizes)} B")
    flags += [f"network {r['path']} {r['size']}: p99 {r['p99']} > 5 x p50 "
              f"{r['p50']} µs" for r in report.get("network", {})
              .get("echo", []) if r["p99_flag"]]
    flags += [f"exit stage {r['stage']}: p99 {r['p99_ns']:.0f} > 5 x p50 "
              f"{r['p50_ns']:.0f} ns" for r in report.get("anatomy", [])
              if r["p99_flag"]]
    return flags


def publish(bench_dir, dest):
    """Copy the latest report and plots into DEST (docs/bench/)."""
    try:
        with open(os.path.join(bench_dir, "report.json")) as f:
            plots = tuple(json.load(f)["plots"])
    except (OSError, ValueError, KeyError):
        sys.exit(f"benchreport: no report in {bench_dir}; run `make bench` "
                 "first")
    names = ("report.json", "report.txt") + plots
    missing = [n for n in names
               if not os.path.exists(os.path.join(bench_dir, n))]
    if missing:
        sys.exit(f"benchreport: {bench_dir} has no {', '.join(missing)}; "
                 "run `make bench` first")
    os.makedirs(dest, exist_ok=True)
    for name in names:
        shutil.copyfile(os.path.join(bench_dir, name),
                        os.path.join(dest, name))
    print(f"benchreport: copied {', '.join(names)} to {dest}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build"))
    ap.add_argument("--baseline", default=DEFAULT_BASELINE,
                    help="an earlier report.json, or 'none'")
    ap.add_argument("--publish", metavar="DIR",
                    help="copy build/bench/'s report and plots to DIR")
    args = ap.parse_args()
    bench_dir = os.path.join(args.out, "bench")
    if args.publish:
        publish(bench_dir, args.publish)
        return
    parts = load_parts(bench_dir)
    if not parts:
        sys.exit(f"benchreport: no part in {bench_dir} "
                 f"({', '.join(PARTS.values())}); run `make bench`")
    baseline = None
    if args.baseline != "none" and os.path.exists(args.baseline):
        with open(args.baseline) as f:
            baseline = json.load(f)
    report = build_report(parts, baseline)
    import benchplot
    import benchtable
    report["plots"] = benchplot.plot_all(report, parts, bench_dir)
    save_part(os.path.join(bench_dir, "report.json"), report)
    text = benchtable.table(report)
    with open(os.path.join(bench_dir, "report.txt"), "w") as f:
        f.write(text)
    print(text, end="")
    print(f"benchreport: wrote {bench_dir}/report.json, report.txt and "
          f"{', '.join(report['plots'])}")


if __name__ == "__main__":
    main()
