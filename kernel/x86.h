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

#include "layout.h" /* PAGE_SIZE, PAGE_SHIFT */

#define X86_STR2(x) #x
#define X86_STR(x) X86_STR2(x)

/* Page-table entries (i386, two-level, no PAE; spec §5.1). Pages are
 * layout.h's PAGE_SIZE. */
#define X86_PTES_PER_PAGE (PAGE_SIZE / 4u) /* 32-bit entries in a table */
#define X86_PDE_SHIFT (PAGE_SHIFT + 10)    /* one directory entry maps 4 MiB */
#define X86_PTE_PRESENT 0x001u
#define X86_PTE_RW 0x002u
#define X86_PTE_USER 0x004u
#define X86_PTE_ACCESSED 0x020u
#define X86_PTE_DIRTY 0x040u
#define X86_PTE_FRAME_MASK (~(uint32_t)(PAGE_SIZE - 1))

#define X86_EFLAGS_IF 0x200u     /* the bit irq_enabled mirrors */
#define X86_EFLAGS_FIXED 0x002u  /* bit 1 is always set */

/* Page-fault error code bits (spec §4.5). */
#define X86_PF_PROT 0x1u  /* 0: not present (in the host's shadow!) */
#define X86_PF_WRITE 0x2u /* the access was a write */
#define X86_PF_USER 0x4u  /* the access came from ring 3 */

/*
 * Segment descriptors (high words) for flat 4 GiB user segments, DPL 3:
 * GDT entries 14 and 15, selectors LGUEST_USER_CS (0x73) and
 * LGUEST_USER_DS (0x7B), as Linux lays them out (spec §4.8).
 */
#define X86_GDT_USER_CS_HI 0x00CFFA00u /* P, DPL 3, code exec/read, 4K, 32-bit */
#define X86_GDT_USER_DS_HI 0x00CFF200u /* P, DPL 3, data read/write */
#define X86_SEG_DATA_RW 0x2u           /* descriptor type: data, read/write */
#define X86_SEG_PRESENT 0x80u          /* access byte: present */
#define X86_SEG_S 0x10u                /* access byte: code/data, not system */
#define X86_SEG_FLAGS_4K_32 0xCu       /* G (4 KiB units) and D/B (32-bit) */

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
 * A data segment descriptor: `base`, a limit of `limit_pages` 4 KiB pages
 * minus one (0xFFFFF: all 4 GiB), read/write, privilege `dpl`. This is
 * what Linux's set_thread_area() builds for TLS entries 6-8.
 */
static inline struct x86_desc x86_data_segment(uint32_t base,
					       uint32_t limit_pages,
					       uint32_t dpl)
{
	uint32_t access = X86_SEG_PRESENT | (dpl << 5) | X86_SEG_S |
			  X86_SEG_DATA_RW;
	struct x86_desc d;

	d.lo = (base << 16) | (limit_pages & 0xFFFFu);
	d.hi = ((base >> 16) & 0xFFu) | (access << 8) |
	       (limit_pages & 0xF0000u) | (X86_SEG_FLAGS_4K_32 << 20) |
	       (base & 0xFF000000u);
	return d;
}

/*
 * Segment registers %fs and %gs. The kernel never uses them, but user code
 * loads TLS selectors into them, and a selector left in one when its GDT
 * entry changes makes the host's reload fail (spec §4.8): clear them first.
 */
static inline void x86_set_fs(uint32_t sel)
{
	__asm__ volatile("movl %0, %%fs" : : "r"(sel));
}

static inline void x86_set_gs(uint32_t sel)
{
	__asm__ volatile("movl %0, %%gs" : : "r"(sel));
}

static inline uint32_t x86_get_gs(void)
{
	uint32_t sel;

	__asm__ volatile("movl %%gs, %0" : "=r"(sel));
	return sel & 0xFFFFu;
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
