/*
 * host/rules/elf32.h: judging an untrusted ELF32 i386 vmlinux, for the loader.
 *
 * Only what the 2.6.23 Launcher looks at (docs/abi.md §1.3): the ELF
 * header and the PT_LOAD program headers, each checked against the file
 * and the guest's memory size before anything is copied. Fields are
 * decoded byte by byte (little-endian), so no struct is overlaid on the
 * file and no alignment is assumed. Placing the segments, page_offset's
 * limits and the signature scan are host/rules/loader.c's job.
 */
#ifndef LGREF_HOST_ELF32_H
#define LGREF_HOST_ELF32_H

#include <stddef.h>
#include <stdint.h>

#define ELF32_EHDR_SIZE 52
#define ELF32_PHDR_SIZE 32
#define ELF32_MAX_PHNUM 2048 /* the Launcher's limit */
#define ELF32_PT_LOAD 1

/* The program-header table of a header that passed elf32_check_header(). */
struct elf32_image {
	const uint8_t *bytes;
	size_t len;
	uint32_t phoff;
	unsigned phnum;
};

/* One program header, copied out of the file. */
struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz;
};

/*
 * Check the ELF header: magic (anything else is a bzImage, which is not
 * supported), ELFCLASS32, little-endian, ET_EXEC, EM_386, e_phentsize 32,
 * e_phnum 1..2048, and the program-header table inside the file.
 * Returns 0 and fills *img, or -1 with the reason in err.
 */
int elf32_check_header(const uint8_t *bytes, size_t len,
		       struct elf32_image *img, char *err, size_t errlen);

/* Copy program header i (< img->phnum) out of the file. */
void elf32_read_phdr(const struct elf32_image *img, unsigned i,
		     struct elf32_phdr *ph);

/* What the PT_LOAD segments of an accepted image cover. */
struct elf32_span {
	uint32_t page_offset; /* p_vaddr - p_paddr (mod 2^32), all equal */
	uint32_t lo;          /* lowest p_paddr */
	uint32_t end;         /* highest p_paddr + p_memsz */
	uint32_t file_end;    /* highest p_paddr + p_filesz */
	unsigned nload;       /* PT_LOAD segments, at least 1 */
};

/*
 * Check every PT_LOAD, in header order (other types are skipped): file
 * bytes inside the file, p_filesz <= p_memsz, p_paddr + p_memsz <= mem,
 * p_paddr and p_offset multiples of 4096, p_filesz > 0, p_paddr >=
 * low_reserved, and one page_offset for all. Returns 0 and fills *span,
 * or -1 with err naming the segment index and the values.
 */
int elf32_check_loads(const struct elf32_image *img, uint32_t mem,
		      uint32_t low_reserved, struct elf32_span *span,
		      char *err, size_t errlen);

#endif
