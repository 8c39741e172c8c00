/*
 * tests/unit/loader_test.c: the memory host/rules/loader.c builds, byte for
 * byte where the ABI fixes it: the docs/abi.md §7.4 example (64 MiB, net
 * then block, console last, pfnlimit 0x4003), the zero page, command line,
 * initrd placement, the initial page tables and the entry point.
 * Rejected images are in loader_elf_test.c.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elf_build.h"
#include "rules/loader.h"

#define MIB (1024u * 1024u)

static struct gmem g;
static struct loader_result r;
static char err[256];

/* A fresh zeroed guest of mem bytes with room for the devices. */
static void guest_new(uint32_t mem, const struct loader_device *d, unsigned n)
{
	size_t need = loader_memory_needed(mem, d, n);

	free(g.base);
	g.base = calloc(1, need);
	g.ram_bytes = mem;
	g.pfnlimit = 0;
}

static int build(const uint8_t *rd, size_t rdlen, const char *cmdline,
		 const struct loader_device *d, unsigned n)
{
	err[0] = '\0';
	return loader_build(&g, eb_img, eb_len, rd, rdlen, cmdline, d, n, &r,
			    err, sizeof(err));
}

static uint32_t rd32(uint32_t at)
{
	uint32_t v = 0;
	CHECK_EQ(gmem_read32(&g, gpa(at), &v), 0);
	return v;
}

static uint16_t rd16(uint32_t at)
{
	uint16_t v = 0;
	CHECK_EQ(gmem_read16(&g, gpa(at), &v), 0);
	return v;
}

static const struct loader_device net_then_block[] = {
	{ LGUEST_DEVICE_T_NET, 0x8001, 1 },
	{ LGUEST_DEVICE_T_BLOCK, 0x8000, 1 },
};

static void test_memory_needed(void)
{
	CHECK_EQ(loader_memory_needed(64 * MIB, net_then_block, 2), 0x4003000);
	CHECK_EQ(loader_memory_needed(4 * MIB, NULL, 0), 0x401000);
	struct loader_device big = { LGUEST_DEVICE_T_BLOCK, 0, 0xFFFF };
	CHECK_EQ(loader_memory_needed(0xFFFFF000u - 0xFFFF000u, &big, 1),
		 0x100000000ull > SIZE_MAX ? 0 : 0x100000000ull);
	CHECK_EQ(loader_memory_needed(0xFFFFF000u, &big, 1), 0);
	CHECK_EQ(loader_memory_needed(0xFFFFF000u, NULL, 0),
		 0x100000000ull > SIZE_MAX ? 0 : 0x100000000ull);
}

/* docs/abi.md §7.4: "64 vmlinux --tunnet=... --block=...". */
static void test_abi_7_4_example(void)
{
	elf_build_default();
	guest_new(64 * MIB, net_then_block, 2);
	CHECK_EQ(build(NULL, 0, "root=/dev/lgba ", net_then_block, 2), 0);
	CHECK(err[0] == '\0');
	CHECK_EQ(r.device_page, 0x4000000);
	CHECK_EQ(r.pfnlimit, 0x4003);
	CHECK_EQ(g.pfnlimit, 0x4003);
	CHECK_EQ(r.ndevices, 3);
	CHECK_EQ(r.device_pfn[0], 0x4001);
	CHECK_EQ(r.device_pfn[1], 0x4002);
	CHECK_EQ(r.device_pfn[2], 0);
	/* Descriptors: type, features, status, num_pages, pfn. */
	CHECK_EQ(rd16(0x4000000 + 0), LGUEST_DEVICE_T_NET);
	CHECK_EQ(rd16(0x4000000 + 2), 0x8001);
	CHECK_EQ(rd16(0x4000000 + 4), 0);
	CHECK_EQ(rd16(0x4000000 + 6), 1);
	CHECK_EQ(rd32(0x4000000 + 8), 0x4001);
	CHECK_EQ(rd16(0x400000C + 0), LGUEST_DEVICE_T_BLOCK);
	CHECK_EQ(rd16(0x400000C + 2), 0x8000);
	CHECK_EQ(rd32(0x400000C + 8), 0x4002);
	CHECK_EQ(rd16(0x4000018 + 0), LGUEST_DEVICE_T_CONSOLE);
	CHECK_EQ(rd16(0x4000018 + 2), 0);
	CHECK_EQ(rd16(0x4000018 + 6), 0);
	CHECK_EQ(rd32(0x4000018 + 8), 0);
	for (uint32_t a = 0x4000024; a < 0x4003000; a += 4)
		if (rd32(a) != 0) { /* rest of the page, device pages: zero */
			CHECK_EQ(a, 0);
			break;
		}
}

