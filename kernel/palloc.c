/*
 * kernel/palloc.c: a bitmap of guest RAM pages, one bit per page (set =
 * free). Which ranges are usable is decided by kernel/vm.c from the boot
 * parameters; this file only keeps the books. Allocation is first-fit from
 * the bottom, so early page tables land right after the kernel image, far
 * from the launcher's tables at the top of RAM (spec §1.4).
 */
#include <string.h>

#include "palloc.h"
#include "trap.h"

#define PALLOC_MAX_PAGES (VM_RAM_MAX / PAGE_SIZE)
#define PALLOC_WORD_BITS 32u

static uint32_t palloc_bitmap[PALLOC_MAX_PAGES / PALLOC_WORD_BITS];
static uint32_t palloc_npages;   /* pages in [0, ram_end) */
static uint32_t palloc_nfree;
static uint32_t palloc_hint;     /* no free page below this one */

static int palloc_is_free(uint32_t pfn)
{
	return (palloc_bitmap[pfn / PALLOC_WORD_BITS] >>
		(pfn % PALLOC_WORD_BITS)) & 1;
}

static void palloc_set(uint32_t pfn, int is_free)
{
	uint32_t bit = 1u << (pfn % PALLOC_WORD_BITS);

	if (is_free)
		palloc_bitmap[pfn / PALLOC_WORD_BITS] |= bit;
	else
		palloc_bitmap[pfn / PALLOC_WORD_BITS] &= ~bit;
}

void palloc_init(uint32_t ram_end)
{
	memset(palloc_bitmap, 0, sizeof(palloc_bitmap));
	palloc_npages = mm_page_down(ram_end) / PAGE_SIZE;
	if (palloc_npages > PALLOC_MAX_PAGES)
		palloc_npages = PALLOC_MAX_PAGES;
	palloc_nfree = 0;
	palloc_hint = palloc_npages;
}

void palloc_free_range(gpa_t start, gpa_t end)
{
	uint32_t first = mm_page_up(gpa_val(start)) / PAGE_SIZE;
	uint32_t last = mm_page_down(gpa_val(end)) / PAGE_SIZE;

	if (last > palloc_npages)
		last = palloc_npages;
	for (uint32_t pfn = first; pfn < last;) {
		/* A whole word of the bitmap at once where the range covers
		 * it (boot frees all of RAM: a bit at a time was 0.3 ms). */
		if (pfn % PALLOC_WORD_BITS == 0 &&
		    last - pfn >= PALLOC_WORD_BITS) {
			uint32_t *w = &palloc_bitmap[pfn / PALLOC_WORD_BITS];
			if (*w)
				pfn += (uint32_t)__builtin_ctz(*w);
			else {
				*w = ~0u;
				palloc_nfree += PALLOC_WORD_BITS;
				pfn += PALLOC_WORD_BITS;
				continue;
			}
		}
		if (palloc_is_free(pfn))
			panic("palloc: page 0x%lx freed twice",
			      (unsigned long)pfn);
		palloc_set(pfn, 1);
		palloc_nfree++;
		pfn++;
	}
	if (first < palloc_hint)
		palloc_hint = first;
}

void *palloc_pages(size_t count)
{
	uint32_t run = 0;

	if (count == 0 || count > palloc_nfree)
		return NULL;
	for (uint32_t pfn = palloc_hint; pfn < palloc_npages; pfn++) {
		run = palloc_is_free(pfn) ? run + 1 : 0;
		if (run < count)
			continue;
		uint32_t first = pfn + 1 - (uint32_t)count;
		for (uint32_t p = first; p <= pfn; p++)
			palloc_set(p, 0);
		palloc_nfree -= (uint32_t)count;
		if (first == palloc_hint)
			palloc_hint = pfn + 1;
		return gpa_to_virt(gpa(first * PAGE_SIZE));
	}
	return NULL;
}

void *palloc_page_zeroed(void)
{
	void *page = palloc_pages(1);

	if (page)
		memset(page, 0, PAGE_SIZE);
	return page;
}

void palloc_free_page(void *page)
{
	uint32_t addr = gpa_val(virt_to_gpa(page));

	if (addr % PAGE_SIZE)
		panic("palloc: freeing unaligned %p", page);
	palloc_free_range(gpa(addr), gpa(addr + PAGE_SIZE));
}

size_t palloc_free_count(void)
{
	return palloc_nfree;
}
