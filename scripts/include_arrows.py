#!/usr/bin/env python3
"""scripts/include_arrows.py: every #include follows an allowed arrow.

The tree is cut into layers (LAYERS below): each names the directories or
files it holds and the layers its files may include. A file belongs to the
layer with the longest matching path, so one file can be given more (or
fewer) arrows than its directory. Every .c, .h and .S file of a layer is
read; each #include that resolves to a file of this tree (a quoted name
first beside the including file, then in the layer's search directories,
the Makefile's -I; an angle name only in those) must land in a layer the
table allows. Includes that resolve to nothing here (newlib, gcc,
multiboot) are the system's and not checked.

Second rule, for the layers in NO_CYCLES: no include circle between
modules (a module is X.c with X.h; "A includes B" when A.c or A.h
includes B.h), except inside a group of CYCLE_GROUPS, each of which says
why it is one design.

Usage: scripts/include_arrows.py [--out DIR] [--root DIR] [--list-cycles]
  --out          accepted and ignored, so check.py can run this as a
                 --script (`make check`)
  --root         the tree to check (default: this script's repository)
  --list-cycles  print every include circle among the NO_CYCLES layers,
                 allowed or not, with its arrows, and exit 0
Exits 0 when every arrow is allowed and no circle is outside a group; else
1, with one line per wrong include (file:line) naming the fix.

The host's layers have "search": ["include", "host"], since host code is
compiled with -Ihost.
"""
import argparse
import os
import re
import sys

# Where includes are looked for when not beside the including file: the
# Makefile's -I directories for the guest (KFLAGS: -Iinclude).
DEFAULT_SEARCH = ["include"]

# name: paths (directories or files, relative to the root), the layers it
# may include (its own is not implied), and optionally "search".
LAYERS = {
    # The ABI headers: self-contained (docs/abi.md).
    "abi": {"paths": ["include/lguest"], "may": ["abi"]},
    # The guest. lib/ is portable C with no kernel in sight (it is unit
    # tested natively); what it needs of the kernel it declares in
    # lib/kapi.h, which the kernel implements.
    "guest-lib": {"paths": ["lib"], "may": ["guest-lib"]},
    "guest-boot": {"paths": ["boot"],
                   "may": ["guest-boot", "guest-kernel", "abi"]},
    # The kernel core knows no driver: console output is its own
    # (kernel/early_console.c), and drivers register with it.
    "guest-kernel": {"paths": ["kernel"],
                     "may": ["guest-kernel", "guest-lib", "abi"]},
    # ...except its top: the start-up sequence brings the drivers up, and
    # the program's contract hands them to the program.
    "guest-kernel-top": {"paths": ["kernel/main.c", "kernel/app.h"],
                         "may": ["guest-kernel-top", "guest-kernel",
                                 "guest-drivers", "guest-lib", "abi"]},
    "guest-drivers": {"paths": ["drivers"],
                      "may": ["guest-drivers", "guest-kernel", "guest-lib",
                              "abi"]},
    # The programs, above everything of the guest; nothing includes them.
    "guest-apps": {"paths": ["apps"],
                   "may": ["guest-apps", "guest-kernel", "guest-kernel-top",
                           "guest-drivers", "guest-lib", "abi"]},
    # The host (docs/host-design.md "Layout"), compiled with -Ihost, so
    # its includes are written "core/guest.h". From the bottom: hardware,
    # which knows no guest; pure rules over guest-supplied data, tested
    # natively; the back-ends, drivers of QEMU's devices that know no
    # guest either; the core (guests, hypercalls, paging, interrupts,
    # DMA, the device table), which names no device; the devices, each
    # written against core/device.h; measurement code; and main.c, which
    # wires them together.
    "host-arch": {"paths": ["host/arch"], "may": ["host-arch", "abi"],
                  "search": ["include", "host"]},
    "host-rules": {"paths": ["host/rules"], "may": ["host-rules", "abi"],
                   "search": ["include", "host"]},
    "host-backends": {"paths": ["host/backends"],
                      "may": ["host-backends", "host-arch", "abi"],
                      "search": ["include", "host"]},
    "host-core": {"paths": ["host/core"],
                  "may": ["host-core", "host-core-api", "host-rules",
                          "host-arch", "abi"],
                  "search": ["include", "host"]},
    # All the core offers a device: guests are opaque there, and their
    # memory is reached through host/rules/gmem.h only.
    "host-core-api": {"paths": ["host/core/device.h"],
                      "may": ["host-rules", "abi"],
                      "search": ["include", "host"]},
    "host-dev": {"paths": ["host/dev"],
                 "may": ["host-dev", "host-core-api", "host-rules",
                         "host-backends", "host-arch", "abi"],
                 "search": ["include", "host"]},
    "host-prof": {"paths": ["host/prof"],
                  "may": ["host-prof", "host-dev", "host-core",
                          "host-core-api", "host-rules", "host-backends",
                          "host-arch", "abi"],
                  "search": ["include", "host"]},
    "host-main": {"paths": ["host/main.c"],
                  "may": ["host-prof", "host-dev", "host-core",
                          "host-core-api", "host-rules", "host-backends",
                          "host-arch", "abi"],
                  "search": ["include", "host"]},
}

