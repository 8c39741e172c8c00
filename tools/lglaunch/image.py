"""tools/lglaunch/image.py: judging a guest kernel image before QEMU starts.

The host (host/rules/elf32.c, host/rules/loader.c) is the authority and checks every
rule again; this module applies the same rules to the file on this side,
so that a bad image is refused with a message that names the fix and exit
status 2 instead of after a QEMU boot. It also measures what the memory
checks need: where the kernel ends and its page_offset. A file that is not
ELF is a bzImage (docs/abi.md §1.4), converted by lglaunch/bzimage.py.
Pure functions on bytes; errors are ImageError with one line.
"""
import struct

from . import bzimage

ELF_MAGIC = b"\x7fELF"
EHDR_SIZE = 52
PHDR_SIZE = 32
MAX_PHNUM = 2048
PT_LOAD = 1
PAGE = 4096
PDE_SPAN = 0x400000              # bytes one page-directory entry maps
SWITCHER_ADDR = 0xFFC00000       # LGUEST_SWITCHER_ADDR
LOW_RESERVED = 0x1000 + 2048     # zero page and command line (loader.h)
MIB = 1 << 20


class ImageError(Exception):
    pass


class Kernel:
    """What the launcher knows of a guest image once judged."""

    def __init__(self, kind, page_offset, end, entry, elf=None):
        self.kind = kind                # "ELF" or "bzImage"
        self.page_offset = page_offset  # p_vaddr - p_paddr
        self.end = end                  # highest p_paddr + p_memsz
        self.entry = entry              # virtual address after the signature
        self.elf = elf                  # bytes of the converted ELF (bzImage)


def describe_start(data):
    return " ".join(f"{b:02x}" for b in data[:4])


def judge(data, mem_bytes):
    """Judge an image for a guest of mem_bytes; return a Kernel or raise
    ImageError. An ELF must be a 32-bit i386 vmlinux the host accepts;
    anything else is loaded as a bzImage (and converted to ELF)."""
    if not data:
        raise ImageError("the file is empty (0 bytes): expected an ELF "
                         "vmlinux or a bzImage")
    if data[:4] == ELF_MAGIC:
        return judge_elf(data, mem_bytes)
    try:
        kernel, page_offset, entry = bzimage.load(
            data, max(0, mem_bytes - bzimage.LOAD_ADDR))
    except bzimage.BzImageError as e:
        if bzimage.looks_like_bzimage(data):
            raise ImageError(f"a bzImage, but {e}") from None
        raise ImageError(f"neither ELF nor a bzImage (starts "
                         f"{describe_start(data)}; {e}): give an ELF "
                         "vmlinux or a gzip bzImage") from None
    check_page_offset(page_offset)
    return Kernel("bzImage", page_offset, bzimage.LOAD_ADDR + len(kernel),
                  entry, bzimage.to_elf(kernel, page_offset, entry))


