#!/usr/bin/env python3
"""scripts/launcher_unit.py: unit tests of tools/lguest's pure rules.

No QEMU: the bzImage rules of the 2.6.23 Launcher (tools/lglaunch/
bzimage.py) with their quirks, the ELF and memory-fit rules the launcher
applies before QEMU starts (image.py), command-line helpers (guests.py),
QEMU's memory sizing (qemu.py) and the status table (status.py). Images
are made here, byte by byte.

Usage: scripts/launcher_unit.py [--out build]   (--out is ignored)
Exit status 0 when every test passes. Standard library only.
"""
import os
import re
import struct
import sys
import tempfile
import types
import unittest
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from lglaunch import bzimage, guests, image, inject, qemu, status  # noqa: E402
from lglaunch.status import LaunchError                    # noqa: E402
import check                                                # noqa: E402
import mkbzimage                                            # noqa: E402

SIG = b"GenuineLguest"
PO = 0xC0000000


def kernel_bytes(votes=4, top=0xC0, sig_at=16, size=4096):
    """An inflated kernel: `votes` mov moffs32,%eax opcodes whose address
    has top byte `top`, and the signature at sig_at (None: none)."""
    k = bytearray(size)
    if sig_at is not None:
        k[sig_at:sig_at + len(SIG)] = SIG
    for i in range(votes):
        at = 256 + 8 * i
        k[at] = 0xA1
        k[at + 1:at + 5] = struct.pack("<I", (top << 24) | 0x123450)
    return bytes(k)


def bz(kernel, setup=None, os_byte=3):
    """A bzImage: setup area, then a gzip stream of kernel."""
    setup = mkbzimage.setup_area() if setup is None else setup
    gz = bytearray(mkbzimage.gzip_unix(kernel))
    gz[9] = os_byte
    return setup + bytes(gz)


def elf(segments, machine=3, cls=1, e_type=2, phentsize=32):
    """An ELF32 with PT_LOAD segments [(paddr, vaddr, data, memsz)], each
    at a page-aligned file offset."""
    n = len(segments)
    out = bytearray(4096)
    out[:4] = b"\x7fELF"
    out[4], out[5], out[6] = cls, 1, 1
    struct.pack_into("<HHIIIIIHHHHHH", out, 16, e_type, machine, 1, 0, 52, 0,
                     0, 52, phentsize, n, 0, 0, 0)
    for i, (paddr, vaddr, data, memsz) in enumerate(segments):
        offset = len(out)
        struct.pack_into("<8I", out, 52 + 32 * i, 1, offset, vaddr, paddr,
                         len(data), memsz, 7, 4096)
        out += data + bytes(-len(data) % 4096)
    return bytes(out)


def one_segment_elf(data=None, paddr=0x100000, po=PO, memsz=None):
    data = kernel_bytes() if data is None else data
    return elf([(paddr, paddr + po, data,
                 len(data) if memsz is None else memsz)])


class FindGzipPayload(unittest.TestCase):
    def test_after_setup(self):
        data = bz(kernel_bytes())
        self.assertEqual(bzimage.find_gzip_payload(data), 1024)

    def test_scan_starts_at_52(self):
        # A Unix gzip header before byte 52 is not seen; the next one is.
        gz = mkbzimage.gzip_unix(b"x")
        data = gz + bytes(60 - len(gz)) + gz
        self.assertEqual(bzimage.find_gzip_payload(data), 60)

    def test_first_candidate_decides(self):
        # A 1f 8b pair whose OS byte is not 3 ends the scan, though a good
        # header follows.
        bad = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
        data = bytes(64) + bad + bz(kernel_bytes())
        with self.assertRaisesRegex(bzimage.BzImageError,
                                    r"first gzip header, at byte 64, has "
                                    r"OS byte 255, not 3"):
            bzimage.find_gzip_payload(data)

    def test_breaking_byte_not_reconsidered(self):
        # 1f 1f 8b: the second 1f broke the first pair and is skipped, so
        # the header that starts at it is never found.
        gz = mkbzimage.gzip_unix(b"x")
        data = bytes(60) + b"\x1f" + gz
        with self.assertRaisesRegex(bzimage.BzImageError, "no gzip header"):
            bzimage.find_gzip_payload(data)
        # ...whereas 1f 00 1f 8b finds it.
        data = bytes(60) + b"\x1f\x00" + gz
        self.assertEqual(bzimage.find_gzip_payload(data), 62)

    def test_header_cut_short(self):
        data = bytes(60) + b"\x1f\x8b\x08\x00"
        with self.assertRaisesRegex(bzimage.BzImageError, "cut short"):
            bzimage.find_gzip_payload(data)

    def test_none(self):
        with self.assertRaisesRegex(bzimage.BzImageError, "no gzip header"):
            bzimage.find_gzip_payload(bytes(4096) + b"\x1f")


