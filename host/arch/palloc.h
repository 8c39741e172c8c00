/*
 * host/arch/palloc.h: host physical memory. The host's page tables map physical
 * memory one-to-one, so a host physical address is also a pointer.
 */
#ifndef LGREF_HOST_PALLOC_H
#define LGREF_HOST_PALLOC_H

#include <multiboot.h>
#include <stddef.h>
#include <stdint.h>

/* Take the usable RAM from the multiboot map, above the host image and
 * every module (guest images stay where the loader put them). */
void palloc_init(const multiboot_info_t *mbi);

/* One zeroed 4 KiB page, or NULL when memory is exhausted. */
void *palloc_page(void);
void palloc_free_page(void *page);

/* A zeroed, page-aligned, physically contiguous run of pages, or NULL. */
void *palloc_contiguous(size_t bytes);

/* The same, not zeroed: it may hold anything its last owner (a guest,
 * the boot loader, the firmware) left. For guest memory only, which is
 * zeroed a page at a time on first use (struct gmem's `scrubbed`,
 * docs/host-design.md "Boot"). */
void *palloc_contiguous_unzeroed(size_t bytes);

/* Give back a run from palloc_contiguous() or palloc_contiguous_unzeroed()
 * (the same bytes). */
void palloc_free_contiguous(void *p, size_t bytes);

/* Pages still free (for diagnostics). */
size_t palloc_free_pages(void);

/* Walk the list of free single pages: 0 if every entry is a page this
 * allocator handed out and there are as many as were given back; else
 * -1 with err (a page was written after it was freed). Diagnostics. */
int palloc_check_free_list(char *err, size_t errlen);

#endif
