/*
 * kernel/heap.c: one contiguous run of pages for newlib's heap, taken from
 * the page allocator at boot: half of what is free, at most 16 MiB. The
 * break itself is lib/syscalls.c's business; this file only says where
 * the region is (heap_region(), declared for lib/ in lib/kapi.h).
 */
#include <stddef.h>

#include "../lib/kapi.h"
#include "heap.h"
#include "palloc.h"
#include "trap.h"

#define HEAP_MAX_PAGES (16u * 1024 * 1024 / PAGE_SIZE)
#define HEAP_MIN_PAGES 16u

static char *heap_start, *heap_end;

void heap_init(void)
{
	size_t pages = palloc_free_count() / 2;

	if (pages > HEAP_MAX_PAGES)
		pages = HEAP_MAX_PAGES;
	for (; pages >= HEAP_MIN_PAGES; pages /= 2) {
		heap_start = palloc_pages(pages);
		if (heap_start) {
			heap_end = heap_start + pages * PAGE_SIZE;
			return;
		}
	}
	panic("heap: no %u contiguous free pages", HEAP_MIN_PAGES);
}

void heap_region(void **start, void **end)
{
	*start = heap_start;
	*end = heap_end;
}