static void test_zero_page_and_cmdline(void)
{
	uint8_t want[4096] = { 0 };

	elf_build_default();
	guest_new(64 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "console=hvc0 quiet ", NULL, 0), 0);
	want[0x1E8] = 1;                       /* e820_entries */
	memcpy(want + 0x2D8, "\0\0\0\4", 4);   /* e820[0].size = 64 MiB */
	want[0x2E0] = 1;                       /* e820[0].type = RAM */
	want[0x229] = 0x10;                    /* cmd_line_ptr = 0x1000 */
	want[0x23C] = 1;                       /* hardware_subarch */
	CHECK(memcmp(g.base, want, sizeof(want)) == 0);
	CHECK(strcmp((char *)g.base + 0x1000, "console=hvc0 quiet ") == 0);
	/* NULL is the empty command line. */
	guest_new(64 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, NULL, NULL, 0), 0);
	CHECK_EQ(g.base[0x1000], 0);
	CHECK_EQ(rd32(0x228), 0x1000);
}

static void test_kernel_and_entry(void)
{
	elf_build_default();
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), 0);
	CHECK_EQ(r.page_offset, 0xC0000000);
	CHECK_EQ(r.entry, 0xC0000000 + EB_TEXT_PA + EB_SIG_OFF + 13);
	CHECK_EQ(r.kernel_start, EB_TEXT_PA);
	CHECK_EQ(r.kernel_end, EB_DATA_PA + EB_DATA_MEMSZ);
	CHECK(memcmp(g.base + EB_TEXT_PA, eb_img + EB_TEXT_OFF, 0x1000) == 0);
	CHECK(memcmp(g.base + EB_DATA_PA, eb_img + EB_DATA_OFF,
		     EB_DATA_FILESZ) == 0);
	CHECK_EQ(g.base[EB_DATA_PA + EB_DATA_FILESZ], 0); /* BSS */
	/* The lowest signature wins, whatever the header order. */
	memcpy(eb_img + EB_DATA_OFF + 4, "GenuineLguest", 13);
	eb_phdr(0, 1, EB_DATA_OFF, 0xC0000000 + EB_DATA_PA, EB_DATA_PA,
		EB_DATA_FILESZ, EB_DATA_MEMSZ);
	eb_phdr(1, 1, EB_TEXT_OFF, 0xC0000000 + EB_TEXT_PA, EB_TEXT_PA,
		0x1000, 0x1000);
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), 0);
	CHECK_EQ(r.entry, 0xC0000000 + EB_TEXT_PA + EB_SIG_OFF + 13);
	CHECK_EQ(r.kernel_start, EB_TEXT_PA);
}

static void test_signature_at_scan_edges(void)
{
	/* Ends exactly at the highest p_paddr + p_filesz: found. */
	elf_build_default();
	memset(eb_img + EB_TEXT_OFF + EB_SIG_OFF, 'x', 13);
	memcpy(eb_img + EB_LEN - 13, "GenuineLguest", 13);
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), 0);
	CHECK_EQ(r.entry, 0xC0000000 + EB_DATA_PA + EB_DATA_FILESZ);
	/* One byte short of the end: not found (BSS is not scanned). */
	memcpy(eb_img + EB_LEN - 12, "GenuineLgues", 12);
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), -1);
	CHECK(strcmp(err, "ELF: no \"GenuineLguest\" signature in the loaded "
		     "bytes [0x100000, 0x101800)") == 0);
}

