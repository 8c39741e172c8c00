/*
 * kernel/palloc.h: the physical page allocator. It hands out 4 KiB pages
 * of guest RAM below VM_RAM_MAX as linear-map pointers.
 */
#ifndef LGREF_KERNEL_PALLOC_H
#define LGREF_KERNEL_PALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "mm.h"

/* Start with every page of [0, ram_end) in use; free what is usable. */
void palloc_init(uint32_t ram_end);

/* Give the pages wholly inside [start, end) to the allocator. */
void palloc_free_range(gpa_t start, gpa_t end);

/*
 * `count` contiguous pages, lowest address first, NOT zeroed (fresh RAM
 * from the launcher is zero, recycled pages are not). NULL if none.
 */
void *palloc_pages(size_t count);

/* One zeroed page, or NULL. */
void *palloc_page_zeroed(void);

/* Return one page. */
void palloc_free_page(void *page);

/* Pages currently free. */
size_t palloc_free_count(void);

#endif
