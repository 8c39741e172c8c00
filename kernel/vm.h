/*
 * kernel/vm.h: the guest's own page tables (spec §5). One page directory,
 * built at start-up: RAM at PAGE_OFFSET + gpa, and a window above it for
 * device pages.
 */
#ifndef LGREF_KERNEL_VM_H
#define LGREF_KERNEL_VM_H

#include <stddef.h>

#include "mm.h"

/*
 * Set up the page allocator from the boot parameters, build our page
 * directory, switch to it (LHCALL_NEW_PGTABLE) and give the launcher's
 * page tables back to the allocator. Panics if RAM is too small.
 */
void vm_init(void);

/*
 * Map `pages` pages of guest-physical memory from `start` (device pages,
 * above RAM) and return their virtual address. The host learns of the
 * new entries through the async ring. Panics when the window is full.
 */
void *vm_map_io(gpa_t start, size_t pages);

/* The gpa of our page directory (LHCALL_SET_PTE's first argument). */
gpa_t vm_pgdir(void);

/* Bytes of RAM the linear map covers: min(e820 size, VM_RAM_MAX). */
uint32_t vm_ram_bytes(void);

#endif
