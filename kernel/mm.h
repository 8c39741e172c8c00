/*
 * kernel/mm.h: the guest's address spaces. Guest-physical addresses (what
 * the host and the launcher understand, spec §0) get their own type, gpa_t,
 * so they cannot be mixed up with pointers. All RAM we use is mapped at
 * PAGE_OFFSET + gpa (the "linear map"), which is also what the host assumes
 * for our stacks (spec §4.4, §5.4); virt_to_gpa() insists on it.
 */
#ifndef LGREF_KERNEL_MM_H
#define LGREF_KERNEL_MM_H

#include <stdint.h>

#include "layout.h"

/* A guest-physical address. */
typedef struct {
	uint32_t val;
} gpa_t;

static inline gpa_t gpa(uint32_t val)
{
	return (gpa_t){val};
}

static inline uint32_t gpa_val(gpa_t a)
{
	return a.val;
}

/* Kernel bug: a pointer outside the linear map reached virt_to_gpa(). */
__attribute__((noreturn)) void mm_bad_virt(const volatile void *p);

/* The gpa of a linear-map object (kernel image, stack, heap, pages). */
static inline gpa_t virt_to_gpa(const volatile void *p)
{
	uint32_t v = (uint32_t)(uintptr_t)p;

	if (v < PAGE_OFFSET || v - PAGE_OFFSET >= VM_RAM_MAX)
		mm_bad_virt(p);
	return gpa(v - PAGE_OFFSET);
}

/* The linear-map address of RAM at `a` (a < VM_RAM_MAX). */
static inline void *gpa_to_virt(gpa_t a)
{
	return (void *)(uintptr_t)(a.val + PAGE_OFFSET);
}

static inline uint32_t mm_page_up(uint32_t x)
{
	return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static inline uint32_t mm_page_down(uint32_t x)
{
	return x & ~(PAGE_SIZE - 1);
}

/* Linker symbols (linker.ld): the image, BSS and the boot stack. */
extern char _kernel_start[], _edata[], _end[];
extern char __bss_start[], __bss_end[];
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

#endif
