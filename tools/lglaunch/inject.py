"""tools/lglaunch/inject.py: the value of tools/lguest's --inject=, the
host's test-only fault injection (docs/host-design.md "Fault injection").

tools/lguest checks the value by the host's own rules
(host/rules/inject_args.c) before QEMU starts, and hands it to the host as
the word inject=VALUE of its command line. The modes and limits here are
the host's; scripts/launcher_unit.py compares them with the C source.
"""
import re

from .status import LaunchError

# Mode: (default N, largest N). irq-delay's N is milliseconds.
MODES = {
    "blk-fail": (10, 1000000),
    "blk-stall": (10, 1000000),
    "blk-short": (10, 1000000),
    "net-drop": (10, 1000000),
    "net-dup": (10, 1000000),
    "net-reorder": (10, 1000000),
    "irq-delay": (10, 10000),
    "irq-coalesce": (4, 1000000),
}

ITEM = re.compile(r"([a-z-]+)(?::([1-9][0-9]*))?")


def parse(value):
    """'blk-fail:5,net-drop' -> {'blk-fail': 5, 'net-drop': 10}; a
    LaunchError naming the bad part and the fix for anything else."""
    modes = ", ".join(MODES)
    if not value:
        raise LaunchError("lguest: --inject needs =MODE[:N][,MODE[:N]...] "
                          f"(modes: {modes})")
    out = {}
    for item in value.split(","):
        m = ITEM.fullmatch(item)
        name = m.group(1) if m else item.partition(":")[0]
        if name not in MODES:
            raise LaunchError(f"lguest: --inject={value}: unknown mode "
                              f"{name!r} (modes: {modes})")
        default, most = MODES[name]
        n = int(m.group(2)) if m and m.group(2) else default
        if not m or n > most:
            unit = " (milliseconds)" if name == "irq-delay" else ""
            raise LaunchError(f"lguest: --inject={value}: {item}: expected "
                              f"{name}:N, N a number 1..{most}{unit}")
        if name in out:
            raise LaunchError(f"lguest: --inject={value}: mode {name} given "
                              "twice (give each mode once)")
        out[name] = n
    return out


def host_word(value):
    """The host's command-line word for a checked --inject value."""
    parse(value)
    return f"inject={value}"
