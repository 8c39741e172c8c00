/*
 * host/arch/switcher.h: the shape of the Switcher region, the top 4 MiB of every
 * address space (docs/abi.md §5.3, docs/host-design.md).
 *
 * Each guest has its own switcher page table, mapped at 0xFFC00000 both in
 * each of its shadow page directories and, while it is the guest being run,
 * in the host's page directory. It maps three things, nothing else:
 *
 *   SWITCHER_CODE   the switcher code pages (read-only, shared by guests)
 *   SWITCHER_REGS   this guest's register page (writable: the ring-0 stack
 *                   the CPU pushes a trap frame on, and the saved registers)
 *   SWITCHER_CPU    this guest's read-only page: the GDT, IDT and TSS the CPU
 *                   uses while the guest runs, and the switch-over values
 *   SWITCHER_LGDATA the (one or two) guest pages holding lguest_data's
 *                   hcall_status[], read-only: the guest's own memory,
 *                   mapped here so the switcher can see the async ring
 *
 * Because these linear addresses are the same for every guest, the TSS is
 * loaded once (ltr) and TSS.esp0 never changes.
 */
#ifndef LGREF_HOST_SWITCHER_H
#define LGREF_HOST_SWITCHER_H

#include <lguest/lguest.h>

#define SWITCHER_CODE_PAGES 2
#define SWITCHER_CODE LGUEST_SWITCHER_ADDR
#define SWITCHER_REGS (SWITCHER_CODE + SWITCHER_CODE_PAGES * 4096)
#define SWITCHER_CPU (SWITCHER_REGS + 4096)
#define SWITCHER_LGDATA (SWITCHER_CPU + 4096)
#define SWITCHER_PAGES (SWITCHER_CODE_PAGES + 4)

/* Offsets inside the read-only CPU page. */
#define CPU_PAGE_GDT 0	     /* 32 descriptors */
#define CPU_PAGE_IDT 256     /* 256 gates */
#define CPU_PAGE_TSS 2304    /* struct x86_tss */
#define CPU_PAGE_GDTR 2432   /* lgdt image of the guest GDT */
#define CPU_PAGE_IDTR 2440   /* lidt image of the guest IDT */
#define CPU_PAGE_GUEST_CR3 2448
#define CPU_PAGE_HOST_CR3 2452
#define CPU_PAGE_FAST_OK 2456	 /* non-zero: FLUSH_ASYNC may skip the host */
#define CPU_PAGE_RING_SLOT 2460	 /* address of hcall_status[host cursor] */

/* The saved guest registers sit at the very top of the register page, so
 * the CPU's trap frame (pushed at TSS.esp0 = page end) completes them. */
#define GUEST_REGS_SIZE 76
#define GUEST_REGS_ADDR (SWITCHER_REGS + 4096 - GUEST_REGS_SIZE)
#define GUEST_REGS_TRAPNUM 48 /* offset of trapnum in struct guest_regs */

/* Vectors with a switcher stub: exceptions 0-31 (31 is the hypercall) and
 * the host's hardware interrupts 32-47. Others have no present gate. */
#define SWITCHER_STUBS 48

/* A fault inside the switcher while entering the guest. */
#define TRAP_ENTERING_GUEST 256

/* build/host-prof.elf only (LGREF_EXIT_PROFILE): the switcher stamps the
 * low half of the TSC into these slots of the register page's first bytes
 * (host/core/exit_hooks.h; the guest could overwrite them, which would
 * only spoil its own profile). */
#define EXIT_STAMP_ENTER 0	/* enter_guest, before lgdt */
#define EXIT_STAMP_GUEST_CR3 4	/* just after the guest's %cr3 is loaded */
#define EXIT_STAMP_TRAP 8	/* trap_common, after the registers are saved */
#define EXIT_STAMP_HOST_CR3 12	/* back on the host's %cr3, GDT and IDT */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "arch/x86.h"

/* Saved guest state, in push order (lowest address first). */
struct guest_regs {
	uint32_t gs, fs, es, ds;			   /* switcher */
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax; /* pusha */
	uint32_t trapnum, errcode;			   /* stub */
	uint32_t eip, cs, eflags, esp, ss;		   /* CPU */
};
_Static_assert(sizeof(struct guest_regs) == GUEST_REGS_SIZE, "switcher.S");
_Static_assert(__builtin_offsetof(struct guest_regs, trapnum) ==
		       GUEST_REGS_TRAPNUM, "switcher.S");

/* switcher.S: enter the guest whose switcher page table is mapped in the
 * host's directory slot 1023; return when it exits. The trap number and
 * registers are then in its register page. */
void switcher_run(void);

/* The switcher code, page-aligned, and each trap stub's offset in it. */
extern const char switcher_start[], switcher_end[];
extern const uint32_t switcher_stub_offset[SWITCHER_STUBS];

/* Host state the switcher restores on the way back (host/arch/cpu.c). */
extern struct x86_dtr host_gdtr, host_idtr;
#endif

#endif
