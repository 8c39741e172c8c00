/*
 * host/arch/palloc.c: a deliberately simple physical allocator over the
 * largest free region of RAM. Single pages (page tables, switcher pages)
 * come from a free list, refilled from the bottom of the region. Guest
 * memory is one contiguous run per guest, taken first-fit from a short
 * table of free runs, highest first, and given back (merged with its
 * neighbours) when the guest is gone; the region's top, still unclaimed,
 * is the first run. So a guest that fails to start, or stops, leaves the
 * free-page count where it was.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arch/log.h"
#include "arch/palloc.h"

#define PAGE 4096u

extern char _host_end[];

static uint32_t region_low, region_high; /* [low, high) still unclaimed */
static uint32_t region_base;	/* region_low at start: single pages lie
				 * in [region_base, region_low) */
static void *free_list;
static size_t free_pages;

/* Runs given back by palloc_free_contiguous(), not yet merged into the
 * unclaimed region; sorted by address, none touching another. */
#define FREE_RUNS 32
static struct run {
	uint32_t start, end;
} runs[FREE_RUNS];
static unsigned nruns;

/*
 * Zero whole pages, writing only those that are not zero already. Memory
 * never given out before may hold whatever a boot loader or the BIOS left
 * there, but most of it is untouched. Reading is cheap under QEMU's TCG,
 * while the first write to each page is dear (QEMU tracks dirty pages), so
 * checking first makes a 64 MiB guest start in tens of milliseconds rather
 * than a quarter of a second. The loops are plain 32-bit accesses: GCC
 * must not turn the store loop into newlib's `rep stosl` memset, which
 * TCG runs one element at a time.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static void zero_pages(void *p, size_t bytes)
{
	for (uint32_t *w = p, *end = w + bytes / 4; w < end; w += PAGE / 4) {
		uint32_t any = 0;
		for (unsigned i = 0; i < PAGE / 4; i += 8)
			any |= w[i] | w[i + 1] | w[i + 2] | w[i + 3] |
			       w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7];
		if (!any)
			continue;
		for (unsigned i = 0; i < PAGE / 4; i++)
			w[i] = 0;
	}
}

static uint32_t align_up(uint32_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

/* Raise *floor above [addr, addr + len). */
static void keep(uint32_t *floor, uint32_t addr, uint32_t len)
{
	if (addr + len > *floor)
		*floor = align_up(addr + len);
}

static uint32_t string_bytes(uint32_t addr)
{
	return addr ? (uint32_t)strlen((const char *)(uintptr_t)addr) + 1 : 0;
}

/* Everything the boot loader handed over stays untouched: the modules,
 * their strings, and the multiboot structures themselves (QEMU puts the
 * information block, the module list and the host's own command line just
 * above the last module, where the first palloc_page() would land). */
void palloc_init(const multiboot_info_t *mbi)
{
	uint32_t floor = align_up((uint32_t)(uintptr_t)_host_end);

	keep(&floor, (uint32_t)(uintptr_t)mbi, sizeof(*mbi));
	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		keep(&floor, mbi->cmdline, string_bytes(mbi->cmdline));
	if (mbi->flags & MULTIBOOT_INFO_BOOT_LOADER_NAME)
		keep(&floor, mbi->boot_loader_name,
		     string_bytes(mbi->boot_loader_name));
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP)
		keep(&floor, mbi->mmap_addr, mbi->mmap_length);
	if (mbi->flags & MULTIBOOT_INFO_MODS) {
		const multiboot_module_t *mods =
			(const void *)(uintptr_t)mbi->mods_addr;
		keep(&floor, mbi->mods_addr,
		     mbi->mods_count * (uint32_t)sizeof(*mods));
		for (uint32_t i = 0; i < mbi->mods_count; i++) {
			keep(&floor, mods[i].mod_start,
			     mods[i].mod_end - mods[i].mod_start);
			keep(&floor, mods[i].cmdline,
			     string_bytes(mods[i].cmdline));
		}
	}
	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP))
		HOST_PANIC("no memory map from the boot loader");
	for (uint32_t off = 0; off + 4 <= mbi->mmap_length;) {
		const multiboot_memory_map_t *e =
			(const void *)(uintptr_t)(mbi->mmap_addr + off);
		off += e->size + sizeof(e->size);
		if (e->type != MULTIBOOT_MEMORY_AVAILABLE || e->addr >> 32)
			continue;
		uint64_t end64 = e->addr + e->len;
		uint32_t end = end64 > 0xFF000000u ? 0xFF000000u : (uint32_t)end64;
		uint32_t start = (uint32_t)e->addr < floor ? floor : (uint32_t)e->addr;
		start = align_up(start);
		end &= ~(PAGE - 1);
		if (end > start && end - start > region_high - region_low) {
			region_low = start;
			region_high = end;
		}
	}
	if (region_high <= region_low)
		HOST_PANIC("no usable memory above the host and its modules");
	region_base = region_low;
}

