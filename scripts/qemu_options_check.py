#!/usr/bin/env python3
"""scripts/qemu_options_check.py: QEMU's options are spelled in one place.

How lgref starts QEMU is defined once, in tools/lglaunch/qemu.py, so that
tests run the machine users run. This check (`make check`) fails when
anything else spells QEMU options itself:
  - Python (scripts/*.py, tools/lguest, tools/lglaunch/*.py): a string
    constant with a QEMU option word ("-m", "-serial", "-device", ...) or
    a device model of the module ("virtio-blk-pci", "isa-debug-exit", ...).
    Docstrings and other bare strings are prose, not looked at.
  - the Makefile and scripts/*.sh: the same words outside comments;
  - tests/boot/*.expect: an @qemu line with an option or device the
    module owns (@qemu is for extras tools/lguest never adds; @memory,
    @disk and @tunnet ask the module for the rest).
The words come from the module itself (a sample command it builds), plus
common QEMU options it does not use, so a new option in the module is
forbidden elsewhere at once. The check first runs on planted samples and
fails if it misses one, so it is known to be able to fail.

Usage: scripts/qemu_options_check.py [--out build]   (--out is ignored)
Exit status 0 when nothing spells QEMU options outside the module.
"""
import ast
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tools"))
from lglaunch import qemu                       # noqa: E402

MODULE = "tools/lglaunch/qemu.py"
SELF = "scripts/qemu_options_check.py"
# QEMU options the module does not use, which no script may use either.
OTHER_FLAGS = {"-machine", "-M", "-cpu", "-smp", "-accel", "-enable-kvm",
               "-nographic", "-monitor", "-chardev", "-net", "-nic",
               "-hda", "-hdb", "-blockdev", "-bios", "-global", "-rtc"}
# Options an @qemu line may still give with other values than the
# module's: a test's own extra device or object.
EXPECT_MAY = {"-device", "-object"}


def module_words():
    """(flags, models): the option words of a command that uses every
    part of the module, and the device and object models it names."""
    cmd = (qemu.machine("qemu", 128, "diag") +
           qemu.kernel_boot("host.elf", ["guest.elf 64 guest.elf"], "x") +
           qemu.cdrom_boot("cd.iso") + qemu.block_options(["disk.img"]) +
           qemu.nic_options(["10.0.2.2"]) + qemu.gdb_options(1234))
    flags = {w for w in cmd[1:] if re.fullmatch(r"-[A-Za-z][\w-]*", w)}
    models = {value.split(",")[0] for opt, value in zip(cmd, cmd[1:])
              if opt in ("-device", "-object")}
    return flags, models


FLAGS, MODELS = module_words()


def bad_words(text, flags):
    """The QEMU words in text: option words, and device models anywhere."""
    found = [w for w in re.split(r"[\s'\"]+", text) if w in flags]
    found += [m for m in MODELS if m in text]
    return found


def python_strings(source):
    """(line, text) of every string constant that is not a bare
    expression (a docstring); f-strings give their constant parts."""
    tree = ast.parse(source)
    prose = {id(node.value) for node in ast.walk(tree)
             if isinstance(node, ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in prose:
            yield node.lineno, node.value


def scan_python(path, source):
    for line, text in python_strings(source):
        for w in bad_words(text, FLAGS | OTHER_FLAGS):
            yield f"{path}:{line}: {w!r} in {text.strip()[:60]!r}"


def scan_make_or_sh(path, source):
    for n, line in enumerate(source.splitlines(), 1):
        code = line.split("#", 1)[0]
        for w in bad_words(code, FLAGS | OTHER_FLAGS):
            yield f"{path}:{n}: {w!r} in {line.strip()[:60]!r}"


def scan_expect(path, source):
    for n, line in enumerate(source.splitlines(), 1):
        if line.startswith("@qemu "):
            for w in bad_words(line[len("@qemu "):], FLAGS - EXPECT_MAY):
                yield (f"{path}:{n}: {w!r}: the machine's own options come "
                       "from tools/lglaunch/qemu.py (@memory, @disk, @tunnet)")


def scan(path, source):
    if path.endswith(".expect"):
        return list(scan_expect(path, source))
    if path == "Makefile" or path.endswith(".sh"):
        return list(scan_make_or_sh(path, source))
    return list(scan_python(path, source))


# Planted samples: (path, source, how many findings the scan must report).
SAMPLES = [
    ("x.py", 'cmd = ["qemu", "-nodefaults", "-m", "256"]\n', 2),
    ("x.py", 'opts = f"-serial file:{diag} -device isa-debug-exit"\n', 3),
    ("x.py", 'cmd += ["-drive", f"file={p},if=none", "-device",\n'
             '        f"virtio-blk-pci,drive=blk{n}"]\n', 3),
    ("x.py", '"""Docstring: QEMU -serial stdio is prose."""\n'
             'x = "the -m option, said in a message"\n', 1),
    ("x.py", 'y = ["python3", "-c", "pass"]  # -nodefaults\n', 0),
    ("Makefile", 'run:\n\t$(QEMU) -serial stdio -kernel $<\n', 2),
    ("Makefile", '# QEMU -nodefaults, in a comment\nCFLAGS := -m32\n', 0),
    ("x.sh", 'qemu-system-i386 -cdrom "$iso" -boot d\n', 2),
    ("t.expect", '@qemu -m 400\n', 1),
    ("t.expect", '@qemu -netdev user,id=n0 -device virtio-net-pci,'
                 'netdev=n0\n', 2),
    ("t.expect", '@qemu -rtc base=localtime -device e1000\n'
                 '# -nodefaults in a comment\n^-serial on COM1$\n', 0),
]


def tree_files():
    paths = (glob.glob("scripts/*.py") + ["tools/lguest"] +
             glob.glob("tools/lglaunch/*.py") + ["Makefile"] +
             glob.glob("scripts/*.sh") + glob.glob("tests/boot/*.expect"))
    return sorted(p for p in paths if p not in (MODULE, SELF))


def main():
    os.chdir(ROOT)
    problems = []
    for path, source, want in SAMPLES:
        got = scan(path, source)
        if len(got) != want:
            problems.append(f"self-test: {path} sample {source!r}: "
                            f"{len(got)} findings, expected {want}: {got}")
    if not {"-nodefaults", "-m", "-serial", "-drive", "-kernel"} <= FLAGS \
            or not {"isa-debug-exit", "virtio-blk-pci"} <= MODELS:
        problems.append(f"self-test: the module's words look wrong: "
                        f"{sorted(FLAGS)} {sorted(MODELS)}")
    files = tree_files()
    for path in files:
        with open(path) as f:
            problems += scan(path, f.read())
    for p in problems:
        print("FAIL " + p)
    if problems:
        print(f"qemu_options_check: QEMU options spelled outside {MODULE}; "
              "build the command with its functions (machine(), "
              "kernel_boot(), block_options(), ...) instead")
        sys.exit(1)
    print(f"PASS {len(files)} files spell no QEMU option outside {MODULE} "
          f"({len(SAMPLES)} planted samples caught)")


if __name__ == "__main__":
    main()
