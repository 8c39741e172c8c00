"""scripts/benchtable.py: the bench report as text (report.txt).

scripts/benchreport.py builds the report (a dict, the same as report.json)
and calls table() for what `make bench` prints and docs/bench/report.txt
keeps: issue 13's figures with floor, ratio, goal and verdict, then the
block sweeps, the anatomy of an exit, the boot timeline and the UDP echo
distributions, p99 next to p50 everywhere, "!" where a p99 is more than
5 x its p50, and the list of those flags.
"""


def fmt(v, digits=2):
    if v is None:
        return "-"
    return f"{v:.{digits}f}" if abs(v) < 100 else f"{v:.0f}"


def verdict(f):
    if f["value"] is None:
        return "not measured"
    return {True: "met", False: "NOT met", None: "info"}[f["met"]]


def sweep_flag(row):
    sides = [s for s in ("native", "guest") if row["p99_flag_" + s]]
    return f"  ! p99 > 5 x p50: {' and '.join(sides)}" if sides else ""


def table(report):
    """The printed report (also docs/bench/report.txt)."""
    lines = [f"Issue 13's figures, one `make bench` run ({report['commit']}, "
             f"{report['generated']}); floors from the same run",
             f"{'figure':50} {'now':>8} {'p50':>7} {'p99':>7} "
             f"{'floor':>7} {'ratio':>6}  {'goal':28} verdict"]
    for f in report["figures"]:
        unit = f" {f['unit']}"
        lines.append(
            f"{f['figure']:50} {fmt(f['value']) + unit:>8} "
            f"{fmt(f['p50']):>7} {fmt(f['p99']):>7}"
            f"{'!' if f['p99_flag'] else ' '}{fmt(f['floor']):>6} "
            f"{fmt(f['ratio']):>6}  {f['goal']:28} {verdict(f)}")
        extra = [x for x in (f["floor_what"] and f["floor_what"] != "-" and
                             "floor: " + f["floor_what"], f["note"],
                             f["was"] is not None and
                             f"was {fmt(f['was'])}{unit}") if x]
        lines.append(f"    {'; '.join(extra)}" if extra else "")
    for key, where in (("block_sweep", "image_dir"),
                       ("block_sweep_shm", "image_dir_shm")):
        if key in report:
            lines += ["", f"Block sweep, image in {report[where]} (µs; gap "
                      "= guest p50 - native p50, in served exits)",
                      f"{'op':6} {'size':>6} {'nat p50':>8} {'nat p99':>8} "
                      f"{'gst p50':>8} {'gst p99':>8} {'gap':>6} "
                      f"{'exits':>6}"]
            lines += [f"{r['op']:6} {r['size']:6d} {r['native_p50']:8.0f} "
                      f"{r['native_p99']:8.0f} {r['guest_p50']:8.0f} "
                      f"{r['guest_p99']:8.0f} {r['gap_us']:6.0f} "
                      f"{fmt(r['gap_exits']):>6}" + sweep_flag(r)
                      for r in report[key]]
    if "anatomy" in report:
        lines += ["", f"Anatomy of a served exit (host-prof.elf, ns; floor "
                  f"F = {report['floor_f_us'] * 1000:.0f} ns)",
                  f"{'stage':14} {'p50':>7} {'p99':>7}"]
        lines += [f"{r['stage']:14} {fmt(r['p50_ns']):>7} "
                  f"{fmt(r['p99_ns']):>7}"
                  f"{'  ! p99 > 5 x p50' if r['p99_flag'] else ''}"
                  for r in report["anatomy"]]
    if "boot_timeline" in report:
        lines += ["", "Boot timeline (ms from QEMU's start; p99: the "
                  "slowest boot)", f"{'event':38} {'p50':>7} {'p99':>7}"]
        lines += [f"{r['event']:38} {r['p50_ms']:7.1f} {r['p99_ms']:7.1f}"
                  for r in report["boot_timeline"]]
    if "network" in report:
        lines += ["", "UDP echo round trips (µs)",
                  f"{'path':32} {'size':>7} {'p50':>6} {'p99':>6} "
                  f"{'min':>6} {'max':>6}"]
        lines += [f"{r['path']:32} {r['size']:>7} {r['p50']:6} {r['p99']:6}"
                  f" {r['min']:6} {r['max']:6}"
                  f"{'  ! p99 > 5 x p50' if r['p99_flag'] else ''}"
                  for r in report["network"]["echo"]]
    lines += ["", "p99 > 5 x p50 (each explained in docs/host-design.md "
              "\"Performance\"):" if report["p99_flags"] else
              "No p99 above 5 x its p50."]
    lines += [f"  ! {flag}" for flag in report["p99_flags"]]
    return "\n".join(lines) + "\n"