void *palloc_page(void)
{
	void *page = free_list;

	if (page) {
		free_list = *(void **)page;
		free_pages--;
	} else if (region_high - region_low >= PAGE) {
		page = (void *)(uintptr_t)region_low;
		region_low += PAGE;
	} else {
		return NULL;
	}
	zero_pages(page, PAGE);
	return page;
}

void palloc_free_page(void *page)
{
	*(void **)page = free_list;
	free_list = page;
	free_pages++;
}

static void *take_contiguous(size_t bytes, bool zero)
{
	uint32_t size = align_up((uint32_t)bytes);

	if (bytes == 0 || bytes > 0xFFFFF000u)
		return NULL;
	/* A free run first (the highest that fits), then the region. */
	for (unsigned i = nruns; i-- > 0;) {
		if (runs[i].end - runs[i].start < size)
			continue;
		runs[i].end -= size;
		void *p = (void *)(uintptr_t)runs[i].end;
		if (runs[i].end == runs[i].start) {
			memmove(&runs[i], &runs[i + 1],
				(nruns - i - 1) * sizeof(runs[0]));
			nruns--;
		}
		if (zero)
			zero_pages(p, size);
		return p;
	}
	if (size > region_high - region_low)
		return NULL;
	region_high -= size;
	void *p = (void *)(uintptr_t)region_high;
	if (zero)
		zero_pages(p, size);
	return p;
}

void *palloc_contiguous(size_t bytes)
{
	return take_contiguous(bytes, true);
}

void *palloc_contiguous_unzeroed(size_t bytes)
{
	return take_contiguous(bytes, false);
}

void palloc_free_contiguous(void *p, size_t bytes)
{
	uint32_t start = (uint32_t)(uintptr_t)p;
	uint32_t end = start + align_up((uint32_t)bytes);
	unsigned i = 0;

	if (!p || bytes == 0)
		return;
	HOST_ASSERT(start >= region_high && start % PAGE == 0);
	while (i < nruns && runs[i].end < start)
		i++;
	if (i < nruns && runs[i].end == start) {		/* after run i */
		runs[i].end = end;
		if (i + 1 < nruns && runs[i + 1].start == end) {
			runs[i].end = runs[i + 1].end;
			memmove(&runs[i + 1], &runs[i + 2],
				(nruns - i - 2) * sizeof(runs[0]));
			nruns--;
		}
	} else if (i < nruns && runs[i].start == end) {	/* before run i */
		runs[i].start = start;
	} else {
		if (nruns == FREE_RUNS)
			return;	/* lost to reuse, never to corruption */
		memmove(&runs[i + 1], &runs[i], (nruns - i) * sizeof(runs[0]));
		runs[i].start = start;
		runs[i].end = end;
		nruns++;
	}
	/* The lowest run may now touch the unclaimed region below it. */
	if (nruns && runs[0].start == region_high) {
		region_high = runs[0].end;
		memmove(&runs[0], &runs[1], (nruns - 1) * sizeof(runs[0]));
		nruns--;
	}
}

size_t palloc_free_pages(void)
{
	size_t n = free_pages + (region_high - region_low) / PAGE;

	for (unsigned i = 0; i < nruns; i++)
		n += (runs[i].end - runs[i].start) / PAGE;
	return n;
}

int palloc_check_free_list(char *err, size_t errlen)
{
	size_t n = 0;

	for (void *p = free_list; p; p = *(void **)p) {
		uint32_t a = (uint32_t)(uintptr_t)p;
		if (a % PAGE || a < region_base || a >= region_low) {
			snprintf(err, errlen, "entry %lu is %#lx, not a page "
				 "of the allocator's", (unsigned long)n,
				 (unsigned long)a);
			return -1;
		}
		if (++n > free_pages)
			break;
	}
	if (n != free_pages) {
		snprintf(err, errlen, "%s%lu entries where %lu pages were "
			 "given back", n > free_pages ? "more than " : "",
			 (unsigned long)n, (unsigned long)free_pages);
		return -1;
	}
	return 0;
}
