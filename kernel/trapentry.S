/*
 * kernel/trapentry.S: how traps and interrupts enter and leave the guest,
 * and how the kernel enters and leaves user mode (ring 3).
 *
 * The host delivers a trap or a virtual interrupt by building the frame a
 * CPU would (EFLAGS, CS, EIP, and an error code for some exceptions; spec
 * §4.4) and jumping to the gate we installed (kernel/trap.c); for the few
 * trap gates it lets the CPU use directly (the system call among them,
 * spec §4.5) the CPU does the same with no host in between. From ring 1
 * the frame goes on our current stack; from ring 3 it goes on the stack we
 * named with SET_STACK, above the user's ESP and SS. Each of the 64
 * vectors gets a small stub, generated below with .rept, and 0x80 one of
 * its own; the stub makes the frame uniform: it pushes a dummy error code
 * where neither the CPU nor the host pushed one, then the vector number.
 * The common code saves the general and data segment registers, loads the
 * kernel's data segment (the user's may be anything), and calls
 * trap_dispatch() with a pointer to the whole thing (struct trap_frame in
 * kernel/trap.h).
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
 * %fs and %gs are saved and restored but not reloaded: the kernel never
 * uses them, and they hold the user's TLS selectors (spec §4.8).
 */
#include <lguest/lguest.h>

#include "trap.h"
#include "user.h"

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

/* The system call's stub: int $0x80 pushes no error code. */
	.balign	TRAP_STUB_SIZE
	.globl	trap_stub_syscall
trap_stub_syscall:
	pushl	$0
	pushl	$SYSCALL_VECTOR
	jmp	trap_common

/* Save the registers, call C, restore, return. */
trap_common:
	pushal				/* eax ecx edx ebx esp ebp esi edi */
	pushl	%ds
	pushl	%es
	pushl	%fs
	pushl	%gs
	movl	$LGUEST_KERNEL_DS, %eax	/* the user's %ds may be anything */
	movl	%eax, %ds
	movl	%eax, %es
	cld				/* C expects DF clear */
	pushl	%esp			/* argument: struct trap_frame * */
	call	trap_dispatch
	addl	$4, %esp
trap_return:
	popl	%gs
	popl	%fs
	popl	%es
	popl	%ds
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

/*G:210 Into ring 3. There is no special instruction for it: we build the
 * frame a trap from ring 3 would have left -- the user's general registers
 * for popal, then EIP, CS 0x73, EFLAGS, ESP and SS 0x7B for iret -- and
 * leave through the same door as every trap, lguest_iret, which also sets
 * irq_enabled from the EFLAGS image. Before that we note where the kernel
 * was (the callee-saved registers and the stack pointer, in *ctx), so
 * that user_return() can come back here as if user_enter() had returned.
 * Meanwhile every trap from ring 3 arrives on the SET_STACK stack, not on
 * this one.
 *
 *   int user_enter(struct user_context *ctx, const struct user_regs *regs)
 * :*/
	.globl	user_enter
user_enter:
	movl	4(%esp), %eax		/* ctx */
	movl	%ebx, USER_CTX_EBX(%eax)
	movl	%esi, USER_CTX_ESI(%eax)
	movl	%edi, USER_CTX_EDI(%eax)
	movl	%ebp, USER_CTX_EBP(%eax)
	movl	%esp, USER_CTX_ESP(%eax)	/* points at our return address */
	movl	8(%esp), %esi		/* regs */
	subl	$USER_REGS_SIZE, %esp
	movl	%esp, %edi
	movl	$(USER_REGS_SIZE / 4), %ecx
	cld
	rep movsl			/* the frame: pushal image, then iret */
	movl	$LGUEST_USER_DS, %eax	/* user data segments; no TLS yet */
	movl	%eax, %ds
	movl	%eax, %es
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	popal
	jmp	lguest_iret
/*:*/

/*G:220 And back. A system call (exit) or a fatal fault in user code gets
 * here on the SET_STACK stack, which it simply abandons: we reload the
 * kernel's data segments and the registers user_enter() saved, and return
 * `code` from user_enter().
 *
 *   void user_return(const struct user_context *ctx, int code)
 * :*/
	.globl	user_return
user_return:
	movl	4(%esp), %edx		/* ctx */
	movl	8(%esp), %eax		/* code: user_enter()'s return value */
	movl	$LGUEST_KERNEL_DS, %ecx
	movl	%ecx, %ds
	movl	%ecx, %es
	xorl	%ecx, %ecx		/* no user TLS selector in the kernel */
	movl	%ecx, %fs
	movl	%ecx, %gs
	movl	USER_CTX_EBX(%edx), %ebx
	movl	USER_CTX_ESI(%edx), %esi
	movl	USER_CTX_EDI(%edx), %edi
	movl	USER_CTX_EBP(%edx), %ebp
	movl	USER_CTX_ESP(%edx), %esp
	ret
/*:*/
