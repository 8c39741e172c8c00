/*
 * host/rules/elf32.c: checks an untrusted ELF32 image, its header and then each
 * PT_LOAD program header (see elf32.h). Every offset and size read from
 * the file is checked against the file size or guest memory in 64-bit
 * arithmetic before use, as in Solo5's elf.c; program headers are copied
 * out of the file first, then checked (copy, then validate).
 */
#include <string.h>

#include "rules/elf32.h"
#include "rules/errmsg.h"

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define ELF32_PAGE 4096u

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The magic, or a clear word about bzImages, which start differently. */
static int elf32_check_magic(const uint8_t *b, size_t len, char *err,
			     size_t errlen)
{
	if (len < 4)
		return errmsg(err, errlen, "ELF: image is %u bytes, too small "
			      "for an ELF header", (unsigned)len);
	if (memcmp(b, "\177ELF", 4) != 0)
		return errmsg(err, errlen, "ELF: image is not ELF (starts "
			      "%02x %02x %02x %02x): bzImage is not supported, "
			      "load a vmlinux", b[0], b[1], b[2], b[3]);
	if (len < ELF32_EHDR_SIZE)
		return errmsg(err, errlen, "ELF: image is %u bytes, shorter "
			      "than the %u-byte ELF32 header", (unsigned)len,
			      (unsigned)ELF32_EHDR_SIZE);
	return 0;
}

int elf32_check_header(const uint8_t *b, size_t len, struct elf32_image *img,
		       char *err, size_t errlen)
{
	unsigned type, machine, phentsize, phnum;
	uint32_t phoff;
	uint64_t phend;

	if (elf32_check_magic(b, len, err, errlen))
		return -1;
	if (b[EI_CLASS] != ELFCLASS32)
		return errmsg(err, errlen, "ELF: class %u is not ELFCLASS32 "
			      "(1): only a 32-bit vmlinux can be loaded",
			      b[EI_CLASS]);
	if (b[EI_DATA] != ELFDATA2LSB)
		return errmsg(err, errlen, "ELF: data encoding %u is not "
			      "little-endian (1)", b[EI_DATA]);
	type = le16(b + 16);
	machine = le16(b + 18);
	phoff = le32(b + 28);
	phentsize = le16(b + 42);
	phnum = le16(b + 44);
	if (type != ET_EXEC)
		return errmsg(err, errlen, "ELF: e_type %u is not ET_EXEC (2)",
			      type);
	if (machine != EM_386)
		return errmsg(err, errlen, "ELF: e_machine %u is not EM_386 "
			      "(3)", machine);
	if (phentsize != ELF32_PHDR_SIZE)
		return errmsg(err, errlen, "ELF: e_phentsize %u is not %u",
			      phentsize, (unsigned)ELF32_PHDR_SIZE);
	if (phnum == 0 || phnum > ELF32_MAX_PHNUM)
		return errmsg(err, errlen, "ELF: e_phnum %u is outside 1..%u",
			      phnum, (unsigned)ELF32_MAX_PHNUM);
	phend = (uint64_t)phoff + (uint64_t)phnum * ELF32_PHDR_SIZE;
	if (phend > len)
		return errmsg(err, errlen, "ELF: %u program headers at e_phoff "
			      "0x%x run past the end of the %u-byte file",
			      phnum, (unsigned)phoff, (unsigned)len);
	img->bytes = b;
	img->len = len;
	img->phoff = phoff;
	img->phnum = phnum;
	return 0;
}

void elf32_read_phdr(const struct elf32_image *img, unsigned i,
		     struct elf32_phdr *ph)
{
	const uint8_t *p =
		img->bytes + img->phoff + (size_t)i * ELF32_PHDR_SIZE;

	ph->type = le32(p + 0);
	ph->offset = le32(p + 4);
	ph->vaddr = le32(p + 8);
	ph->paddr = le32(p + 12);
	ph->filesz = le32(p + 16);
	ph->memsz = le32(p + 20);
}