class Inflate(unittest.TestCase):
    def test_round_trip_ignores_trailing_bytes(self):
        k = kernel_bytes(size=100000)
        data = bz(k) + b"trailing setup code"
        self.assertEqual(bzimage.inflate(data, 1024, 1 << 20), k)

    def test_truncated(self):
        data = bz(kernel_bytes(size=100000))
        with self.assertRaisesRegex(bzimage.BzImageError, "truncated"):
            bzimage.inflate(data[:-9], 1024, 1 << 20)

    def test_corrupt(self):
        data = bytearray(bz(kernel_bytes(size=100000)))
        data[1024 + 20] ^= 0xFF
        data[1024 + 21] ^= 0x55
        with self.assertRaisesRegex(bzimage.BzImageError, "corrupt"):
            bzimage.inflate(bytes(data), 1024, 1 << 20)

    def test_crc_checked(self):
        data = bytearray(bz(kernel_bytes()))
        data[-8] ^= 1                       # CRC32 in the trailer
        with self.assertRaisesRegex(bzimage.BzImageError, "corrupt"):
            bzimage.inflate(bytes(data), 1024, 1 << 20)

    def test_too_big_for_memory(self):
        data = bz(kernel_bytes(size=8192))
        with self.assertRaisesRegex(bzimage.BzImageError, "more than 8191"):
            bzimage.inflate(data, 1024, 8191)
        self.assertEqual(len(bzimage.inflate(data, 1024, 8192)), 8192)

    def test_empty(self):
        with self.assertRaisesRegex(bzimage.BzImageError, "0 bytes"):
            bzimage.inflate(bz(b""), 1024, 1 << 20)


class GuessPageOffset(unittest.TestCase):
    def test_fourth_vote_wins(self):
        self.assertEqual(bzimage.guess_page_offset(kernel_bytes(4, 0xC0)),
                         0xC0000000)
        self.assertEqual(bzimage.guess_page_offset(kernel_bytes(4, 0x80)),
                         0x80000000)

    def test_three_votes_are_not_enough(self):
        self.assertIsNone(bzimage.guess_page_offset(kernel_bytes(3, 0xC0)))

    def test_first_to_four_not_most(self):
        # 0x40 reaches four votes first, though 0xC0 gets more later.
        k = bytearray(4096)
        at = 0
        for top in [0xC0] * 3 + [0x40] * 4 + [0xC0] * 10:
            k[at] = 0xA1
            k[at + 4] = top
            at += 5
        self.assertEqual(bzimage.guess_page_offset(bytes(k)), 0x40000000)

    def test_overlapping_opcodes_count(self):
        # Every 0xA1 byte counts, also one inside another's address.
        k = bytes([0xA1, 0, 0, 0xA1, 0xC0, 0, 0, 0xC0] * 2 + [0] * 8)
        # at 0: top k[4] = 0xC0; at 3: k[7] = 0xC0; at 8: 0xC0; at 11: 0xC0
        self.assertEqual(bzimage.guess_page_offset(k), 0xC0000000)

    def test_opcode_too_near_the_end(self):
        k = bytes([0xA1, 0, 0, 0, 0xC0]) * 3 + bytes([0xA1, 0, 0, 0])
        self.assertIsNone(bzimage.guess_page_offset(k))


