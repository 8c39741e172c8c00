/*
 * host/rules/loader.c: builds one guest's memory the way the 2.6.23 Launcher
 * did (docs/abi.md §1, §7.4); the contract and every rule are in loader.h.
 *
 * Two phases. First everything is checked and the layout is computed with
 * nothing written: the ELF file (host/rules/elf32.c), page_offset, devices,
 * command line, initrd and page tables. Then it is written through gmem
 * in the order of §1.1. The only check that needs written memory is the
 * entry-signature scan, which looks at the loaded bytes.
 */
#include <string.h>

#include <lguest/bootparam.h>
#include <lguest/lguest.h>

#include "rules/elf32.h"
#include "rules/errmsg.h"
#include "rules/loader.h"

#define PAGE 4096u
#define PTES_PER_PAGE 1024u
#define PDE_SPAN 0x400000u /* bytes one directory entry maps */

/* page_offset must leave the Switcher alone and suit the page tables. */
static int check_page_offset(uint32_t page_offset, char *err, size_t errlen)
{
	if (page_offset >= LGUEST_SWITCHER_ADDR)
		return errmsg(err, errlen, "ELF: page_offset 0x%x reaches the "
			      "Switcher's page-directory slot (0x%x and up)",
			      (unsigned)page_offset,
			      (unsigned)LGUEST_SWITCHER_ADDR);
	if (page_offset % PDE_SPAN)
		return errmsg(err, errlen, "ELF: page_offset 0x%x is not a "
			      "multiple of 4 MiB, so the initial page tables "
			      "cannot map it", (unsigned)page_offset);
	return 0;
}

/* Bytes of a NUL-terminated string, or COMMAND_LINE_SIZE if longer. */
static size_t cmdline_length(const char *s)
{
	size_t n = 0;

	while (n < COMMAND_LINE_SIZE && s[n])
		n++;
	return n;
}

/* Descriptor page, device pages and pfnlimit (docs/abi.md §7.4). */
static int layout_devices(uint32_t mem, const struct loader_device *devs,
			  unsigned ndevs, struct loader_result *out, char *err,
			  size_t errlen)
{
	uint64_t top = (uint64_t)mem + PAGE;

	if (ndevs > LOADER_MAX_DEVICES)
		return errmsg(err, errlen, "loader: too many devices: %u, max "
			      "%u plus the console", ndevs,
			      (unsigned)LOADER_MAX_DEVICES);
	out->device_page = mem;
	for (unsigned i = 0; i < ndevs; i++) {
		if (devs[i].type == LGUEST_DEVICE_T_EMPTY)
			return errmsg(err, errlen, "loader: device %u has type "
				      "0, which marks an empty slot", i);
		out->device_pfn[i] = devs[i].num_pages ? (uint32_t)(top / PAGE)
						       : 0;
		top += (uint64_t)devs[i].num_pages * PAGE;
	}
	if (top > 0x100000000ull)
		return errmsg(err, errlen, "loader: device pages above mem 0x%x "
			      "pass 4 GiB", (unsigned)mem);
	out->ndevices = ndevs + 1; /* the console, last, has no pages */
	out->pfnlimit = (uint32_t)(top / PAGE);
	return 0;
}

/* Initrd at the top of RAM, page tables just below (§1.1, §1.4). */
static int layout_top(uint32_t mem, const struct elf32_span *k, bool initrd,
		      size_t initrd_len, struct loader_result *out, char *err,
		      size_t errlen)
{
	uint64_t rd, need, mapped = 0x100000000ull - k->page_offset;

	if (initrd && initrd_len > mem)
		return errmsg(err, errlen, "loader: initrd of %u bytes is "
			      "larger than guest memory (0x%x)",
			      (unsigned)initrd_len, (unsigned)mem);
	rd = initrd ? ((uint64_t)initrd_len + PAGE - 1) / PAGE * PAGE : 0;
	if (mapped > mem)
		mapped = mem;
	out->mapped_pages = (uint32_t)(mapped / PAGE);
	out->pte_pages =
		(out->mapped_pages + PTES_PER_PAGE - 1) / PTES_PER_PAGE;
	need = (uint64_t)k->end + (uint64_t)(out->pte_pages + 1) * PAGE + rd;
	if (need > mem)
		return errmsg(err, errlen, "loader: image too big for memory: "
			      "kernel ends at 0x%x, then %u page-table pages "
			      "and a 0x%x-byte initrd pass mem 0x%x: give "
			      "the guest more memory",
			      (unsigned)k->end, (unsigned)out->pte_pages + 1,
			      (unsigned)rd, (unsigned)mem);
	out->initrd_gpa = initrd ? (uint32_t)(mem - rd) : 0;
	out->initrd_len = (uint32_t)rd;
	out->pgdir = (uint32_t)(mem - rd) - PAGE;
	out->pte_gpa = out->pgdir - out->pte_pages * PAGE;
	return 0;
}

