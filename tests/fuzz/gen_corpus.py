#!/usr/bin/env python3
"""tests/fuzz/gen_corpus.py: writes the seed corpora of the host fuzzers.

Run from the repository root: python3 tests/fuzz/gen_corpus.py
The seeds are committed; rerun this only to change them.

  corpus/launch_args/  Launcher argument strings (docs/abi.md §9.3)
  corpus/elf_loader/   a real ELF32 built by gcc/ld from a tiny kernel
                       shaped like vmlinux (page_offset 0xC0000000, the
                       "GenuineLguest" signature, page-aligned segments),
                       plus a hand-made two-segment image
  corpus/dma_list/     two struct lguest_dma + a size byte + memory
  corpus/hcall_ring/   an lguest_data address, a cursor, guest memory
  corpus/blk_request/  a block request page, the send and reply
                       lguest_dma, a flags byte and num_sectors
  corpus/net_frame/    a --tunnet send and receive lguest_dma, a flags
                       byte and a received frame
  corpus/tunnet_arg/   --tunnet values
  corpus/netstack/     (the guest's IPv4 stack) a flags byte, then frames
                       as a 2-byte big-endian length and the bytes
"""
import os
import shutil
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def write(what, name, data):
    d = os.path.join(CORPUS, what)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ------------------------------------------------------------ launch_args

def launch_args():
    write("launch_args", "minimal", "64 vmlinux")
    write("launch_args", "devices",
          "--verbose --block=disk.img --tunnet=10.0.0.1 "
          "--sharenet=lan 64m guest.elf root=/dev/lgba console=hvc0")
    write("launch_args", "permuted",
          "32 guest.elf quiet -v --initrd=initrd.img -- -x")
    write("launch_args", "abbrev", "--b=a --s=b --t=bridge:br0 --i=c 1 k")


# ------------------------------------------------------------- elf_loader

KERNEL_S = r"""
    .section .text, "ax"
    .globl _start
_start:
    .ascii "GenuineLguest"
    movl $stack_top, %esp
1:  int $0x1f
    jmp 1b
    .section .data, "aw"
    .long 0x12345678
    .section .bss, "aw", @nobits
    .space 8192
stack_top:
"""

KERNEL_LDS = """
ENTRY(_start)
SECTIONS {
    . = 0xC0100000;
    .text : AT(0x100000) { *(.text) }
    . = ALIGN(4096);
    .data : AT(ADDR(.data) - 0xC0000000) { *(.data) }
    .bss : AT(ADDR(.bss) - 0xC0000000) { *(.bss) }
    /DISCARD/ : { *(.note*) *(.comment) *(.eh_frame) }
}
"""


def real_elf():
    """Build the tiny kernel with the toolchain; None if gcc is missing."""
    gcc = shutil.which("gcc")
    if not gcc:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        s = os.path.join(tmp, "k.S")
        lds = os.path.join(tmp, "k.lds")
        out = os.path.join(tmp, "k.elf")
        open(s, "w").write(KERNEL_S)
        open(lds, "w").write(KERNEL_LDS)
        subprocess.run([gcc, "-m32", "-nostdlib", "-static", "-no-pie",
                        "-Wl,--build-id=none", "-Wl,-z,max-page-size=4096",
                        "-Wl,-z,noexecstack", "-T", lds, "-o", out, s],
                       check=True)
        subprocess.run(["strip", "--strip-all", out], check=True)
        return open(out, "rb").read()


def crafted_elf():
    """Two PT_LOAD segments at 1 MiB, page_offset 0xC0000000."""
    ehdr = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    ehdr += struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0xC010000D, 52, 0, 0,
                        52, 32, 2, 0, 0, 0)
    ph = struct.pack("<8I", 1, 0x1000, 0xC0100000, 0x100000, 0x40, 0x40,
                     5, 0x1000)
    ph += struct.pack("<8I", 1, 0x2000, 0xC0101000, 0x101000, 0x10, 0x2000,
                      6, 0x1000)
    img = bytearray(0x2010)
    img[0:len(ehdr + ph)] = ehdr + ph
    img[0x1000:0x100D] = b"GenuineLguest"
    img[0x100D:0x1010] = b"\xeb\xfe\x90"
    return bytes(img)


