#!/usr/bin/env python3
"""scripts/start_translation_check.py: newlib's printf engine does not run
before the first guest instruction (`make check`).

The host's start is mostly QEMU translating code that runs once, and
printf's engine is some 110 translated blocks, 0.5-0.7 ms of a start of
~5 ms (docs/host-design.md "Boot", round 5). Lines logged while the host
starts are therefore kept as their format and arguments (host/arch/logfmt.c)
and formatted only when they are written, after the first guest's READY. A
new snprintf() on the way to the first guest, or a line logfmt refuses,
would bring it all back, and no timed figure would show it through the
noise of these machines. What QEMU translates does not move: this boots
one guest under `-d in_asm` (scripts/translated_blocks.py) and fails if
any of printf's functions was translated before the guest's first
instruction. It prints the block count, for the record; the count itself
is not judged (it belongs to `make bench`).

Usage: scripts/start_translation_check.py [--out build]
Prints PASS or FAIL; exit status 0 if it passed.
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translated_blocks        # noqa: E402

# newlib's formatted output (nano formatted I/O): the entry points and the
# engine they share.
PRINTF = {"snprintf", "vsnprintf", "_vsnprintf_r", "_snprintf_r",
          "_svfprintf_r", "_printf_i", "_printf_common", "__ssputs_r",
          "_vfprintf_r", "_vfiprintf_r", "_svfiprintf_r", "sprintf",
          "vsprintf", "printf", "vprintf", "fprintf", "vfprintf"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="build")
    args = ap.parse_args()
    blocks, insns, est_us, by_function = translated_blocks.count(args.out)
    found = [(fn, n) for fn, n, _ in by_function if fn in PRINTF]
    if not any(fn == "host_main" for fn, _, _ in by_function):
        print("FAIL start translation: host_main is not among the blocks "
              "before the first guest; the count is not of the host's start")
        return 1
    if found:
        print("FAIL start translation: newlib's printf ran before the "
              "first guest instruction: " +
              ", ".join(f"{fn} ({n} blocks)" for fn, n in found) +
              "; keep the line (hlog while the log is deferred) or format "
              "it later")
        return 1
    print(f"PASS start translation: no printf before the first guest "
          f"instruction ({blocks} blocks, {insns} instructions, "
          f"~{est_us / 1000:.2f} ms to translate)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