def judge_elf(data, mem_bytes):
    """The rules of host/rules/elf32.c and host/rules/loader.c, for an ELF file."""
    if len(data) < EHDR_SIZE:
        raise ImageError(f"ELF, but {len(data)} bytes is shorter than the "
                         f"{EHDR_SIZE}-byte ELF32 header")
    if data[4] == 2:
        raise ImageError("a 64-bit ELF (ELFCLASS64): lguest runs 32-bit "
                         "i386 kernels; build it for i386 (ELFCLASS32, "
                         "EM_386)")
    if data[4] != 1:
        raise ImageError(f"ELF class {data[4]} is not ELFCLASS32 (1): "
                         "build the kernel for i386")
    if data[5] != 1:
        raise ImageError(f"ELF data encoding {data[5]} is not "
                         "little-endian (1): build the kernel for i386")
    (e_type, machine, _version, _entry, phoff, _shoff, _flags, _ehsize,
     phentsize, phnum) = struct.unpack_from("<HHIIIIIHHH", data, 16)
    if e_type != 2:
        raise ImageError(f"ELF e_type {e_type} is not ET_EXEC (2): give "
                         "the linked vmlinux, not an object or a PIE")
    if machine != 3:
        raise ImageError(f"ELF e_machine {machine} is not EM_386 (3): "
                         "build the kernel for i386")
    if phentsize != PHDR_SIZE:
        raise ImageError(f"ELF e_phentsize {phentsize} is not {PHDR_SIZE}")
    if not 1 <= phnum <= MAX_PHNUM:
        raise ImageError(f"ELF e_phnum {phnum} is outside 1..{MAX_PHNUM}")
    if phoff + phnum * PHDR_SIZE > len(data):
        raise ImageError(f"ELF: {phnum} program headers at e_phoff "
                         f"{phoff:#x} run past the end of the "
                         f"{len(data)}-byte file (truncated?)")
    loads = []
    for i in range(phnum):
        (p_type, offset, vaddr, paddr, filesz,
         memsz) = struct.unpack_from("<6I", data, phoff + i * PHDR_SIZE)
        if p_type == PT_LOAD:
            loads.append((i, offset, vaddr, paddr, filesz, memsz))
    if not loads:
        raise ImageError("ELF has no PT_LOAD segment")
    page_offset = None
    for i, offset, vaddr, paddr, filesz, memsz in loads:
        where = f"ELF segment {i}"
        if offset + filesz > len(data):
            raise ImageError(f"{where}: file bytes [{offset:#x}, "
                             f"+{filesz:#x}) lie outside the "
                             f"{len(data)}-byte file (truncated?)")
        if filesz > memsz:
            raise ImageError(f"{where}: p_filesz {filesz:#x} is larger "
                             f"than p_memsz {memsz:#x}")
        if paddr % PAGE or offset % PAGE:
            raise ImageError(f"{where}: p_paddr {paddr:#x} or p_offset "
                             f"{offset:#x} is not a multiple of 4096: link "
                             "with page-aligned segments")
        if filesz == 0:
            raise ImageError(f"{where}: p_filesz is 0 (the 2.6.23 "
                             "Launcher could not map it): give the segment "
                             "file content")
        if paddr < LOW_RESERVED:
            raise ImageError(f"{where}: p_paddr {paddr:#x} is below "
                             f"{LOW_RESERVED:#x}, where the zero page and "
                             "command line go: link the kernel at 1 MiB")
        this = (vaddr - paddr) & 0xFFFFFFFF
        if page_offset is None:
            page_offset = this
        elif this != page_offset:
            raise ImageError(f"{where}: p_vaddr - p_paddr is {this:#x}, "
                             f"not {page_offset:#x} as before: every "
                             "segment needs the same page_offset")
    check_page_offset(page_offset)
    end = max(paddr + memsz for _, _, _, paddr, _, memsz in loads)
    sig = find_loaded_signature(data, loads)
    if sig is None:
        raise ImageError(f"no {bzimage.SIGNATURE.decode()} signature in "
                         "the loaded segments: not a kernel built for "
                         "lguest")
    entry = (sig + len(bzimage.SIGNATURE) + page_offset) & 0xFFFFFFFF
    return Kernel("ELF", page_offset, end, entry)


def check_page_offset(page_offset):
    if page_offset >= SWITCHER_ADDR:
        raise ImageError(f"page_offset {page_offset:#x} reaches the "
                         f"Switcher's slot ({SWITCHER_ADDR:#x} and up)")
    if page_offset % PDE_SPAN:
        raise ImageError(f"page_offset {page_offset:#x} is not a multiple "
                         "of 4 MiB, so the initial page tables cannot map "
                         "it")


def find_loaded_signature(data, loads):
    """gpa of the signature in the loaded bytes, as the host scans them
    (segments in header order, later ones over earlier ones), or None.
    Only the span the segments' file bytes cover is built."""
    lo = min(paddr for _, _, _, paddr, _, _ in loads)
    hi = max(paddr + filesz for _, _, _, paddr, filesz, _ in loads)
    if hi - lo > 256 * MIB:
        # Far-apart segments: search each one (a signature cannot span
        # the zero gap between them).
        for _, offset, _, paddr, filesz, _ in loads:
            i = data.find(bzimage.SIGNATURE, offset, offset + filesz)
            if i >= 0:
                return paddr + i - offset
        return None
    mem = bytearray(hi - lo)
    for _, offset, _, paddr, filesz, _ in loads:
        mem[paddr - lo:paddr - lo + filesz] = data[offset:offset + filesz]
    i = mem.find(bzimage.SIGNATURE)
    return None if i < 0 else lo + i


def mapped_bytes(mem_bytes, page_offset):
    """What the initial page tables map: at most 2^32 - page_offset."""
    return min(mem_bytes, (1 << 32) - page_offset)


def top_bytes(mem_bytes, page_offset, initrd_len):
    """Bytes the loader puts at the top of RAM: the initrd (rounded up to
    pages), the page directory and the PTE pages (host/rules/loader.c)."""
    pages = mapped_bytes(mem_bytes, page_offset) // PAGE
    pte_pages = (pages + 1023) // 1024
    initrd = (initrd_len + PAGE - 1) // PAGE * PAGE
    return initrd + (pte_pages + 1) * PAGE


def fits(kernel, mem_mb, initrd_len):
    """True when the kernel, the initrd and the page tables fit in mem_mb."""
    mem = mem_mb * MIB
    return kernel.end + top_bytes(mem, kernel.page_offset, initrd_len) <= mem


def min_mem_mb(kernel, initrd_len):
    """The least whole MiB of memory in which the image fits."""
    mb = max(1, (kernel.end + initrd_len) // MIB)
    while not fits(kernel, mb, initrd_len):
        mb += 1
    return mb