class LoadAndConvert(unittest.TestCase):
    def test_load(self):
        k, po, entry = bzimage.load(bz(kernel_bytes(sig_at=32)), 1 << 20)
        self.assertEqual(po, 0xC0000000)
        self.assertEqual(entry, 0xC0000000 + 0x100000 + 32 + 13)

    def test_no_signature(self):
        with self.assertRaisesRegex(bzimage.BzImageError,
                                    "no GenuineLguest signature"):
            bzimage.load(bz(kernel_bytes(sig_at=None)), 1 << 20)

    def test_no_page_offset(self):
        with self.assertRaisesRegex(bzimage.BzImageError,
                                    "cannot guess page_offset"):
            bzimage.load(bz(kernel_bytes(votes=2)), 1 << 20)

    def test_elf_passes_the_elf_rules(self):
        k = kernel_bytes(sig_at=100, size=5000)
        out = bzimage.to_elf(k, 0xC0000000, 0xC0100071)
        kern = image.judge_elf(out, 64 << 20)
        self.assertEqual(kern.page_offset, 0xC0000000)
        self.assertEqual(kern.end, 0x100000 + 5000)
        self.assertEqual(kern.entry, 0xC0100000 + 100 + 13)
        phdr = struct.unpack_from("<8I", out, 52)
        self.assertEqual(phdr[:6], (1, 4096, 0xC0100000, 0x100000, 5000,
                                    5000))
        self.assertEqual(out[4096:], k)
        self.assertEqual(struct.unpack_from("<HHI", out, 16), (2, 3, 1))


class JudgeImage(unittest.TestCase):
    def refused(self, data, pattern, mem=64 << 20):
        with self.assertRaisesRegex(image.ImageError, pattern):
            image.judge(data, mem)

    def test_empty(self):
        self.refused(b"", r"empty \(0 bytes\)")

    def test_text(self):
        self.refused(b"hello world\n" * 10, r"neither ELF nor a bzImage "
                     r"\(starts 68 65 6c 6c")

    def test_bzimage_without_gzip(self):
        # The HdrS header makes it a bzImage, and says so.
        self.refused(mkbzimage.setup_area() + b"\x5d\x00\x00" * 100,
                     r"^a bzImage, but no gzip header")

    def test_64_bit(self):
        data = bytearray(one_segment_elf())
        data[4] = 2
        self.refused(bytes(data), "64-bit ELF")

    def test_elf_rules(self):
        ok = one_segment_elf()
        self.assertEqual(image.judge(ok, 64 << 20).kind, "ELF")
        self.refused(ok[:40], "shorter than the 52-byte")
        self.refused(elf([(0x100000, 0xC0100000, kernel_bytes(), 4096)],
                         machine=62), "EM_386")
        self.refused(elf([(0x100000, 0xC0100000, kernel_bytes(), 4096)],
                         e_type=3), "ET_EXEC")
        self.refused(elf([(0x100000, 0xC0100000, kernel_bytes(), 4096)],
                         phentsize=56), "e_phentsize")
        self.refused(ok[:4096 + 100], "outside the .*-byte file")
        self.refused(elf([(0x100800, 0xC0100800, kernel_bytes(), 4096)]),
                     "not a multiple of 4096")
        self.refused(elf([(0x100000, 0xC0100000, kernel_bytes(), 100)]),
                     "larger than p_memsz")
        self.refused(elf([(0x1000, 0xC0001000, kernel_bytes(), 4096)]),
                     "below 0x1800")
        self.refused(one_segment_elf(kernel_bytes(sig_at=None)),
                     "no GenuineLguest")
        self.refused(one_segment_elf(po=0xC0001000), "multiple of 4 MiB")
        self.refused(one_segment_elf(po=0xFFC00000), "Switcher")
        two = elf([(0x100000, 0xC0100000, kernel_bytes(), 4096),
                   (0x200000, 0x80200000, b"x", 4096)])
        self.refused(two, "same page_offset")

    def test_signature_across_segments(self):
        k = kernel_bytes(sig_at=None)
        a = k[:4090] + SIG[:6]
        b = SIG[6:] + bytes(100)
        two = elf([(0x100000, 0xC0100000, a, 4096),
                   (0x101000, 0xC0101000, b, 4096)])
        self.assertEqual(image.judge(two, 64 << 20).entry,
                         0xC0100000 + 4090 + 13)

    def test_bzimage_judged_and_converted(self):
        kern = image.judge(bz(kernel_bytes(sig_at=8)), 64 << 20)
        self.assertEqual((kern.kind, kern.page_offset, kern.end),
                         ("bzImage", 0xC0000000, 0x100000 + 4096))
        self.assertEqual(image.judge_elf(kern.elf, 64 << 20).entry,
                         kern.entry)