/* Checks of one PT_LOAD that need the file size or guest memory. */
static int elf32_check_load(const struct elf32_phdr *ph, unsigned i,
			    size_t image_len, uint32_t mem,
			    uint32_t low_reserved, char *err, size_t errlen)
{
	uint64_t end = (uint64_t)ph->paddr + ph->memsz;

	if ((uint64_t)ph->offset + ph->filesz > image_len)
		return errmsg(err, errlen, "ELF: segment %u file bytes [0x%x, "
			      "+0x%x) lie outside the %u-byte file", i,
			      (unsigned)ph->offset, (unsigned)ph->filesz,
			      (unsigned)image_len);
	if (ph->filesz > ph->memsz)
		return errmsg(err, errlen, "ELF: segment %u p_filesz 0x%x is "
			      "larger than p_memsz 0x%x", i,
			      (unsigned)ph->filesz, (unsigned)ph->memsz);
	if (end > mem && end > 0xFFFFFFFFu)
		return errmsg(err, errlen, "ELF: segment %u p_paddr 0x%x + "
			      "p_memsz 0x%x passes 4 GiB, past guest memory "
			      "(0x%x)", i, (unsigned)ph->paddr,
			      (unsigned)ph->memsz, (unsigned)mem);
	if (end > mem)
		return errmsg(err, errlen, "ELF: segment %u ends at 0x%x, past "
			      "guest memory (0x%x): give the guest more "
			      "memory", i, (unsigned)end, (unsigned)mem);
	if (ph->paddr % ELF32_PAGE || ph->offset % ELF32_PAGE)
		return errmsg(err, errlen, "ELF: segment %u p_paddr 0x%x or "
			      "p_offset 0x%x is not a multiple of 4096 (the "
			      "Launcher maps segments with a fixed-address "
			      "mmap)", i, (unsigned)ph->paddr,
			      (unsigned)ph->offset);
	if (ph->filesz == 0)
		return errmsg(err, errlen, "ELF: segment %u has p_filesz 0 "
			      "(the Launcher cannot mmap an empty segment)",
			      i);
	if (ph->paddr < low_reserved)
		return errmsg(err, errlen, "ELF: segment %u at p_paddr 0x%x "
			      "overlaps the zero page and command line [0, "
			      "0x%x)", i, (unsigned)ph->paddr,
			      (unsigned)low_reserved);
	return 0;
}

int elf32_check_loads(const struct elf32_image *img, uint32_t mem,
		      uint32_t low_reserved, struct elf32_span *span, char *err,
		      size_t errlen)
{
	struct elf32_phdr ph;
	unsigned first = 0;

	memset(span, 0, sizeof(*span));
	for (unsigned i = 0; i < img->phnum; i++) {
		elf32_read_phdr(img, i, &ph);
		if (ph.type != ELF32_PT_LOAD)
			continue;
		if (elf32_check_load(&ph, i, img->len, mem, low_reserved, err,
				     errlen))
			return -1;
		if (span->nload == 0) {
			first = i;
			span->page_offset = ph.vaddr - ph.paddr;
			span->lo = ph.paddr;
		} else if (ph.vaddr - ph.paddr != span->page_offset) {
			return errmsg(err, errlen, "ELF: segment %u "
				      "page_offset 0x%x (p_vaddr 0x%x - "
				      "p_paddr 0x%x) "
				      "differs from segment %u's 0x%x", i,
				      (unsigned)(ph.vaddr - ph.paddr),
				      (unsigned)ph.vaddr, (unsigned)ph.paddr,
				      first, (unsigned)span->page_offset);
		}
		span->nload++;
		if (ph.paddr < span->lo)
			span->lo = ph.paddr;
		if (ph.paddr + ph.memsz > span->end)
			span->end = ph.paddr + ph.memsz;
		if (ph.paddr + ph.filesz > span->file_end)
			span->file_end = ph.paddr + ph.filesz;
	}
	if (span->nload == 0)
		return errmsg(err, errlen, "ELF: no PT_LOAD segment among %u "
			      "program headers", img->phnum);
	return 0;
}