/* The host gives a guest memory without zeroing it (gmem zeroes each page
 * on first use): the loader's result reads the same as on zeroed memory. */
static void test_unzeroed_memory(void)
{
	size_t need = loader_memory_needed(64 * MIB, NULL, 0);
	static uint32_t bits[(64 * MIB / 4096 + 32) / 32 + 1];

	elf_build_default();
	free(g.base);
	g.base = malloc(need);
	memset(g.base, 0xEE, need);
	memset(bits, 0, sizeof(bits));
	g.ram_bytes = 64 * MIB;
	g.pfnlimit = 0;
	g.scrubbed = bits;
	CHECK_EQ(build(NULL, 0, "quiet", NULL, 0), 0);
	for (uint32_t i = 0; i < r.mapped_pages; i++)
		if (rd32(r.pte_gpa + 4 * i) != (i * 4096 | 7))
			CHECK_EQ(i, 0xFFFFFFFF);
	for (unsigned i = 0; i < 1024; i++) {
		uint32_t pde = rd32(r.pgdir + 4 * i);
		if (i >= 768 && i < 784)
			CHECK_EQ(pde, (r.pte_gpa + (i - 768) * 4096) | 7);
		else if (pde != 0)
			CHECK_EQ(i, 0xFFFF);
	}
	CHECK_EQ(rd32(0x1E4), 0);		/* zero page, not written */
	CHECK_EQ(rd32(0x228), 0x1000);
	CHECK_EQ(rd32(0x1000 + 8), 0);		/* after the command line */
	CHECK_EQ(rd32(32 * MIB), 0);		/* RAM nobody wrote */
	g.scrubbed = NULL;
}

static void test_page_tables_64m(void)
{
	elf_build_default();
	guest_new(64 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), 0);
	CHECK_EQ(r.mapped_pages, 16384);
	CHECK_EQ(r.pte_pages, 16);
	CHECK_EQ(r.pgdir, 64 * MIB - 0x1000);
	CHECK_EQ(r.pte_gpa, 64 * MIB - 0x1000 - 16 * 0x1000);
	CHECK_EQ(rd32(r.pte_gpa), 0x7);
	CHECK_EQ(rd32(r.pte_gpa + 4), 0x1007);
	CHECK_EQ(rd32(r.pte_gpa + 4 * 1024), 0x400007);
	CHECK_EQ(rd32(r.pte_gpa + 4 * 16383), 0x3FFF007);
	for (unsigned i = 0; i < 1024; i++) {
		uint32_t pde = rd32(r.pgdir + 4 * i);
		if (i >= 768 && i < 784)
			CHECK_EQ(pde, (r.pte_gpa + (i - 768) * 4096) | 7);
		else if (pde != 0) /* no identity map, nothing else */
			CHECK_EQ(i, 0xFFFF);
	}
	CHECK_EQ(r.initrd_gpa, 0);
	CHECK_EQ(r.initrd_len, 0);
}

