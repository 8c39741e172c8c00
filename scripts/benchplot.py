"""scripts/benchplot.py: the four plots of `make bench`, as SVG, by gnuplot.

scripts/benchreport.py calls plot_all() with the report it built and the
parts the bench scripts wrote; each plot is one gnuplot script with its
data inline (a datablock), kept next to its SVG in build/bench/ so a plot
can be re-made or tweaked by hand: `gnuplot build/bench/blk.gp`.
  blk.svg   the block sweep, guest vs native, p50 and p99, reads and writes
  boot.svg  the boot timeline next to the null multiboot kernel
  exit.svg  the anatomy of a served exit next to its floor F
  net.svg   the UDP echo latency distributions (min, p50..p99, max) and
            the CDF of the tunnet round trips
gnuplot comes from Debian's gnuplot-nox (scripts/deps.sh installs it).
"""
import os
import shutil
import subprocess
import sys

TERMINAL = ("set terminal svg size {w},{h} dynamic noenhanced "
            "font 'sans,11' background '#ffffff'\nset output '{out}'\n")
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
          "#e377c2", "#7f7f7f"]


def quote(text):
    """A gnuplot single-quoted string."""
    return "'" + str(text).replace("'", "''") + "'"


def datablock(name, rows):
    """Inline data; strings in double quotes, the only ones data has."""
    body = "\n".join(" ".join('"' + c.replace('"', "'") + '"'
                              if isinstance(c, str) else f"{c:g}"
                              for c in row) for row in rows)
    return f"${name} << EOD\n{body}\nEOD\n"