class MemoryFit(unittest.TestCase):
    def kernel(self, end, po=PO):
        return image.Kernel("ELF", po, end, 0)

    def test_boundary(self):
        # 2 MiB maps 512 pages: one PTE page and the directory above the
        # kernel (host/rules/loader.c layout_top).
        self.assertTrue(image.fits(self.kernel(0x200000 - 2 * 4096), 2, 0))
        self.assertFalse(image.fits(self.kernel(0x200000 - 4096), 2, 0))
        self.assertEqual(image.min_mem_mb(self.kernel(0x200000 - 4096), 0),
                         3)

    def test_initrd_rounded_up(self):
        k = self.kernel(0x100000)
        self.assertTrue(image.fits(k, 2, 0x100000 - 2 * 4096))
        self.assertFalse(image.fits(k, 2, 0x100000 - 2 * 4096 + 1))
        # A 1-byte initrd takes a whole page (ramdisk_size is rounded).
        k = self.kernel(0x200000 - 3 * 4096 + 100)
        self.assertFalse(image.fits(k, 2, 1))
        self.assertTrue(image.fits(self.kernel(0x200000 - 3 * 4096), 2, 1))

    def test_mapping_capped_at_page_offset(self):
        # 2047 MiB at 0xC0000000 maps 1 GiB: 256 PTE pages, not 512.
        self.assertEqual(image.top_bytes(2047 << 20, PO, 0), 257 * 4096)
        self.assertEqual(image.mapped_bytes(2047 << 20, PO), 1 << 30)
        self.assertEqual(image.mapped_bytes(2047 << 20, 0x40000000),
                         2047 << 20)


class CommandLine(unittest.TestCase):
    def test_ordinal(self):
        self.assertEqual([guests.ordinal(n) for n in (1, 2, 3, 4, 11, 12,
                                                      13, 21, 22)],
                         ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th",
                          "21st", "22nd"])

    def test_split_guests(self):
        self.assertEqual(guests.split_guests(["64", "a", "--", "32", "b"]),
                         [["64", "a"], ["32", "b"]])
        for argv, where in ((["--", "32", "b"], "1st guest is empty.*before"),
                            (["64", "a", "--"], "2nd guest is empty.*after"),
                            (["64", "a", "--", "--", "1", "b"],
                             "2nd guest is empty.*between")):
            with self.assertRaisesRegex(LaunchError, where):
                guests.split_guests(argv)
        with self.assertRaisesRegex(LaunchError, "at most 16"):
            guests.split_guests(["1", "a", "--"] * 16 + ["1", "a"])

    def test_options_like_getopt_long(self):
        g = guests.Guest(0, 2)
        self.assertEqual(guests.resolve_option(g, "--bl=x"),
                         ("block", "x", True))
        self.assertEqual(guests.resolve_option(g, "-vv"),
                         ("verbose", "", False))
        with self.assertRaisesRegex(LaunchError,
                                    r"^lguest: 1st guest: -5: unknown "
                                    r"option: a memory size is a positive"):
            guests.resolve_option(g, "-5")
        with self.assertRaisesRegex(LaunchError, "own options come first"):
            guests.resolve_option(g, "--dry-run")

    def test_ipv4(self):
        self.assertEqual(guests.parse_ipv4("10.0.2.2"), [10, 0, 2, 2])
        for bad in ("10.0.2", "10.0.2.256", "1.2.3.4.5", "a.b.c.d",
                    "1.2.3.0004"):
            self.assertIsNone(guests.parse_ipv4(bad))


