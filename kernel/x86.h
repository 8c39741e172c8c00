/*
 * kernel/x86.h: the guest's only inline assembly, as tiny static inline
 * wrappers (xv6 style), plus the hardware-defined layouts the guest builds
 * for the host: descriptors, gates and page-table entries.
 *
 * The guest runs at ring 1 with IOPL 0, so almost nothing privileged is
 * here: no cli/sti/hlt, no port I/O, no control registers (docs: spec
 * §4.6, §12). Interrupt masking is plain C on lguest_data (kernel/irq.h).
 * x86_hypercall() holds the one `int $0x1F`; only kernel/hcall.c may call
 * it, so the instruction appears once in the image.
 */
#ifndef LGREF_KERNEL_X86_H
#define LGREF_KERNEL_X86_H

#include <stdint.h>

#include <lguest/lguest.h>

#define X86_STR2(x) #x
#define X86_STR(x) X86_STR2(x)

/* Page-table entries (i386, two-level, no PAE; spec §5.1). */
#define X86_PAGE_SIZE 4096u
#define X86_PAGE_SHIFT 12
#define X86_PTES_PER_PAGE 1024u
#define X86_PDE_SHIFT 22         /* one directory entry maps 4 MiB */
#define X86_PTE_PRESENT 0x001u
#define X86_PTE_RW 0x002u
#define X86_PTE_USER 0x004u
#define X86_PTE_ACCESSED 0x020u
#define X86_PTE_DIRTY 0x040u
#define X86_PTE_FRAME_MASK 0xFFFFF000u

#define X86_EFLAGS_IF 0x200u     /* the bit irq_enabled mirrors */

/* A segment descriptor or gate: the two 32-bit words the host takes. */
struct x86_desc {
	uint32_t lo;
	uint32_t hi;
};
_Static_assert(sizeof(struct x86_desc) == 8, "x86 descriptor");

/*
 * An i386 gate to a ring-1 handler at `offset` (spec §4.7): selector in
 * the low word's top half, offset split across both words, and in the high
 * word the present bit, the DPL and the type (0xE interrupt, 0xF trap).
 */
static inline struct x86_desc x86_gate(uint32_t offset, uint32_t type,
				       uint32_t dpl)
{
	struct x86_desc g;

	g.lo = ((uint32_t)LGUEST_KERNEL_CS << 16) | (offset & 0xFFFFu);
	g.hi = (offset & 0xFFFF0000u) | LGUEST_IDT_PRESENT | (dpl << 13) |
	       ((type & LGUEST_IDT_TYPE_MASK) << LGUEST_IDT_TYPE_SHIFT);
	return g;
}

/*
 * The hypercall instruction (spec §3.1): %eax = call, %edx/%ebx/%ecx =
 * arguments. Only BIND_DMA writes %eax; for every other call it comes
 * back unchanged, so callers must not read meaning into it. "memory":
 * the host reads and writes guest memory (lguest_data, DMA buffers).
 */
static inline uint32_t x86_hypercall(uint32_t call, uint32_t arg1,
				     uint32_t arg2, uint32_t arg3)
{
	__asm__ volatile("int $" X86_STR(LGUEST_TRAP_ENTRY)
			 : "+a"(call)
			 : "d"(arg1), "b"(arg2), "c"(arg3)
			 : "memory");
	return call;
}

/* Time-stamp counter; only meaningful when the host gave tsc_khz != 0. */
static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * Ordering against the host. The host only touches our memory while we are
 * stopped (at a hypercall, trap or interrupt), and x86 keeps stores in
 * order, so a compiler barrier is all a "write barrier" needs to be here.
 */
static inline void x86_barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

#endif