/* Find "GenuineLguest" in [lo, end) of guest memory; -1 if absent. */
static int find_signature(const struct gmem *g, uint32_t lo, uint32_t end,
			  uint32_t *found)
{
	void *view;
	const size_t n = LGUEST_ENTRY_SIGNATURE_LEN;
	size_t len = end - lo;

	/* Shared pages are attached after loading, so the image is one
	 * piece of host memory whenever it is guest memory at all. */
	if (gmem_map(g, gpa(lo), end - lo, &view))
		return -1;
	const uint8_t *base = view;
	for (size_t i = 0; i + n <= len; i++) {
		const uint8_t *p = memchr(base + i, 'G', len - n + 1 - i);
		if (!p)
			break;
		i = (size_t)(p - base);
		if (memcmp(p, LGUEST_ENTRY_SIGNATURE, n) == 0) {
			*found = lo + (uint32_t)i;
			return 0;
		}
	}
	return -1;
}

static int write_segments(const struct gmem *g, const struct elf32_image *img)
{
	struct elf32_phdr ph;
	int bad = 0;

	for (unsigned i = 0; i < img->phnum; i++) {
		elf32_read_phdr(img, i, &ph);
		if (ph.type == ELF32_PT_LOAD)
			bad |= gmem_write(g, gpa(ph.paddr), img->bytes + ph.offset,
					  ph.filesz);
	}
	return bad;
}

/* PTE i = (i * 4096) | 7; directory entries only at page_offset. The
 * PTEs go a page at a time from a buffer: one write32 each took 1.8 ms of
 * a 64 MiB guest's launch under QEMU, and a whole-page write spares gmem
 * zeroing the page first. Little-endian, as gmem_write32() would. The
 * buffer is static: 4 KiB is a quarter of the host's stack. */
static int write_page_tables(const struct gmem *g,
			     const struct loader_result *r)
{
	uint32_t pde0 = r->page_offset / PDE_SPAN;
	static uint8_t buf[PAGE];
	int bad = 0;

	for (uint32_t i = 0; i < r->mapped_pages; i += PAGE / 4) {
		uint32_t n = r->mapped_pages - i < PAGE / 4 ?
			     r->mapped_pages - i : PAGE / 4;
		for (uint32_t j = 0; j < n; j++) {
			uint32_t pte = (i + j) * PAGE |
				       LGUEST_LAUNCHER_PAGE_FLAGS;
			buf[4 * j] = (uint8_t)pte;
			buf[4 * j + 1] = (uint8_t)(pte >> 8);
			buf[4 * j + 2] = (uint8_t)(pte >> 16);
			buf[4 * j + 3] = (uint8_t)(pte >> 24);
		}
		bad |= gmem_write(g, gpa(r->pte_gpa + 4 * i), buf, 4 * n);
	}
	for (uint32_t i = 0; i < r->pte_pages; i++)
		bad |= gmem_write32(g, gpa(r->pgdir + 4 * (pde0 + i)),
				    (r->pte_gpa + i * PAGE) |
					    LGUEST_LAUNCHER_PAGE_FLAGS);
	return bad;
}

/* Zero page (§1.2) and the command line at 0x1000. */
static int write_boot_params(const struct gmem *g, uint32_t mem, bool initrd,
			     const struct loader_result *r, const char *cmdline,
			     size_t cmdline_len)
{
	const uint32_t e820 = BOOT_PARAMS_E820_MAP;
	int bad = 0;

	bad |= gmem_write8(g, gpa(BOOT_PARAMS_E820_ENTRIES), LGUEST_E820_NR_ENTRIES);
	bad |= gmem_write32(g, gpa(e820 + 8), mem); /* addr 0, size: high words 0 */
	bad |= gmem_write32(g, gpa(e820 + 16), E820_RAM);
	bad |= gmem_write32(g, gpa(BOOT_PARAMS_CMD_LINE_PTR), LGUEST_CMDLINE_ADDR);
	bad |= gmem_write32(g, gpa(BOOT_PARAMS_HARDWARE_SUBARCH),
			    LGUEST_HARDWARE_SUBARCH);
	if (initrd) {
		bad |= gmem_write8(g, gpa(BOOT_PARAMS_TYPE_OF_LOADER),
				   BOOT_LOADER_TYPE_UNKNOWN);
		bad |= gmem_write32(g, gpa(BOOT_PARAMS_RAMDISK_IMAGE), r->initrd_gpa);
		bad |= gmem_write32(g, gpa(BOOT_PARAMS_RAMDISK_SIZE), r->initrd_len);
	}
	bad |= gmem_write(g, gpa(LGUEST_CMDLINE_ADDR), cmdline,
			  (uint32_t)cmdline_len + 1);
	return bad;
}