# Layers whose modules must not include each other in a circle.
NO_CYCLES = ["guest-lib", "guest-boot", "guest-kernel", "guest-kernel-top",
             "guest-drivers", "guest-apps", "host-arch", "host-rules",
             "host-backends", "host-core", "host-core-api", "host-dev",
             "host-prof", "host-main"]

# Circles that are one design, not a tangle: why, and the modules.
CYCLE_GROUPS = {
    "lib's network stack: a frame goes up through netstack, ipv4 and "
    "icmp/udp, and a reply comes back down through ipv4, arp and netstack":
        ["lib/netstack", "lib/arp", "lib/ipv4", "lib/icmp", "lib/udp"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_EXT = (".c", ".h", ".S")


def layer_of(path):
    """The layer holding `path` (relative, '/'-separated), or None."""
    best, best_len = None, -1
    for name, layer in LAYERS.items():
        for p in layer["paths"]:
            if (path == p or path.startswith(p + "/")) and len(p) > best_len:
                best, best_len = name, len(p)
    return best


def layer_files(root):
    """Every source file of every layer, relative to root, sorted."""
    found = set()
    for layer in LAYERS.values():
        for p in layer["paths"]:
            full = os.path.join(root, p)
            if os.path.isfile(full):
                found.add(p)
            for d, _, files in os.walk(full):
                for f in files:
                    if f.endswith(SOURCE_EXT):
                        found.add(os.path.relpath(os.path.join(d, f), root))
    return sorted(f.replace(os.sep, "/") for f in found)


def includes(root, path):
    """(line number, resolved relative path) for each include of `path`
    that names a file of the tree."""
    search = LAYERS[layer_of(path)].get("search", DEFAULT_SEARCH)
    here = os.path.dirname(path)
    with open(os.path.join(root, path), errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            dirs = ([here] if m.group(1) == '"' else []) + search
            for d in dirs:
                cand = os.path.normpath(os.path.join(d, m.group(2)))
                if os.path.isfile(os.path.join(root, cand)):
                    yield n, cand.replace(os.sep, "/")
                    break


def module(path):
    return os.path.splitext(path)[0]


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                out.append(sorted(scc))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="build")
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    ap.add_argument("--list-cycles", action="store_true")
    args = ap.parse_args()

    for name, layer in LAYERS.items():
        for target in layer["may"]:
            if target not in LAYERS:
                sys.exit(f"include_arrows: layer {name} may include "
                         f"{target!r}, which is not in LAYERS; fix the table")

    errors = []
    graph = {}
    files = layer_files(args.root)
    count = 0
    for path in files:
        src = layer_of(path)
        allowed = LAYERS[src]["may"]
        if layer_of(path) in NO_CYCLES:
            graph.setdefault(module(path), set())
        for line, target in includes(args.root, path):
            count += 1
            dst = layer_of(target)
            if dst is None:
                errors.append(f"{path}:{line}: includes {target}, which is "
                              f"in no layer of scripts/include_arrows.py; "
                              f"include only files of: {', '.join(allowed)}")
            elif dst not in allowed:
                errors.append(f"{path}:{line}: includes {target}: {src} may "
                              f"include only {', '.join(allowed)}, not {dst} "
                              f"(move the code down a layer, or change "
                              f"LAYERS in scripts/include_arrows.py if the "
                              f"design changed)")
            if (src in NO_CYCLES and dst in NO_CYCLES and
                    module(target) != module(path)):
                graph[module(path)].add(module(target))

    groups = {frozenset(mods): why for why, mods in CYCLE_GROUPS.items()}
    for scc in cycles(graph):
        why = next((w for g, w in groups.items() if set(scc) <= g), None)
        arrows = "; ".join(f"{m} -> {', '.join(sorted(graph[m] & set(scc)))}"
                           for m in scc)
        if args.list_cycles:
            print(f"cycle ({'allowed: ' + why if why else 'NOT allowed'}): "
                  f"{arrows}")
        elif why is None:
            errors.append(f"include circle among {', '.join(scc)} ({arrows}):"
                          f" break it (split the header both sides need, or "
                          f"let the lower module take a callback), or list it"
                          f" in CYCLE_GROUPS of scripts/include_arrows.py "
                          f"saying why it is one design")
    if args.list_cycles:
        return 0
    for e in errors:
        print(e)
    if errors:
        print(f"include_arrows: {len(errors)} wrong include(s) in "
              f"{len(files)} files")
        return 1
    print(f"include_arrows: {count} includes in {len(files)} files follow "
          f"the arrows; no include circles but {len(CYCLE_GROUPS)} "
          f"allowed group(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
