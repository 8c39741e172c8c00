#!/usr/bin/env python3
"""scripts/mkbzimage.py: our guest as a bzImage, to test bzImage loading.

A bzImage, as the 2.6.23 Launcher reads it (docs/abi.md §1.4), is some
setup code and a gzip stream of the kernel linked for physical 1 MiB. We
build that shape from build/guest.elf:

  - a fake setup area of 1024 bytes (two sectors: the boot flag 0xAA55 at
    0x1FE, "HdrS" and boot protocol 2.06 at 0x202, setup_sects = 1), which
    the Launcher skips; it holds no 0x1F byte, so the scan from byte 52
    meets the payload first;
  - a gzip stream with OS byte 3 (Unix) of `objcopy -O binary` of the ELF:
    its PT_LOAD segments laid out from their lowest physical address, gaps
    zero-filled. That is the kernel loaded at 0x100000 only if the lowest
    p_paddr is 0x100000, every segment has the same page_offset and the
    binary is exactly as long as the segments' file bytes reach: checked
    here, since linker.ld could change.

Usage: scripts/mkbzimage.py [--objcopy objcopy] guest.elf out.bzImage
Standard library only.
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile
import zlib

LOAD_ADDR = 0x100000
SETUP_BYTES = 1024


def load_segments(elf):
    """[(paddr, vaddr, filesz)] of the PT_LOAD segments of an ELF32."""
    if elf[:4] != b"\x7fELF" or elf[4] != 1:
        sys.exit("mkbzimage: not an ELF32 file")
    phoff, = struct.unpack_from("<I", elf, 28)
    phnum, = struct.unpack_from("<H", elf, 44)
    segs = []
    for i in range(phnum):
        p_type, _off, vaddr, paddr, filesz, _memsz = struct.unpack_from(
            "<6I", elf, phoff + 32 * i)
        if p_type == 1:
            segs.append((paddr, vaddr, filesz))
    return segs


def setup_area():
    setup = bytearray(SETUP_BYTES)
    setup[0x1F1] = 1                       # setup_sects
    setup[0x1FE:0x200] = b"\x55\xaa"       # boot flag
    setup[0x202:0x206] = b"HdrS"           # boot protocol header
    setup[0x206:0x208] = struct.pack("<H", 0x0206)
    assert 0x1F not in setup[52:]
    return bytes(setup)


def gzip_unix(data):
    """A gzip member with OS byte 3 (Python's gzip module writes 255)."""
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x00\x03"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return header + body + trailer


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objcopy", default="objcopy")
    ap.add_argument("elf")
    ap.add_argument("out")
    args = ap.parse_args()
    with open(args.elf, "rb") as f:
        segs = load_segments(f.read())
    if not segs:
        sys.exit(f"mkbzimage: {args.elf} has no PT_LOAD segment")
    lo = min(p for p, _, _ in segs)
    end = max(p + n for p, _, n in segs)
    offsets = {(v - p) & 0xFFFFFFFF for p, v, _ in segs}
    if lo != LOAD_ADDR or len(offsets) != 1:
        sys.exit(f"mkbzimage: {args.elf} must be linked at physical "
                 f"{LOAD_ADDR:#x} with one page_offset (lowest p_paddr "
                 f"{lo:#x}, page_offsets {sorted(offsets)})")
    with tempfile.TemporaryDirectory() as tmp:
        binary = os.path.join(tmp, "kernel.bin")
        subprocess.run([args.objcopy, "-O", "binary", args.elf, binary],
                       check=True)
        with open(binary, "rb") as f:
            kernel = f.read()
    if len(kernel) != end - LOAD_ADDR:
        sys.exit(f"mkbzimage: objcopy wrote {len(kernel)} bytes, but the "
                 f"segments span {end - LOAD_ADDR} from {LOAD_ADDR:#x}")
    tmp_out = args.out + ".tmp"
    with open(tmp_out, "wb") as f:
        f.write(setup_area() + gzip_unix(kernel))
    os.replace(tmp_out, args.out)


if __name__ == "__main__":
    main()