/* The descriptors: option devices in order, then the console. */
static int write_devices(const struct gmem *g, const struct loader_device *d,
			 unsigned ndevs, const struct loader_result *r)
{
	int bad = 0;

	for (unsigned i = 0; i <= ndevs; i++) {
		uint32_t at = r->device_page + i * LGUEST_DEVICE_DESC_SIZEOF;
		bool con = i == ndevs;

		bad |= gmem_write16(g, gpa(at + 0), con ? LGUEST_DEVICE_T_CONSOLE
						   : d[i].type);
		bad |= gmem_write16(g, gpa(at + 2), con ? 0 : d[i].features);
		bad |= gmem_write16(g, gpa(at + 6), con ? 0 : d[i].num_pages);
		bad |= gmem_write32(g, gpa(at + 8), r->device_pfn[i]);
	}
	return bad;
}

size_t loader_memory_needed(uint32_t mem_bytes,
			    const struct loader_device *devs, unsigned ndevs)
{
	uint64_t total = (uint64_t)mem_bytes + PAGE;

	for (unsigned i = 0; i < ndevs; i++)
		total += (uint64_t)devs[i].num_pages * PAGE;
	if (total > 0x100000000ull || total > SIZE_MAX)
		return 0;
	return (size_t)total;
}

int loader_build(struct gmem *g, const uint8_t *image, size_t image_len,
		 const uint8_t *initrd, size_t initrd_len, const char *cmdline,
		 const struct loader_device *devs, unsigned ndevs,
		 struct loader_result *out, char *err, size_t errlen)
{
	const uint32_t mem = g->ram_bytes;
	struct elf32_image img;
	struct elf32_span k;
	size_t clen;
	uint32_t sig;

	memset(out, 0, sizeof(*out));
	cmdline = cmdline ? cmdline : "";
	if (mem == 0 || mem % PAGE)
		return errmsg(err, errlen, "loader: memory size 0x%x is not a "
			      "positive multiple of 4096", (unsigned)mem);
	clen = cmdline_length(cmdline);
	if (clen >= COMMAND_LINE_SIZE)
		return errmsg(err, errlen, "loader: command line is %u bytes or "
			      "more, max %u", (unsigned)clen,
			      (unsigned)COMMAND_LINE_SIZE - 1);
	if (layout_devices(mem, devs, ndevs, out, err, errlen) ||
	    elf32_check_header(image, image_len, &img, err, errlen) ||
	    elf32_check_loads(&img, mem, LOADER_LOW_RESERVED, &k, err,
			      errlen) ||
	    check_page_offset(k.page_offset, err, errlen) ||
	    layout_top(mem, &k, initrd != NULL, initrd_len, out, err, errlen))
		return -1;
	out->page_offset = k.page_offset;
	out->kernel_start = k.lo;
	out->kernel_end = k.end;

	g->pfnlimit = out->pfnlimit;
	if (write_segments(g, &img))
		return errmsg(err, errlen, "loader: internal: segment write "
			      "outside guest memory");
	if (find_signature(g, k.lo, k.file_end, &sig))
		return errmsg(err, errlen, "ELF: no \"%s\" signature in the "
			      "loaded bytes [0x%x, 0x%x)",
			      LGUEST_ENTRY_SIGNATURE, (unsigned)k.lo,
			      (unsigned)k.file_end);
	out->entry = sig + LGUEST_ENTRY_SIGNATURE_LEN + k.page_offset;
	if ((initrd && gmem_write(g, gpa(out->initrd_gpa), initrd,
				  (uint32_t)initrd_len)) ||
	    write_page_tables(g, out) ||
	    write_boot_params(g, mem, initrd != NULL, out, cmdline, clen) ||
	    write_devices(g, devs, ndevs, out))
		return errmsg(err, errlen, "loader: internal: boot data write "
			      "outside guest memory");
	return 0;
}