def run_gnuplot(script, path):
    """Write PATH's .gp next to it and run gnuplot on it."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        sys.exit("benchplot: gnuplot not found; run `make deps` (it installs "
                 "Debian's gnuplot-nox)")
    gp = path[:-4] + ".gp"
    with open(gp, "w") as f:
        f.write(script)
    proc = subprocess.run([gnuplot, gp], capture_output=True, text=True,
                          timeout=60)
    if proc.returncode != 0 or not os.path.exists(path):
        sys.exit(f"benchplot: gnuplot failed on {gp}:\n{proc.stderr}")


def plot_blk(rows, path, where):
    """Latency against request size, log-log: native and guest, p50 solid,
    p99 dashed; one panel for reads, one for writes."""
    script = TERMINAL.format(w=1000, h=440, out=path)
    for op in ("read", "write"):
        script += datablock(op, [(r["size"], max(r["native_p50"], 0.5),
                                  max(r["native_p99"], 0.5),
                                  max(r["guest_p50"], 0.5),
                                  max(r["guest_p99"], 0.5))
                                 for r in rows if r["op"] == op])
    title = quote(f"Block sweep, guest vs native (image in {where})")
    script += (f"set multiplot layout 1,2 title {title}\n"
               "set logscale xy\nset grid\nset key top left\n"
               "set xrange [360:92000]\n"
               "set xlabel 'request size (bytes)'\nset ylabel 'latency (µs)'\n"
               "set xtics ('512' 512, '1K' 1024, '2K' 2048, '4K' 4096, "
               "'8K' 8192, '16K' 16384, '32K' 32768, '64K' 65536)\n")
    for op in ("read", "write"):
        script += (f"set title '{op}s'\nplot "
                   f"${op} using 1:2 with linespoints lw 2 pt 7 lc rgb "
                   f"'{COLORS[0]}' title 'native p50', "
                   f"${op} using 1:3 with linespoints lw 1 dt 2 pt 6 lc rgb "
                   f"'{COLORS[0]}' title 'native p99', "
                   f"${op} using 1:4 with linespoints lw 2 pt 7 lc rgb "
                   f"'{COLORS[3]}' title 'guest p50', "
                   f"${op} using 1:5 with linespoints lw 1 dt 2 pt 6 lc rgb "
                   f"'{COLORS[3]}' title 'guest p99'\n")
    run_gnuplot(script + "unset multiplot\n", path)


def bars(segments, path, title, xlabel, marks=(), labels=(), key="below"):
    """Horizontal bars made of segments (row, start, end, legend, color,
    row label), drawn in order; a legend entry per distinct legend; marks:
    (x, row, legend) points; labels: (x, row, text) written right of x;
    the legend below the plot or at its right (key="right")."""
    script = TERMINAL.format(w=900, h=170 + 45 * (1 + max(
        s[0] for s in segments)), out=path)
    top = max([s[2] for s in segments] + [m[0] for m in marks] +
              [x for x, _, _ in labels]) * 1.25
    rows = sorted({s[0]: s for s in segments}.items())
    script += (f"set title {quote(title)}\nset xlabel {quote(xlabel)}\n"
               f"set xrange [0:{top:g}]\nset yrange [-0.6:{len(rows) - 0.4}] "
               "reverse\nset grid x\n"
               + ("set key outside right top vertical\n" if key == "right"
                  else "set key outside below horizontal\n") +
               "set style fill solid 0.85 border lc rgb '#333333'\n")
    script += "set ytics (" + ", ".join(
        f"{quote(s[5])} {row}" for row, s in rows) + ")\n"
    plots, seen = [], set()
    for i, (row, start, end, label, color, _) in enumerate(segments):
        script += datablock(f"s{i}", [((start + end) / 2, row,
                                       (end - start) / 2, 0.32)])
        plots.append(f"$s{i} using 1:2:3:4 with boxxyerror lc rgb "
                     f"'{color}' " + (f"title {quote(label)}"
                                      if label not in seen else "notitle"))
        seen.add(label)
    for i, (x, row, mtitle) in enumerate(marks):
        script += datablock(f"m{i}", [(x, row)])
        plots.append(f"$m{i} using 1:2 with points pt 9 ps 1.6 lc rgb "
                     f"'#000000' title {quote(mtitle)}")
    if labels:
        script += datablock("labels", [(x, row, " " + text)
                                       for x, row, text in labels])
        plots.append("$labels using 1:2:3 with labels left notitle")
    run_gnuplot(script + "plot " + ", ".join(plots) + "\n", path)


def plot_boot(rows, path):
    """Each event of the boot as a bar from QEMU's start, the median dark
    over the slowest boot (nearest-rank p99 of a few boots) light; the null
    kernel's exit, the floor of READY, in grey."""
    segs = []
    for i, r in enumerate(rows):
        null = "null" in r["event"]
        segs.append((i, 0, r["p99_ms"], "null kernel p99" if null else
                     "p99 (slowest boot)", "#dddddd" if null else "#aec7e8",
                     r["event"]))
        segs.append((i, 0, r["p50_ms"], "null multiboot kernel (floor)"
                     if null else "lgref, median", "#7f7f7f" if null
                     else COLORS[0], r["event"]))
    labels = [(r["p99_ms"], i, f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f}")
              for i, r in enumerate(rows)]
    bars(segs, path, "Boot timeline (ms from QEMU's start; labels: "
         "p50 / p99)", "ms", labels=labels)


def plot_exit(report, path):
    """The served exit's five stages (p50) stacked, above its floor F =
    %cr3 + int/iret + %cr3 with the goal 1.3 F marked, the guest-measured
    mean as a diamond; below them the world switch alone (host-bare.elf),
    when the run measured it."""
    segs, x = [], 0.0
    for i, r in enumerate(report["anatomy"]):
        segs.append((0, x / 1000, (x + r["p50_ns"]) / 1000, r["stage"],
                     COLORS[i], "served exit, host-prof stages (p50)"))
        x += r["p50_ns"]
    f = report["floor_f_us"]
    cr3, trap = report["floor_parts_us"]
    segs += [(1, 0, cr3, "floor: %cr3 load", "#bbbbbb", "floor F"),
             (1, cr3, cr3 + trap, "floor: ring-1 int/iret", "#888888",
              "floor F"),
             (1, cr3 + trap, f, "floor: %cr3 load", "#bbbbbb", "floor F")]
    hyper = next(g for g in report["figures"] if g["id"] == "hypercall")
    marks = [(hyper["value"], 0, "guest-measured mean"),
             (report["goal_hypercall_f"] * f, 1,
              f"the goal, {report['goal_hypercall_f']:g} F")]
    bare = next((g for g in report["figures"] if g["id"] == "bare_switch"),
                None)
    if bare:
        segs.append((2, 0, bare["value"], "world switch alone, no host C",
                     "#17becf", "switch alone (host-bare.elf)"))
    bars(segs, path, "Anatomy of a served exit (µs)", "µs", marks,
         key="right")