def elf_loader():
    elf = real_elf()
    if elf:
        write("elf_loader", "tiny_vmlinux.elf", elf)
    write("elf_loader", "two_segments.elf", crafted_elf())


# --------------------------------------------------------------- dma_list

def lguest_dma(sections):
    addrs = [a for a, _ in sections] + [0] * (16 - len(sections))
    lens = [n for _, n in sections] + [0] * (16 - len(sections))
    return struct.pack("<I16I16H", 0, *addrs, *lens)


def dma_list():
    mem = bytes((i * 7) & 0xFF for i in range(2 * 4096))
    write("dma_list", "simple",
          lguest_dma([(0x100, 64), (0x1F00, 0x100)]) +
          lguest_dma([(0x800, 200)]) + bytes([0x0F]) + mem)
    write("dma_list", "sixteen",
          lguest_dma([(i * 0x100, 0x80) for i in range(16)]) +
          lguest_dma([(0x2000 + i * 0x40, 0x40) for i in range(16)]) +
          bytes([0x0F]) + mem[:512])
    write("dma_list", "crossing",
          lguest_dma([(0xFF0, 0x20)]) + lguest_dma([(0x3FF0, 0x10)]) +
          bytes([0x05]))


# ------------------------------------------------------------- hcall_ring

def hcall_ring():
    data_gpa = 0x100
    mem = bytearray(3 * 4096)
    status = data_gpa + 20
    mem[status:status + 64] = b"\xff" * 64
    for slot, eax in ((0, 14), (1, 15), (2, 13), (63, 5)):
        mem[status + slot] = 0
        at = data_gpa + 84 + 16 * slot
        mem[at:at + 16] = struct.pack("<4I", eax, slot, 2 * slot, slot)
    write("hcall_ring", "three_pending",
          struct.pack("<H", data_gpa) + bytes([0]) + bytes(mem[:0x600]))
    write("hcall_ring", "wrap",
          struct.pack("<H", data_gpa) + bytes([63]) + bytes(mem[:0x600]))
    write("hcall_ring", "top_of_memory",
          struct.pack("<H", 3 * 4096 - 100) + bytes([5]) + bytes(64))


# ------------------------------------------------------------ blk_request

def blk_page(kind, sector, nbytes):
    return struct.pack("<iIIiI", kind, sector, nbytes, 0, 0)


def blk_request():
    # flags: bit 0 reply bound, bit 1 read-only, bits 2-3 pages - 1.
    four_pages_reply = bytes([0x01 | (3 << 2)])
    write("blk_request", "write_two_segments",
          blk_page(1, 8, 4608) +
          lguest_dma([(0x1000, 4096), (0x2000, 512)]) + lguest_dma([]) +
          four_pages_reply + struct.pack("<I", 64))
    write("blk_request", "read_ping",
          blk_page(0, 63, 512) + lguest_dma([]) +
          lguest_dma([(0x3E00, 512)]) + four_pages_reply +
          struct.pack("<I", 64))
    write("blk_request", "read_sixteen",
          blk_page(0, 0, 16 * 512) + lguest_dma([]) +
          lguest_dma([(0x400 + i * 512, 512) for i in range(16)]) +
          four_pages_reply + struct.pack("<I", 100))
    write("blk_request", "past_end",
          blk_page(1, 62, 2048) + lguest_dma([(0x1000, 2048)]) +
          lguest_dma([]) + four_pages_reply + struct.pack("<I", 64))
    write("blk_request", "no_reply_read_only",
          blk_page(1, 0, 512) + lguest_dma([(0x0, 512)]) +
          lguest_dma([]) + bytes([0x02]) + struct.pack("<I", 1))