class QemuMemory(unittest.TestCase):
    def test_ram(self):
        self.assertEqual(qemu.ram_mb([64], 100000), 129)
        self.assertEqual(qemu.ram_mb([1], 0), 128)
        self.assertEqual(qemu.ram_mb([], 0), 128)
        most = qemu.MAX_RAM_MB - qemu.HOST_RESERVE_MB - 1
        self.assertEqual(qemu.ram_mb([2047, most - 2047], 1),
                         qemu.MAX_RAM_MB)
        self.assertEqual(qemu.unfit_guests([2047, most - 2047], 1), [])
        # Past the most: QEMU gets the most, and the guests that do not
        # fit are named, in the host's launch order.
        self.assertEqual(qemu.ram_mb([2047, most - 2046], 1),
                         qemu.MAX_RAM_MB)
        self.assertEqual(qemu.unfit_guests([2047, most - 2046], 1),
                         [(1, most - 2046, most - 2047, False)])
        self.assertEqual(qemu.unfit_guests([64, 2047, 2047, 100], 1),
                         [(2, 2047, most - 64 - 2047, True)])
        self.assertEqual(qemu.unfit_guests([2047, 2047, 2047], 0),
                         [(1, 2047, most + 1 - 2047, True),
                          (2, 2047, most + 1 - 2047, True)])

    def test_below_4gib(self):
        # qemu-system-i386 (pc) keeps -m below 4 GiB only under 3.5 GiB.
        self.assertLess(qemu.MAX_RAM_MB, 0xE0000000 >> 20)

    def test_module_memory_as_the_host_reads_it(self):
        for words, mem in ((["64", "g.elf", "a=1"], 64),
                           (["--block=x", "-v", "32m", "g.elf"], 32),
                           (["--tunnet=10.0.2.2", "2047", "g.elf"], 2047),
                           (["4096", "huge.elf"], 0),     # refused: none
                           (["initrd"], 0), (["x64", "g.elf"], 0), ([], 0)):
            self.assertEqual(qemu.module_mem_mb(words), mem, words)

    def test_raw_modules_as_tools_lguest(self):
        with tempfile.TemporaryDirectory() as d:
            elf = os.path.join(d, "g.elf")
            with open(elf, "wb") as f:
                f.write(one_segment_elf())
            rd = os.path.join(d, "rd")
            with open(rd, "wb") as f:
                f.write(bytes(3 << 20))
            got = qemu.modules_ram_mb([(elf, ["--initrd=rd", "100", "g"]),
                                       (rd, ["initrd"]),
                                       (elf, ["5000", "g"])])
            # 100 MiB, the host's 64, 3 MiB and two ELFs rounded up.
            self.assertEqual(got, 100 + qemu.HOST_RESERVE_MB + 4)

    def test_cdrom_memory_from_its_grub_cfg(self):
        with tempfile.TemporaryDirectory() as d:
            iso = os.path.join(d, "cd.iso")
            with open(iso, "wb") as f:
                f.write(bytes(4096) + b"menuentry {\n\tmultiboot /h.elf x\n"
                        b"\tmodule /g.elf 200 g.elf a=b\n\tmodule /g.elf "
                        b"--block=d 300 g.elf\n}\n" + bytes(2 << 20))
            self.assertEqual(qemu.cdrom_ram_mb(iso),
                             500 + qemu.HOST_RESERVE_MB + 3)
            with open(iso, "wb") as f:
                f.write(bytes(4096))
            self.assertEqual(qemu.cdrom_ram_mb(iso), qemu.MIN_RAM_MB)


