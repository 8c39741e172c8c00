/*
 * tests/unit/loader_elf_test.c: every image host/rules/loader.c and
 * host/rules/elf32.c refuse, one broken field at a time, with the exact message
 * (values and segment index included), and the accepted value on the
 * other side of each boundary. Layout of accepted images: loader_test.c.
 */
#include <string.h>

#include "check.h"
#include "elf_build.h"
#include "rules/loader.h"

#define MEM (4u * 1024 * 1024)

static uint8_t mem[MEM + 4096];
static struct loader_result r;
static char err[256];

static int load(void)
{
	struct gmem g = { .base = mem, .ram_bytes = MEM, .pfnlimit = 0 };

	memset(mem, 0, sizeof(mem));
	err[0] = '\0';
	return loader_build(&g, eb_img, eb_len, NULL, 0, "", NULL, 0, &r, err,
			    sizeof(err));
}

/* load() must fail with exactly this message. */
#define REFUSED(msg)                                                       \
	do {                                                               \
		CHECK_EQ(load(), -1);                                      \
		if (strcmp(err, msg) != 0) {                               \
			printf("  got: %s\n", err);                        \
			CHECK(strcmp(err, msg) == 0);                      \
		}                                                          \
	} while (0)

static void test_default_image_loads(void)
{
	elf_build_default();
	CHECK_EQ(load(), 0);
	CHECK(err[0] == '\0');
}

static void test_not_elf(void)
{
	elf_build_default();
	eb_len = 3;
	REFUSED("ELF: image is 3 bytes, too small for an ELF header");
	eb_len = 0;
	REFUSED("ELF: image is 0 bytes, too small for an ELF header");
	elf_build_default();
	memcpy(eb_img, "MZ\x90\x00", 4);
	REFUSED("ELF: image is not ELF (starts 4d 5a 90 00): bzImage is not "
		"supported, load a vmlinux");
	elf_build_default();
	eb_len = 51;
	REFUSED("ELF: image is 51 bytes, shorter than the 52-byte ELF32 "
		"header");
}

static void test_header_fields(void)
{
	elf_build_default();
	eb_img[4] = 2;
	REFUSED("ELF: class 2 is not ELFCLASS32 (1): only a 32-bit vmlinux "
		"can be loaded");
	elf_build_default();
	eb_img[5] = 2;
	REFUSED("ELF: data encoding 2 is not little-endian (1)");
	elf_build_default();
	eb_put16(16, 3);
	REFUSED("ELF: e_type 3 is not ET_EXEC (2)");
	elf_build_default();
	eb_put16(18, 62);
	REFUSED("ELF: e_machine 62 is not EM_386 (3)");
	elf_build_default();
	eb_put16(42, 56);
	REFUSED("ELF: e_phentsize 56 is not 32");
}

static void test_phnum_and_phoff(void)
{
	elf_build_default();
	eb_put16(44, 0);
	REFUSED("ELF: e_phnum 0 is outside 1..2048");
	eb_put16(44, 2049);
	REFUSED("ELF: e_phnum 2049 is outside 1..2048");
	eb_put16(44, 2048); /* allowed, but the table passes the file end */
	REFUSED("ELF: 2048 program headers at e_phoff 0x34 run past the end "
		"of the 10240-byte file");
	elf_build_default();
	eb_put32(28, 0xFFFFFFF0); /* would wrap in 32 bits */
	REFUSED("ELF: 2 program headers at e_phoff 0xfffffff0 run past the "
		"end of the 10240-byte file");
	elf_build_default();
	eb_put32(28, EB_LEN - 64); /* table ends exactly at the file end */
	memcpy(eb_img + EB_LEN - 64, eb_img + 52, 64);
	CHECK_EQ(load(), 0);
	eb_put32(28, EB_LEN - 63);
	REFUSED("ELF: 2 program headers at e_phoff 0x27c1 run past the end "
		"of the 10240-byte file");
}

static void test_segment_file_range(void)
{
	elf_build_default();
	eb_set_phdr(1, EB_P_FILESZ, EB_DATA_FILESZ + 1);
	REFUSED("ELF: segment 1 file bytes [0x2000, +0x801) lie outside the "
		"10240-byte file");
	elf_build_default();
	eb_set_phdr(0, EB_P_OFFSET, 0xFFFFF000); /* offset + size wraps */
	eb_set_phdr(0, EB_P_FILESZ, 0x2000);
	eb_set_phdr(0, EB_P_MEMSZ, 0x2000);
	REFUSED("ELF: segment 0 file bytes [0xfffff000, +0x2000) lie outside "
		"the 10240-byte file");
	elf_build_default();
	eb_set_phdr(1, EB_P_MEMSZ, EB_DATA_FILESZ - 1);
	REFUSED("ELF: segment 1 p_filesz 0x800 is larger than p_memsz 0x7ff");
}

static void test_segment_past_memory(void)
{
	elf_build_default();
	eb_set_phdr(1, EB_P_MEMSZ, MEM - EB_DATA_PA + 1);
	REFUSED("ELF: segment 1 ends at 0x400001, past guest memory "
		"(0x400000): give the guest more memory");
	eb_set_phdr(1, EB_P_PADDR, 0xFFFFF000);
	eb_set_phdr(1, EB_P_VADDR, 0xBFFFF000);
	eb_set_phdr(1, EB_P_MEMSZ, 0x2000);
	REFUSED("ELF: segment 1 p_paddr 0xfffff000 + p_memsz 0x2000 passes "
		"4 GiB, past guest memory (0x400000)");
	/* Ending exactly at mem passes this check (then there is no room
	 * left for the page tables, which is a different error). */
	elf_build_default();
	eb_set_phdr(1, EB_P_MEMSZ, MEM - EB_DATA_PA);
	CHECK_EQ(load(), -1);
	CHECK(strncmp(err, "loader: image too big for memory", 32) == 0);
}