def net_frame():
    # flags: bits 0-1 pages - 1, bit 2 the last page is shared.
    arp = bytes(range(42))
    write("net_frame", "arp_two_sections",
          lguest_dma([(0x1000, 14), (0x1100, 28)]) +
          lguest_dma([(0x2000, 100), (0x2064, 1414)]) + bytes([3]) + arp)
    write("net_frame", "largest_across_pages",
          lguest_dma([(0x0ff0, 1514)]) + lguest_dma([(0x1ff0, 1514)]) +
          bytes([1]) + bytes(1514))
    write("net_frame", "shared_page",
          lguest_dma([(0x2ff0, 60)]) + lguest_dma([(0x3000, 60)]) +
          bytes([3 | 4]) + bytes(60))
    write("net_frame", "too_short_and_outside",
          lguest_dma([(0x1000, 13)]) + lguest_dma([(0xfff0, 1514)]) +
          bytes([0]) + arp)


def tunnet_arg():
    for name, value in (("gateway", "10.0.2.2"), ("zeroes", "0.0.0.0"),
                        ("bridge", "bridge:br0"),
                        ("bridge_longest", "bridge:123456789012345"),
                        ("three_parts", "10.0.2"), ("big", "256.1.1.1")):
        write("tunnet_arg", name, value)


# --------------------------------------------------------------- netstack
# The guest's stack is 10.0.0.1/24 with MAC 02:00:00:00:00:00; the peer is
# 10.0.0.2 at 02:00:01:00:00:00 (tests/fuzz/fuzz_netstack.c).

US_MAC, PEER_MAC = bytes([2, 0, 0, 0, 0, 0]), bytes([2, 0, 1, 0, 0, 0])
US_IP, PEER_IP = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])


def inet_csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(ethertype, payload, dst=US_MAC):
    return dst + PEER_MAC + struct.pack("!H", ethertype) + payload


def arp(op, tpa=US_IP):
    tha = bytes(6) if op == 1 else US_MAC
    return eth(0x0806, struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) +
               PEER_MAC + PEER_IP + tha + tpa,
               b"\xff" * 6 if op == 1 else US_MAC)


def ipv4(proto, payload, options=b"", frag=0x4000):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(payload),
                    1, frag, 64, proto, 0, PEER_IP, US_IP) + options
    h = h[:10] + struct.pack("!H", inet_csum(h)) + h[12:]
    return eth(0x0800, h + payload)


def icmp_echo(seq, data, options=b""):
    m = struct.pack("!BBHHH", 8, 0, 0, 0x77, seq) + data
    m = m[:2] + struct.pack("!H", inet_csum(m)) + m[4:]
    return ipv4(1, m, options)


def udp(dport, data, good_csum=True):
    n = 8 + len(data)
    u = struct.pack("!HHHH", 5555, dport, n, 0) + data
    pseudo = PEER_IP + US_IP + struct.pack("!BBH", 0, 17, n)
    c = inet_csum(pseudo + u) if good_csum else 0x1234
    return ipv4(17, u[:6] + struct.pack("!H", c or 0xFFFF) + u[8:])


def frames(flags, *fs):
    return bytes([flags]) + b"".join(struct.pack("!H", len(f)) + f
                                     for f in fs)


def netstack():
    write("netstack", "arp_then_ping",
          frames(0, arp(1), icmp_echo(1, bytes(range(56)))))
    write("netstack", "pending_arp_reply", frames(4, arp(2)))
    write("netstack", "udp_echo",
          frames(0, arp(1), udp(7, b"hello, echo")))
    write("netstack", "nocsum_bad_udp",
          frames(1, arp(1), udp(7, b"x" * 100, good_csum=False)))
    write("netstack", "malformed",
          frames(0, b"\x02" * 13, b"\xff" * 1600,
                 icmp_echo(2, b"abc")[:14] + b"\x4f" + bytes(40),
                 ipv4(17, bytes(12), frag=0x2000), arp(3)[:30]))
    write("netstack", "ip_options",
          frames(0, arp(1), icmp_echo(3, b"opt", options=b"\x01" * 4)))


if __name__ == "__main__":
    launch_args()
    elf_loader()
    dma_list()
    hcall_ring()
    blk_request()
    net_frame()
    tunnet_arg()
    netstack()