class BootTestsRunWhatUsersRun(unittest.TestCase):
    """A boot test's QEMU (scripts/check.py) is tools/lguest's for the same
    guest: the machine, memory, disks and NICs; only the module strings
    differ (a test's modules are raw host arguments)."""

    def test_same_machine(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("host.elf", "k.elf"):
                with open(os.path.join(d, name), "wb") as f:
                    f.write(one_segment_elf())
            expect = os.path.join(d, "t.expect")
            with open(expect, "w") as f:
                f.write("@module k.elf --block=a --tunnet=10.0.2.2 "
                        "--block=b 64 k.elf\n@disk 8M\n@disk 4M\n"
                        "@tunnet 10.0.2.2\n")
            args = types.SimpleNamespace(out=d, qemu=qemu.PROGRAM)
            test = check.qemu_command(check.parse_expect(expect), args,
                                      "diag", d)
            disks = [os.path.join(d, f"disk{n}.img") for n in range(2)]
            user = qemu.command(guests.parse_all(
                [f"--block={disks[0]}", "--tunnet=10.0.2.2",
                 f"--block={disks[1]}", "64", os.path.join(d, "k.elf")]),
                None, d, qemu.PROGRAM, "diag")
        # No option spelled here (scripts/qemu_options_check.py): the
        # module's own pieces name them.
        i = user.index(qemu.kernel_boot("k", ["m"])[2]) + 1
        self.assertEqual(test[:i] + test[i + 1:], user[:i] + user[i + 1:])
        self.assertNotEqual(test[i], user[i])   # the one allowed difference
        devices = qemu.block_options(disks) + qemu.nic_options(["10.0.2.2"])
        self.assertEqual(test[-len(devices):], devices)


class Statuses(unittest.TestCase):
    def test_table(self):
        self.assertEqual(status.QEMU_STATUS,
                         {33: 0, 35: 1, 37: 1, 39: 3, 41: 1})
        self.assertEqual(len({status.POWERED_OFF, status.GUEST_FAILED,
                              status.BAD_INPUT, status.HOST_PANIC,
                              status.QEMU_FAILED}), 5)

    def test_host_values(self):
        # QEMU exits (value << 1) | 1 for the host's value.
        for value, ours in ((0x10, 0), (0x11, 1), (0x12, 1), (0x13, 3),
                            (0x14, 1)):
            self.assertEqual(status.QEMU_STATUS[(value << 1) | 1], ours)


def c_define(path, name):
    """The value of `#define name VALUE` in a header of this tree, as an
    int (simple arithmetic allowed) or a string literal."""
    with open(os.path.join(ROOT, path)) as f:
        m = re.search(rf"^#define {name} (.+?)\s*(/\*.*)?$", f.read(), re.M)
    if not m:
        raise AssertionError(f"{name} not in {path}")
    value = m.group(1)
    return value.strip('"') if value.startswith('"') else eval(value)


class SameLimitsAsTheHost(unittest.TestCase):
    """The launcher's copies of the host's limits (they are checked here
    because tools/lguest reads no C headers at run time)."""

    def test_limits(self):
        for ours, path, name, adjust in (
                (guests.MAX_MEM_MB, "host/rules/launch_args.h",
                 "LAUNCH_ARGS_MAX_MEM_MB", 0),
                (guests.NAME_MAX, "host/rules/launch_args.h",
                 "LAUNCH_ARGS_NAME_MAX", -1),
                (guests.MAX_DEVICES, "include/lguest/launcher.h",
                 "LGUEST_MAX_DEVICES", -1),
                (guests.CMDLINE_MAX, "include/lguest/bootparam.h",
                 "COMMAND_LINE_SIZE", -1),
                (guests.MAX_GUESTS, "include/lguest/lguest.h",
                 "MAX_LGUEST_GUESTS", 0),
                (image.SWITCHER_ADDR, "include/lguest/lguest.h",
                 "LGUEST_SWITCHER_ADDR", 0),
                (image.LOW_RESERVED, "host/rules/loader.h",
                 "LOADER_LOW_RESERVED", 0),
                (bzimage.LOAD_ADDR, "include/lguest/bootparam.h",
                 "LGUEST_BZIMAGE_LOAD_ADDR", 0)):
            self.assertEqual(ours, c_define(path, name) + adjust, name)
        self.assertEqual(bzimage.SIGNATURE.decode(), c_define(
            "include/lguest/bootparam.h", "LGUEST_ENTRY_SIGNATURE"))


class InjectOption(unittest.TestCase):
    """tools/lguest --inject=: the host's grammar (host/rules/inject_args.c),
    checked before QEMU starts, passed on as the host word inject=."""

    def test_accepts(self):
        self.assertEqual(inject.parse("blk-fail:5,net-drop"),
                         {"blk-fail": 5, "net-drop": 10})
        self.assertEqual(inject.parse("irq-delay:10000"), {"irq-delay": 10000})
        self.assertEqual(inject.host_word("net-dup:2,irq-coalesce"),
                         "inject=net-dup:2,irq-coalesce")

    def test_refuses(self):
        for bad in ("", "blk", "blk-fail:", "blk-fail:0", "blk-fail:05",
                    "blk-fail:-1", "blk-fail,", ",net-dup",
                    "net-dup,,blk-fail", "net-dup,net-dup",
                    "irq-delay:10001", "net-drop:1000001", "BLK-FAIL",
                    "net-drop:3 net-dup"):
            with self.assertRaises(LaunchError, msg=bad) as e:
                inject.parse(bad)
            self.assertIn("--inject", str(e.exception))

    def test_same_modes_and_limits_as_the_host(self):
        with open(os.path.join(ROOT, "host/rules/inject_args.c")) as f:
            c = f.read()
        names = re.findall(r'\[INJECT_\w+\] = "([a-z-]+)"', c)
        self.assertEqual(names, list(inject.MODES))
        self.assertEqual(c_define("host/rules/inject_args.h",
                                  "INJECT_MAX_COUNT"), 1000000)
        self.assertEqual(inject.MODES["irq-delay"][1], c_define(
            "host/rules/inject_args.h", "INJECT_MAX_DELAY_MS"))
        for name, (default, most) in inject.MODES.items():
            if name != "irq-delay":
                self.assertEqual(most, 1000000, name)
        self.assertIn("case INJECT_IRQ_COALESCE: return 4;", c)
        self.assertEqual(inject.MODES["irq-coalesce"][0], 4)

    def test_tools_lguest_passes_it(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("host.elf", "k.elf"):
                with open(os.path.join(d, name), "wb") as f:
                    f.write(one_segment_elf())
            cmd = qemu.command(guests.parse_all(
                ["64", os.path.join(d, "k.elf")]), None, d, qemu.PROGRAM,
                "diag", host_words=[inject.host_word("blk-fail:5")])
        i = cmd.index(qemu.kernel_boot("k", [], "x")[2])
        self.assertEqual(cmd[i + 1], "inject=blk-fail:5")


class MkBzImage(unittest.TestCase):
    def test_gzip_unix(self):
        data = os.urandom(3000)
        gz = mkbzimage.gzip_unix(data)
        self.assertEqual(gz[:2], b"\x1f\x8b")
        self.assertEqual(gz[9], 3)
        self.assertEqual(zlib.decompress(gz, 31), data)


if __name__ == "__main__":
    argv = [a for a in sys.argv[1:]]
    if "--out" in argv:                   # the check runner passes it
        i = argv.index("--out")
        del argv[i:i + 2]
    unittest.main(argv=[sys.argv[0]] + argv, verbosity=2)
