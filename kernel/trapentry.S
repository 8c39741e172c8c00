/*
 * kernel/trapentry.S: how traps and interrupts enter and leave the guest.
 *
 * The host delivers a trap or a virtual interrupt by building the frame a
 * CPU would (EFLAGS, CS, EIP, and an error code for some exceptions; spec
 * §4.4) on our current stack -- we never leave ring 1, so there is no stack
 * switch -- and jumping to the gate we installed (kernel/trap.c). Each of
 * the 64 vectors gets a small stub, generated below with .rept, that makes
 * the frame uniform: it pushes a dummy error code where neither the CPU
 * nor the host pushed one, then the vector number. The common code saves
 * the general registers and calls trap_dispatch() with a pointer to the
 * whole thing (struct trap_frame in kernel/trap.h).
 *
 * The way out is the interesting part. At ring 1 "iret" cannot change the
 * real IF, and our interrupt flag is lguest_data.irq_enabled anyway, so
 * we must restore it by hand from the saved EFLAGS before the iret. Once
 * it is back on, the host could inject the next interrupt before the iret
 * has unwound this one, and the stack would grow without bound. So the
 * store and the iret sit inside the "no interrupt" window whose bounds we
 * gave the host at LGUEST_INIT (lguest_noirq_start/end): it never injects
 * while our EIP is in there (spec §4.6).
 *
 * Segment registers are not saved: nothing in the guest ever loads
 * anything but the kernel selectors the host started us with.
 */
#include <lguest/lguest.h>

#include "trap.h"

	.text

/*G:080 The stubs: one per vector, each at trap_stubs + 16 * vector, so
 * trap_init() can compute the gate addresses. Exceptions 8, 10-14 and 17
 * arrive with an error code on the stack; for the rest we push a 0 so the
 * frame always looks the same. :*/
	.balign	TRAP_STUB_SIZE
	.globl	trap_stubs
trap_stubs:
	.set	vector, 0
	.rept	TRAP_NR_VECTORS
	/* Virtual IRQs (>= 32) never carry an error code. */
	.if (vector >= 32) || (((LGUEST_ERRCODE_VECTORS >> vector) & 1) == 0)
	pushl	$0			/* dummy error code */
	.endif
	pushl	$vector
	jmp	trap_common
	/* Pad to the next slot with int3; a stub too big for its slot makes
	 * this .org move backwards, which the assembler refuses. */
	.org	trap_stubs + (vector + 1) * TRAP_STUB_SIZE, 0xCC
	.set	vector, vector + 1
	.endr
/*:*/

/* Save the general registers, call C, restore, return. */
trap_common:
	pushal				/* eax ecx edx ebx esp ebp esi edi */
	cld				/* C expects DF clear */
	pushl	%esp			/* argument: struct trap_frame * */
	call	trap_dispatch
	addl	$4, %esp
	popal
	addl	$8, %esp		/* drop vector and error code */
	/* fall through into the iret replacement */

/*G:090 The end of every interrupt: our replacement for "iret". We take the
 * interrupt flag from the EFLAGS image in the frame, keep only bit 9 (0 or
 * 0x200: the 2.6.23 host would read any other non-zero value as "on"), and
 * store it into irq_enabled. That store, and everything up to the iret
 * itself, lies in the window the host promises not to interrupt, so a
 * pending interrupt waits until we are back where we came from. The %ss
 * override keeps the store safe even if %ds were not the kernel's. :*/
	.globl	lguest_iret
lguest_iret:
	pushl	%eax
	movl	12(%esp), %eax		/* saved EFLAGS: above eax, eip, cs */
	andl	$LGUEST_IRQ_ENABLED_ON, %eax	/* bit 9 only */
	.globl	lguest_noirq_start
lguest_noirq_start:
	movl	%eax, %ss:lguest_data + LGUEST_DATA_IRQ_ENABLED
	popl	%eax
	iret
	.globl	lguest_noirq_end
lguest_noirq_end:
/*:*/
