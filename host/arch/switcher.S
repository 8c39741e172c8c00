/*
 * host/arch/switcher.S: the world switch between the host (ring 0) and a guest
 * (ring 1, its user code at ring 3).
 *
 * The code in the .switcher section runs at 0xFFC00000, the Switcher
 * region that exists in the host's address space and in every shadow page
 * directory of the guest (host/arch/switcher.h has the layout). Only code that
 * is mapped identically on both sides can load %cr3, so the switch lives
 * here, in two halves:
 *
 *   enter_guest   host -> guest: load the guest's GDT and IDT, put the stack
 *                 on the guest's saved registers, load the guest's shadow
 *                 %cr3, pop the registers and iret into ring 1 or 3.
 *   trap_common   guest -> host: every trap, interrupt and hypercall the
 *                 guest cannot take directly arrives here through a gate in
 *                 the guest's IDT. The CPU has switched to TSS.esp0, the top
 *                 of the guest's register page, and pushed the trap frame;
 *                 a stub adds the error code and trap number, we push the
 *                 rest, load the host's %cr3, GDT and IDT, and return to the
 *                 C caller of switcher_run() as if from a function call.
 *
 * The code is linked with the host but only ever runs at 0xFFC00000, so it
 * uses relative jumps among its own labels and absolute addresses only for
 * the Switcher region and for host variables (used after the %cr3 switch).
 */
#include <lguest/lguest.h>
#include "arch/switcher.h"

/* build/host-prof.elf only: the low half of the TSC into a stamp slot of
 * the register page (EXIT_STAMP_* in host/arch/switcher.h). Clobbers %eax and %edx, which
 * are free at every use. */
#ifdef LGREF_EXIT_PROFILE
#define EXIT_STAMP(slot) rdtsc; movl %eax, %ss:SWITCHER_REGS + (slot)
#else
#define EXIT_STAMP(slot)
#endif

	.section .data.exit_hot, "aw"	/* host/arch/hot.h */
	.align 4
host_saved_esp:
	.long 0

/*S:010 The host's side of the switch: save the callee-saved registers and
 * the stack pointer where trap_common will find them, then jump to the
 * Switcher region's copy of enter_guest. Interrupts are off throughout. :*/
	.section .text.exit_hot, "ax"	/* host/arch/hot.h */
	.globl switcher_run
switcher_run:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	pushfl
	movl %esp, host_saved_esp
	movl $(SWITCHER_CODE + (enter_guest - switcher_start)), %eax
	jmp *%eax

	.section .switcher, "ax"
	.balign 4096
	.globl switcher_start
switcher_start:

/*S:020 Into the guest. The CPU page holds the guest's GDT and IDT images
 * and its shadow %cr3; they are read while the host's %cr3 is still loaded
 * (the page is mapped on both sides anyway). The stack moves to the saved
 * guest registers before %cr3 changes, because the host's stack is not
 * mapped in the guest's address space. :*/
enter_guest:
	EXIT_STAMP(EXIT_STAMP_ENTER)
	lgdt SWITCHER_CPU + CPU_PAGE_GDTR
	lidt SWITCHER_CPU + CPU_PAGE_IDTR
	movl SWITCHER_CPU + CPU_PAGE_GUEST_CR3, %eax
	movl $GUEST_REGS_ADDR, %esp
	movl %eax, %cr3			/* now in the guest's address space */
	EXIT_STAMP(EXIT_STAMP_GUEST_CR3)
	popl %gs			/* a bad selector faults here: trap 256 */
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp			/* trap number and error code */
	iret				/* to ring 1 (or 3), with IF = 1 */

/*S:030 Out of the guest. A trap frame whose %cs has RPL 0 was not pushed by
 * the guest but by a fault in enter_guest (a segment register or iret
 * frame the CPU refused): reset the stack and report trap 256, which kills
 * the guest. Otherwise finish the register image and go home. :*/
trap_common:
	testl $3, 12(%esp)		/* frame's %cs: 0 = fault in the switcher */
	jz fault_entering_guest
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	EXIT_STAMP(EXIT_STAMP_TRAP)
back_to_host:
	/* First our own flat data segment: an interrupt gate leaves the
	 * guest's %ds and %es in place, and a guest (or its user space,
	 * through a TLS entry) can give them any base, which would move the
	 * three loads below to memory of its choosing. Entry 11 is the
	 * host's in every guest's GDT, so this works before lgdt too. */
	movl $LGUEST_SWITCHER_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl SWITCHER_CPU + CPU_PAGE_HOST_CR3, %eax
	movl %eax, %cr3			/* host memory is visible again */
	lgdt host_gdtr
	lidt host_idtr
	/* %ds, %es and %ss need no second load from the host's GDT: their
	 * hidden parts came from entry 11 of the guest's, which is a copy of
	 * the host's (segments.c write_cpu_gdt(): host-owned entries are
	 * never the guest's), and %ss from TSS.ss0, the same entry. Three
	 * descriptor loads fewer on every exit. */
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	EXIT_STAMP(EXIT_STAMP_HOST_CR3)
	movl host_saved_esp, %esp
	popfl
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret				/* from switcher_run() */

fault_entering_guest:
	movl $GUEST_REGS_ADDR, %esp
	movl $TRAP_ENTERING_GUEST, GUEST_REGS_TRAPNUM(%esp)
	jmp back_to_host

/*S:040 The null hypercall needs no host. FLUSH_ASYNC only asks the host
 * to drain the async ring and look for interrupts; when the host said, on
 * the way in, that nothing is pending (CPU_PAGE_FAST_OK) and the ring slot
 * at the host's cursor is still free (the guest's own hcall_status[],
 * mapped read-only at SWITCHER_LGDATA), there is nothing to do and we go
 * straight back. This skips two %cr3 loads, the dearest thing in an exit.
 * Every access uses %ss: the host's flat data segment, whatever the guest
 * left in %ds. :*/
hcall_entry:
	testl %eax, %eax		/* LHCALL_FLUSH_ASYNC? */
	jnz trap_common
	cmpl $0, %ss:SWITCHER_CPU + CPU_PAGE_FAST_OK
	je trap_common
	movl %ss:SWITCHER_CPU + CPU_PAGE_RING_SLOT, %eax
	cmpb $LHCALL_STATUS_FREE, %ss:(%eax)
	movl $LHCALL_FLUSH_ASYNC, %eax	/* EAX keeps the call number */
	jne trap_common
	addl $8, %esp			/* trap number and error code */
	iret

/* One stub per vector: push a zero where the CPU pushes no error code
 * (vectors 8, 10-14 and 17 have one), then the vector number. The
 * hypercall vector goes to hcall_entry first. */
	.altmacro
.macro TRAP_STUB vec
stub_\vec:
	.if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17)
	.else
	pushl $0
	.endif
	pushl $\vec
	.if \vec == LGUEST_TRAP_ENTRY
	jmp hcall_entry
	.else
	jmp trap_common
	.endif
.endm

	.set vec, 0
	.rept SWITCHER_STUBS
	TRAP_STUB %vec
	.set vec, vec + 1
	.endr

	.globl switcher_end
switcher_end:

/* Each stub's offset from switcher_start, for building IDT gates. */
.macro STUB_OFFSET vec
	.long stub_\vec - switcher_start
.endm
	.section .rodata
	.align 4
	.globl switcher_stub_offset
switcher_stub_offset:
	.set vec, 0
	.rept SWITCHER_STUBS
	STUB_OFFSET %vec
	.set vec, vec + 1
	.endr