def plot_net(rows, samples, floor, goal, path):
    """Left: per path and size, whiskers min..max, box p50..p99, a bar at
    p50; the floor (four world switches) and the guest-to-guest goal as
    lines. Right: the CDF of every tunnet round trip."""
    script = TERMINAL.format(w=1000, h=440, out=path)
    script += datablock("net", [(i + 1, r["min"], r["p50"], r["p99"],
                                 r["max"], ("LAN " if "sharenet" in r["path"]
                                            else "tunnet ") + r["size"] +
                                 " B")
                                for i, r in enumerate(rows)])
    script += ("set multiplot layout 1,2 title 'UDP echo round trips'\n"
               "set logscale y\nset grid y\nset ylabel 'µs'\n"
               f"set xrange [0.4:{len(rows) + 0.6}]\nset key top left\n"
               "set style fill solid 0.3\nset boxwidth 0.4\n"
               "set xtics rotate by -20\n"
               "set title 'min, p50..p99 (box), max'\nplot $net using "
               "1:3:2:5:4:xtic(6) with candlesticks whiskerbars lc rgb "
               f"'{COLORS[0]}' title 'p50..p99, min..max', $net using "
               "1:3:3:3:3 with candlesticks lw 2 lc rgb '#000000' title "
               "'p50'")
    if floor:
        script += (f", {floor:g} with lines dt 2 lc rgb '#7f7f7f' title "
                   "'four world switches (2 F)'")
    script += (f", {goal:g} with lines dt 3 lc rgb '{COLORS[3]}' title "
               "'goal: guest->guest p50'\n")
    script += ("set title 'CDF of the tunnet round trips'\nunset logscale\n"
               "set logscale x\nset xrange [*:*]\nset yrange [0:1]\n"
               "set xlabel 'µs'\nset ylabel 'fraction <= x'\n"
               "set xtics auto norotate\n"
               "set key bottom right\n")
    plots = []
    for i, (size, values) in enumerate(sorted(samples.items(),
                                              key=lambda s: int(s[0]))):
        ordered = sorted(values)
        n = len(ordered)
        script += datablock(f"cdf{i}", [(v, (k + 1) / n)
                                        for k, v in enumerate(ordered)])
        plots.append(f"$cdf{i} using 1:2 with steps lw 2 lc rgb "
                     f"'{COLORS[i]}' title 'tunnet {size} B ({n})'")
    script += ("plot " + ", ".join(plots) + "\n") if plots else \
        "plot NaN notitle\n"
    run_gnuplot(script + "unset multiplot\n", path)


def plot_all(report, parts, bench_dir):
    """Every plot whose data the run has; returns the SVG names made."""
    made = []
    for name in ("blk.svg", "boot.svg", "exit.svg", "net.svg"):
        path = os.path.join(bench_dir, name)
        if os.path.exists(path):
            os.remove(path)     # never publish a plot from an older run
    if "block_sweep" in report:
        plot_blk(report["block_sweep"], os.path.join(bench_dir, "blk.svg"),
                 report["image_dir"])
        made.append("blk.svg")
    if "boot_timeline" in report:
        plot_boot(report["boot_timeline"], os.path.join(bench_dir,
                                                        "boot.svg"))
        made.append("boot.svg")
    if report.get("anatomy"):
        plot_exit(report, os.path.join(bench_dir, "exit.svg"))
        made.append("exit.svg")
    if "network" in report:
        samples = {size: o.get("samples", []) for size, o in
                   parts["net"].get("outside", {}).items()}
        echo = next(f for f in report["figures"] if f["id"] == "echo")
        plot_net(report["network"]["echo"], samples, echo["floor"],
                 report["goal_echo_us"], os.path.join(bench_dir, "net.svg"))
        made.append("net.svg")
    return made
