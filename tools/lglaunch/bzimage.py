"""tools/lglaunch/bzimage.py: loading a bzImage the way the 2.6.23
Launcher did (docs/abi.md §1.4, spec §1.3), as pure functions on bytes.

lgref's host loads ELF only, so tools/lguest turns a bzImage into an ELF32
with one PT_LOAD at gpa 0x100000 (bzimage_to_elf) and hands that to the
host. The rules are the Launcher's, quirks included:
  - find_gzip_payload: scan from byte 52 for 0x1F 0x8B + 7 bytes whose
    10th byte (the gzip OS byte) is 3; the first 0x1F 0x8B pair decides
    (another OS byte fails the load), and a byte that breaks a pair is
    not looked at again as a new 0x1F;
  - inflate: gunzip from that header to the end of the stream;
  - guess_page_offset: the first byte value seen 4 times 4 bytes after an
    0xA1 (mov moffs32,%eax) is the top byte of page_offset;
  - find_signature: the entry is just after "GenuineLguest".
The setup code and header in front of the payload are ignored. Nothing
here reads files or prints; errors are BzImageError with one line that
names the byte offset and the fix.
"""
import struct
import zlib

LOAD_ADDR = 0x100000          # LGUEST_BZIMAGE_LOAD_ADDR
SCAN_START = 52               # bytes the ELF-magic check had consumed
GZIP_OS_UNIX = 3
SIGNATURE = b"GenuineLguest"  # LGUEST_ENTRY_SIGNATURE
PAGE = 4096
MOV_MOFFS32_EAX = 0xA1
PAGE_OFFSET_VOTES = 4


class BzImageError(Exception):
    pass


def looks_like_bzimage(data):
    """True when data has the Linux boot header magic "HdrS" at 0x202, as
    every bzImage since Linux 2.0 has: used only to word messages."""
    return data[0x202:0x206] == b"HdrS"


def find_gzip_payload(data):
    """File offset of the gzip header the Launcher would inflate from.
    Raises BzImageError if the scan finds none, or if the first 0x1F 0x8B
    pair is not a Unix gzip header (the scan does not go on)."""
    i = SCAN_START
    while i < len(data):
        if data[i] != 0x1F:
            i += 1
            continue
        if i + 1 >= len(data):
            break
        if data[i + 1] != 0x8B:
            i += 2          # the breaking byte is not reconsidered
            continue
        if i + 9 >= len(data):
            raise BzImageError(f"the gzip header at byte {i} is cut short "
                               "by the end of the file")
        if data[i + 9] != GZIP_OS_UNIX:
            raise BzImageError(
                f"the first gzip header, at byte {i}, has OS byte "
                f"{data[i + 9]}, not {GZIP_OS_UNIX} (Unix); the 2.6.23 "
                "Launcher's scan stops there: compress the payload with "
                "gzip on Unix")
        return i
    raise BzImageError(f"no gzip header (1f 8b ... OS byte 3) after byte "
                       f"{SCAN_START}")


def inflate(data, start, max_len):
    """The gzip stream at data[start:], inflated; at most max_len bytes.
    Raises BzImageError for a corrupt or truncated stream (zlib checks the
    CRC32 and length in the trailer), an empty payload, or one that would
    pass max_len."""
    d = zlib.decompressobj(wbits=31)     # gzip header and trailer
    try:
        out = d.decompress(data[start:], max_len + 1)
    except zlib.error as e:
        raise BzImageError(f"the gzip payload at byte {start} is corrupt "
                           f"({e})") from None
    if len(out) > max_len:
        raise BzImageError(f"the gzip payload at byte {start} inflates to "
                           f"more than {max_len} bytes, the guest memory "
                           "above 1 MiB: give the guest more memory")
    if not d.eof:
        raise BzImageError(f"the gzip payload at byte {start} is truncated: "
                           f"the file ends after {len(out)} inflated bytes, "
                           "before the end of the stream")
    if not out:
        raise BzImageError(f"the gzip payload at byte {start} inflates to "
                           "0 bytes")
    return out


def guess_page_offset(kernel):
    """page_offset from the inflated kernel, or None: for each 0xA1 byte
    count the byte 4 positions later; the first value counted 4 times is
    page_offset's top byte."""
    votes = {}
    i = kernel.find(MOV_MOFFS32_EAX)
    while 0 <= i and i + 4 < len(kernel):
        top = kernel[i + 4]
        votes[top] = votes.get(top, 0) + 1
        if votes[top] == PAGE_OFFSET_VOTES:
            return top << 24
        i = kernel.find(MOV_MOFFS32_EAX, i + 1)
    return None


def find_signature(kernel):
    """Offset of "GenuineLguest" in the inflated kernel, or None."""
    i = kernel.find(SIGNATURE)
    return None if i < 0 else i


def load(data, max_len):
    """The whole bzImage rule set: (kernel bytes, page_offset, entry).
    max_len caps the inflated size (guest memory above 1 MiB)."""
    start = find_gzip_payload(data)
    kernel = inflate(data, start, max_len)
    page_offset = guess_page_offset(kernel)
    if page_offset is None:
        raise BzImageError(
            "cannot guess page_offset: no byte value follows an 0xA1 "
            f"(mov moffs32,%eax) opcode {PAGE_OFFSET_VOTES} times in the "
            f"{len(kernel)} inflated bytes; give the ELF vmlinux instead")
    sig = find_signature(kernel)
    if sig is None:
        raise BzImageError(
            f"no {SIGNATURE.decode()} signature in the {len(kernel)} "
            "inflated bytes: not a kernel built for lguest")
    entry = (LOAD_ADDR + sig + len(SIGNATURE) + page_offset) & 0xFFFFFFFF
    return kernel, page_offset, entry


def to_elf(kernel, page_offset, entry):
    """An ELF32 ET_EXEC EM_386 file with one PT_LOAD (RWX) that puts
    kernel at gpa 0x100000 and virtual 0x100000 + page_offset; the file
    bytes start at offset 4096 (the host wants p_offset page-aligned)."""
    vaddr = (LOAD_ADDR + page_offset) & 0xFFFFFFFF
    ident = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)  # 32-bit LSB v1
    ehdr = ident + struct.pack("<HHIIIIIHHHHHH",
                               2, 3, 1,         # ET_EXEC, EM_386, EV_CURRENT
                               entry, 52, 0,    # e_entry, e_phoff, e_shoff
                               0, 52, 32, 1,    # flags, ehsize, phentsize, 1
                               0, 0, 0)         # no section headers
    phdr = struct.pack("<IIIIIIII", 1, PAGE, vaddr, LOAD_ADDR, len(kernel),
                       len(kernel), 7, PAGE)    # PT_LOAD, PF_R|W|X
    head = ehdr + phdr
    return head + bytes(PAGE - len(head)) + kernel