/* mapped_pages stops at 2^32 - page_offset (here 8 MiB of 16). */
static void test_mapped_pages_limit(void)
{
	elf_build_default();
	eb_set_phdr(0, EB_P_VADDR, 0xFF800000 + EB_TEXT_PA);
	eb_set_phdr(1, EB_P_VADDR, 0xFF800000 + EB_DATA_PA);
	guest_new(16 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), 0);
	CHECK_EQ(r.page_offset, 0xFF800000);
	CHECK_EQ(r.mapped_pages, 2048);
	CHECK_EQ(r.pte_pages, 2);
	CHECK_EQ(rd32(r.pgdir + 4 * 1022), r.pte_gpa | 7);
	CHECK_EQ(rd32(r.pgdir + 4 * 1023), (r.pte_gpa + 4096) | 7);
	CHECK_EQ(rd32(r.pte_gpa + 4 * 2047), 0x7FF007);
	CHECK_EQ(r.pte_gpa, 16 * MIB - 3 * 4096);
	/* page_offset 0: an identity map from directory entry 0. */
	elf_build_default();
	eb_set_phdr(0, EB_P_VADDR, EB_TEXT_PA);
	eb_set_phdr(1, EB_P_VADDR, EB_DATA_PA);
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), 0);
	CHECK_EQ(r.entry, EB_TEXT_PA + EB_SIG_OFF + 13);
	CHECK_EQ(rd32(r.pgdir), r.pte_gpa | 7);
	CHECK_EQ(rd32(r.pgdir + 4), 0);
}

static void test_initrd(void)
{
	static uint8_t rd[5000];

	for (size_t i = 0; i < sizeof(rd); i++)
		rd[i] = (uint8_t)(i + 3);
	elf_build_default();
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(rd, sizeof(rd), "", NULL, 0), 0);
	CHECK_EQ(r.initrd_len, 0x2000); /* rounded up */
	CHECK_EQ(r.initrd_gpa, 4 * MIB - 0x2000);
	CHECK(memcmp(g.base + r.initrd_gpa, rd, sizeof(rd)) == 0);
	CHECK_EQ(g.base[r.initrd_gpa + sizeof(rd)], 0);
	CHECK_EQ(g.base[0x210], 0xFF);           /* type_of_loader */
	CHECK_EQ(rd32(0x218), 4 * MIB - 0x2000); /* ramdisk_image */
	CHECK_EQ(rd32(0x21C), 0x2000);           /* ramdisk_size */
	CHECK_EQ(r.pgdir, 4 * MIB - 0x3000);
	CHECK_EQ(r.pte_gpa, 4 * MIB - 0x4000);
	/* An empty initrd is still announced (the Launcher did so). */
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(rd, 0, "", NULL, 0), 0);
	CHECK_EQ(g.base[0x210], 0xFF);
	CHECK_EQ(rd32(0x218), 4 * MIB);
	CHECK_EQ(rd32(0x21C), 0);
	CHECK_EQ(r.pgdir, 4 * MIB - 0x1000);
}

static void test_fit_boundaries(void)
{
	/* 4 MiB: one PTE page + directory just above the kernel fits. */
	elf_build_default();
	eb_set_phdr(1, EB_P_MEMSZ, 4 * MIB - 0x2000 - EB_DATA_PA);
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), 0);
	CHECK_EQ(r.pte_gpa, r.kernel_end);
	/* One more page of BSS and the page tables would overwrite it. */
	eb_set_phdr(1, EB_P_MEMSZ, 4 * MIB - 0x1000 - EB_DATA_PA);
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, "", NULL, 0), -1);
	CHECK(strcmp(err, "loader: image too big for memory: kernel ends at "
		     "0x3ff000, then 2 page-table pages and a 0x0-byte initrd "
		     "pass mem 0x400000: give the guest more memory") == 0);
	/* The same with an initrd that takes the room. */
	static uint8_t rd[4096];
	eb_set_phdr(1, EB_P_MEMSZ, 4 * MIB - 0x3000 - EB_DATA_PA);
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(rd, 4096, "", NULL, 0), 0);
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(rd, 4097, "", NULL, 0), -1);
	CHECK(strstr(err, "a 0x2000-byte initrd pass mem 0x400000") != NULL);
	CHECK_EQ(build(rd, 4 * MIB + 1, "", NULL, 0), -1);
	CHECK(strcmp(err, "loader: initrd of 4194305 bytes is larger than "
		     "guest memory (0x400000)") == 0);
}

