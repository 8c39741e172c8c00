/*
 * tests/unit/elf_build.h: builds small ELF32 i386 images in memory for the
 * loader tests. elf_build_default() makes the image most tests start
 * from, shaped like a Linux vmlinux: two page-aligned PT_LOAD segments
 * linked at page_offset 0xC0000000, the "GenuineLguest" signature early
 * in the text. Tests then break one field at a time with the setters.
 */
#ifndef LGREF_TESTS_ELF_BUILD_H
#define LGREF_TESTS_ELF_BUILD_H

#include <stdint.h>
#include <string.h>

#define EB_MAX 0x8000
#define EB_TEXT_OFF 0x1000   /* segment 0: file offset */
#define EB_TEXT_PA 0x100000  /* segment 0: p_paddr */
#define EB_SIG_OFF 0x10      /* signature offset in segment 0 */
#define EB_DATA_OFF 0x2000   /* segment 1: file offset */
#define EB_DATA_PA 0x101000  /* segment 1: p_paddr */
#define EB_DATA_FILESZ 0x800
#define EB_DATA_MEMSZ 0x3000 /* BSS after the file bytes */
#define EB_PAGE_OFFSET 0xC0000000u
#define EB_LEN (EB_DATA_OFF + EB_DATA_FILESZ)

static uint8_t eb_img[EB_MAX];
static size_t eb_len;

static void eb_put16(size_t at, uint16_t v)
{
	eb_img[at] = (uint8_t)v;
	eb_img[at + 1] = (uint8_t)(v >> 8);
}

static void eb_put32(size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		eb_img[at + i] = (uint8_t)(v >> (8 * i));
}

/* A valid ELF header with phnum program headers right after it. */
static void eb_header(unsigned phnum)
{
	memset(eb_img, 0, sizeof(eb_img));
	memcpy(eb_img, "\177ELF", 4);
	eb_img[4] = 1; /* ELFCLASS32 */
	eb_img[5] = 1; /* ELFDATA2LSB */
	eb_img[6] = 1; /* EV_CURRENT */
	eb_put16(16, 2); /* ET_EXEC */
	eb_put16(18, 3); /* EM_386 */
	eb_put32(20, 1);
	eb_put32(24, 0xDEADBEEF); /* e_entry: must be ignored */
	eb_put32(28, 52);         /* e_phoff */
	eb_put16(40, 52);         /* e_ehsize */
	eb_put16(42, 32);         /* e_phentsize */
	eb_put16(44, (uint16_t)phnum);
}

/* Program header i: p_type, p_offset, p_vaddr, p_paddr, p_filesz,
 * p_memsz (flags RWX, align 4096). */
static void eb_phdr(unsigned i, uint32_t type, uint32_t off, uint32_t va,
		    uint32_t pa, uint32_t filesz, uint32_t memsz)
{
	size_t at = 52 + 32 * (size_t)i;

	eb_put32(at + 0, type);
	eb_put32(at + 4, off);
	eb_put32(at + 8, va);
	eb_put32(at + 12, pa);
	eb_put32(at + 16, filesz);
	eb_put32(at + 20, memsz);
	eb_put32(at + 24, 7);
	eb_put32(at + 28, 0x1000);
}

/* Field at byte `field` (4 = p_offset ... 20 = p_memsz) of header i. */
static void eb_set_phdr(unsigned i, size_t field, uint32_t v)
{
	eb_put32(52 + 32 * (size_t)i + field, v);
}

#define EB_P_TYPE 0
#define EB_P_OFFSET 4
#define EB_P_VADDR 8
#define EB_P_PADDR 12
#define EB_P_FILESZ 16
#define EB_P_MEMSZ 20

/* The standard two-segment image; file bytes are a position pattern. */
static void elf_build_default(void)
{
	eb_header(2);
	eb_phdr(0, 1, EB_TEXT_OFF, EB_PAGE_OFFSET + EB_TEXT_PA, EB_TEXT_PA,
		0x1000, 0x1000);
	eb_phdr(1, 1, EB_DATA_OFF, EB_PAGE_OFFSET + EB_DATA_PA, EB_DATA_PA,
		EB_DATA_FILESZ, EB_DATA_MEMSZ);
	for (size_t i = EB_TEXT_OFF; i < EB_LEN; i++) {
		uint8_t b = (uint8_t)(i * 7 + 1);
		eb_img[i] = b == 'G' ? 'g' : b; /* no stray signature */
	}
	memcpy(eb_img + EB_TEXT_OFF + EB_SIG_OFF, "GenuineLguest", 13);
	eb_len = EB_LEN;
}

#endif
