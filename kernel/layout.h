/*
 * kernel/layout.h: where the guest lives, as numbers both C and assembly
 * can use. linker.ld repeats PAGE_OFFSET, PAGE_SIZE and the load address
 * (a linker script cannot include this file) and checks its copies
 * against the values boot/entry.S exports from here.
 */
#ifndef LGREF_KERNEL_LAYOUT_H
#define LGREF_KERNEL_LAYOUT_H

#include <lguest/lguest.h>

/* Kernel virtual = guest-physical + PAGE_OFFSET (spec §1.3, §1.4). */
#define PAGE_OFFSET 0xC0000000

/*
 * The guest's one page size: the ABI's (every "page" of the lguest ABI is
 * 4 KiB), which is also the i386 page the CPU and the host's shadow page
 * tables walk. Everything page-sized in the guest is written in these
 * two: x86.h's page-table constants, mm.h's rounding, linker.ld's
 * alignment (checked), DMA sections that must not cross a page.
 */
#define PAGE_SIZE LGUEST_PAGE_SIZE
#define PAGE_SHIFT 12 /* PAGE_SIZE == 1 << PAGE_SHIFT */
#ifndef __ASSEMBLER__
_Static_assert(PAGE_SIZE == 1 << PAGE_SHIFT, "PAGE_SHIFT is log2(PAGE_SIZE)");
#endif

/*
 * The most RAM the linear map covers (896 MiB, as Linux's lowmem). From
 * there up to the Switcher at 0xFFC00000 (spec §5.3) is the window for
 * device pages (kernel/vm.c).
 */
#define VM_RAM_MAX 0x38000000
#define VM_IO_END 0xFFC00000

/* The boot stack: this many pages, with one unmapped guard page below. */
#define BOOT_STACK_PAGES 4

/*
 * SET_STACK pins at most two pages (spec §4.9); we pin the top two. We
 * never run ring 3, so the host only needs it for the rules' sake.
 */
#define BOOT_STACK_PINNED_PAGES 2

#endif