static void test_command_line_limit(void)
{
	static char line[2049];

	memset(line, 'c', 2047);
	elf_build_default();
	guest_new(4 * MIB, NULL, 0);
	CHECK_EQ(build(NULL, 0, line, NULL, 0), 0);
	CHECK_EQ(strlen((char *)g.base + 0x1000), 2047);
	line[2047] = 'c';
	CHECK_EQ(build(NULL, 0, line, NULL, 0), -1);
	CHECK(strcmp(err, "loader: command line is 2048 bytes or more, max "
		     "2047") == 0);
}

static void test_devices(void)
{
	struct loader_device d[16];

	for (unsigned i = 0; i < 16; i++)
		d[i] = (struct loader_device){ LGUEST_DEVICE_T_BLOCK, 0x8000,
					       (uint16_t)(i % 3) };
	elf_build_default();
	guest_new(4 * MIB, d, 15);
	CHECK_EQ(build(NULL, 0, "", d, 15), 0);
	CHECK_EQ(r.ndevices, 16);
	CHECK_EQ(r.device_pfn[0], 0); /* no pages: pfn 0 */
	CHECK_EQ(r.device_pfn[1], 0x401);
	CHECK_EQ(r.device_pfn[2], 0x402);
	CHECK_EQ(r.device_pfn[3], 0);
	CHECK_EQ(r.device_pfn[4], 0x404);
	CHECK_EQ(r.pfnlimit, 0x401 + 15); /* 0+1+2 five times */
	CHECK_EQ(rd16(0x400000 + 15 * 12), LGUEST_DEVICE_T_CONSOLE);
	CHECK_EQ(build(NULL, 0, "", d, 16), -1);
	CHECK(strcmp(err, "loader: too many devices: 16, max 15 plus the "
		     "console") == 0);
	d[2].type = 0;
	CHECK_EQ(build(NULL, 0, "", d, 3), -1);
	CHECK(strcmp(err, "loader: device 2 has type 0, which marks an empty "
		     "slot") == 0);
	/* Device pages may not pass 4 GiB (checked before anything else). */
	struct gmem huge = { .base = NULL, .ram_bytes = 0xFFFFF000u, .pfnlimit = 0 };
	struct loader_device one = { LGUEST_DEVICE_T_BLOCK, 0, 1 };
	CHECK_EQ(loader_build(&huge, eb_img, eb_len, NULL, 0, "", &one, 1, &r,
			      err, sizeof(err)), -1);
	CHECK(strcmp(err, "loader: device pages above mem 0xfffff000 pass "
		     "4 GiB") == 0);
}

static void test_bad_memory_size(void)
{
	struct gmem bad = { .base = NULL, .ram_bytes = 0, .pfnlimit = 0 };

	elf_build_default();
	CHECK_EQ(loader_build(&bad, eb_img, eb_len, NULL, 0, "", NULL, 0, &r,
			      err, sizeof(err)), -1);
	CHECK(strcmp(err, "loader: memory size 0x0 is not a positive multiple "
		     "of 4096") == 0);
	bad.ram_bytes = 0x400800;
	CHECK_EQ(loader_build(&bad, eb_img, eb_len, NULL, 0, "", NULL, 0, &r,
			      err, sizeof(err)), -1);
	CHECK(strstr(err, "0x400800") != NULL);
}

int main(void)
{
	RUN(test_memory_needed);
	RUN(test_abi_7_4_example);
	RUN(test_zero_page_and_cmdline);
	RUN(test_kernel_and_entry);
	RUN(test_signature_at_scan_edges);
	RUN(test_page_tables_64m);
	RUN(test_unzeroed_memory);
	RUN(test_mapped_pages_limit);
	RUN(test_initrd);
	RUN(test_fit_boundaries);
	RUN(test_command_line_limit);
	RUN(test_devices);
	RUN(test_bad_memory_size);
	free(g.base);
	return CHECK_DONE();
}