static void test_segment_alignment(void)
{
	elf_build_default();
	eb_set_phdr(1, EB_P_PADDR, EB_DATA_PA + 0x100);
	eb_set_phdr(1, EB_P_VADDR, EB_PAGE_OFFSET + EB_DATA_PA + 0x100);
	REFUSED("ELF: segment 1 p_paddr 0x101100 or p_offset 0x2000 is not a "
		"multiple of 4096 (the Launcher maps segments with a "
		"fixed-address mmap)");
	elf_build_default();
	eb_set_phdr(0, EB_P_OFFSET, EB_TEXT_OFF + 4);
	REFUSED("ELF: segment 0 p_paddr 0x100000 or p_offset 0x1004 is not a "
		"multiple of 4096 (the Launcher maps segments with a "
		"fixed-address mmap)");
}

static void test_segment_empty_or_low(void)
{
	elf_build_default();
	eb_set_phdr(1, EB_P_FILESZ, 0);
	REFUSED("ELF: segment 1 has p_filesz 0 (the Launcher cannot mmap an "
		"empty segment)");
	elf_build_default();
	eb_set_phdr(0, EB_P_PADDR, 0x1000);
	eb_set_phdr(0, EB_P_VADDR, EB_PAGE_OFFSET + 0x1000);
	REFUSED("ELF: segment 0 at p_paddr 0x1000 overlaps the zero page and "
		"command line [0, 0x1800)");
	eb_set_phdr(0, EB_P_PADDR, 0x2000); /* first page above: fine */
	eb_set_phdr(0, EB_P_VADDR, EB_PAGE_OFFSET + 0x2000);
	CHECK_EQ(load(), 0);
	CHECK_EQ(r.entry, EB_PAGE_OFFSET + 0x2000 + EB_SIG_OFF + 13);
}

static void test_page_offset_rules(void)
{
	elf_build_default();
	eb_set_phdr(1, EB_P_VADDR, 0xC0001000 + EB_DATA_PA);
	REFUSED("ELF: segment 1 page_offset 0xc0001000 (p_vaddr 0xc0102000 - "
		"p_paddr 0x101000) differs from segment 0's 0xc0000000");
	elf_build_default();
	eb_set_phdr(0, EB_P_VADDR, 0xFFC00000 + EB_TEXT_PA);
	eb_set_phdr(1, EB_P_VADDR, 0xFFC00000 + EB_DATA_PA);
	REFUSED("ELF: page_offset 0xffc00000 reaches the Switcher's "
		"page-directory slot (0xffc00000 and up)");
	elf_build_default();
	eb_set_phdr(0, EB_P_VADDR, 0xC0100000 + EB_TEXT_PA);
	eb_set_phdr(1, EB_P_VADDR, 0xC0100000 + EB_DATA_PA);
	REFUSED("ELF: page_offset 0xc0100000 is not a multiple of 4 MiB, so "
		"the initial page tables cannot map it");
	/* p_vaddr below p_paddr: page_offset wraps mod 2^32 (8 MiB below
	 * 0 is 0xFF800000, the last 4 MiB-aligned value allowed). */
	elf_build_default();
	eb_set_phdr(0, EB_P_VADDR, EB_TEXT_PA - 0x800000);
	eb_set_phdr(1, EB_P_VADDR, EB_DATA_PA - 0x800000);
	CHECK_EQ(load(), 0);
	CHECK_EQ(r.page_offset, 0xFF800000);
	CHECK_EQ(r.entry, 0xFF800000 + EB_TEXT_PA + EB_SIG_OFF + 13);
}

static void test_no_load_or_signature(void)
{
	elf_build_default();
	eb_set_phdr(0, EB_P_TYPE, 4); /* PT_NOTE */
	eb_set_phdr(1, EB_P_TYPE, 6); /* PT_PHDR */
	REFUSED("ELF: no PT_LOAD segment among 2 program headers");
	/* Non-PT_LOAD headers are not checked at all. */
	eb_set_phdr(0, EB_P_TYPE, 1);
	eb_set_phdr(1, EB_P_OFFSET, 0xFFFFFFFF);
	CHECK_EQ(load(), 0);
	elf_build_default();
	memcpy(eb_img + EB_TEXT_OFF + EB_SIG_OFF, "GenuineLguesT", 13);
	REFUSED("ELF: no \"GenuineLguest\" signature in the loaded bytes "
		"[0x100000, 0x101800)");
}

int main(void)
{
	RUN(test_default_image_loads);
	RUN(test_not_elf);
	RUN(test_header_fields);
	RUN(test_phnum_and_phoff);
	RUN(test_segment_file_range);
	RUN(test_segment_past_memory);
	RUN(test_segment_alignment);
	RUN(test_segment_empty_or_low);
	RUN(test_page_offset_rules);
	RUN(test_no_load_or_signature);
	return CHECK_DONE();
}
