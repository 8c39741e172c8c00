/*
 * kernel/trap.c: where traps land. A handler registered for the vector
 * gets the first word (kernel/user.c's system calls, a test's page-fault
 * handler); virtual IRQs go on to kernel/irq.c; any other exception takes
 * the one panic path, which prints
 * "PANIC: <trap> (#n) err=... eip=... cr2=..." and the registers, then
 * crashes through the host. Also installs the IDT. The stubs that save
 * registers, and the iret replacement, are in kernel/trapentry.S.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "early_console.h"
#include "hcall.h"
#include "irq.h"
#include "lguest.h"
#include "lguest_data.h"
#include "trap.h"
#include "x86.h"
#include "../lib/hot.h"

static const char *const trap_names[FIRST_EXTERNAL_VECTOR] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FPU error", "alignment check",
	"machine check", "SIMD FP exception", "virtualization exception",
	"control protection", "reserved", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved", "security exception",
	"hypercall",
};

GUEST_HOT_DATA static trap_handler_t trap_handlers[256];

static uint32_t trap_stub(unsigned vector)
{
	if (vector == SYSCALL_VECTOR)
		return (uint32_t)(uintptr_t)trap_stub_syscall;
	return (uint32_t)(uintptr_t)trap_stubs + vector * TRAP_STUB_SIZE;
}

void trap_set_gate(unsigned vector, unsigned type, unsigned dpl)
{
	if (vector >= TRAP_NR_VECTORS && vector != SYSCALL_VECTOR)
		panic("trap: no stub for vector %u", vector);
	struct x86_desc gate = x86_gate(trap_stub(vector), type, dpl);
	hcall(LHCALL_LOAD_IDT_ENTRY, vector, gate.lo, gate.hi);
}

void trap_clear_gate(unsigned vector)
{
	hcall(LHCALL_LOAD_IDT_ENTRY, vector, 0, 0);
}

void trap_set_handler(unsigned vector, trap_handler_t handler)
{
	if (vector < sizeof(trap_handlers) / sizeof(trap_handlers[0]))
		trap_handlers[vector] = handler;
}

/*G:070 The interrupt descriptor table. We can't load one with "lidt" (we
 * are not in ring 0), so we hand the host one gate per hypercall, queued
 * in the async ring so that 64 ride on one exit (a call per exit was 0.6
 * ms of our boot under QEMU; the host runs them in order). Vectors 0-31
 * are CPU exceptions and 32-63 the virtual IRQs; the host ignores 2 (NMI),
 * 8 (double fault), 15 (reserved) and 31 (its own hypercall vector), so we
 * don't bother. Every gate is an interrupt gate (type 0xE): the host then
 * clears irq_enabled as it enters the handler, as the CPU would clear IF.
 * For IRQs that keeps handlers from nesting; for exceptions, it keeps
 * interrupts out of the page-fault path and the panic path. (Trap gates
 * let the CPU deliver some exceptions without a host exit; the system-call
 * gate, kernel/user.c, is one.) :*/
void trap_init(void)
{
	for (uint32_t v = 0; v < TRAP_NR_VECTORS; v++) {
		if (v < 32 && ((LGUEST_IDT_IGNORED_MASK >> v) & 1))
			continue;
		struct x86_desc gate = x86_gate(trap_stub(v),
						LGUEST_IDT_TYPE_INTERRUPT,
						GUEST_PL);
		hcall_async(LHCALL_LOAD_IDT_ENTRY, v, gate.lo, gate.hi);
	}
	hcall_flush();
}
/*:*/

/* The panic path's state. Static: panicking must not allocate. */
static int panic_depth;
static char panic_line[LGUEST_CRASH_MSG_LEN];
static char panic_regs[256];

/* Enter the panic path; a second entry skips straight to the crash. */
static void panic_enter(void)
{
	irq_disable();
	if (panic_depth++ > 0)
		lguest_crash("PANIC: fault in the panic path (kernel stack overflow?)");
}

/* Print the first line and the details, then crash with the first line. */
__attribute__((noreturn)) static void panic_finish(const char *details)
{
	early_console_write(panic_line, strlen(panic_line));
	early_console_write("\n", 1);
	if (details)
		early_console_write(details, strlen(details));
	lguest_crash(panic_line);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	panic_enter();
	int n = snprintf(panic_line, sizeof(panic_line), "PANIC: ");
	va_start(ap, fmt);
	vsnprintf(panic_line + n, sizeof(panic_line) - (size_t)n, fmt, ap);
	va_end(ap);
	panic_finish(NULL);
}

/*G:170 Something went wrong. The host reflected a CPU exception to us
 * (after trying to fix page faults itself from our page tables), and
 * nobody registered to deal with it. So we say what happened, where, and
 * (for page faults) which address, using the cr2 the host left in
 * lguest_data, and then ask the host to end us. A boot test can match the
 * "PANIC:" line. :*/
__attribute__((noreturn)) static void trap_panic(const struct trap_frame *f)
{
	/* From ring 1 there was no stack switch: the old stack is just above
	 * the frame. From ring 3 the CPU (or host) saved it. */
	uint32_t esp = trap_from_user(f) ? f->user_esp
					 : (uint32_t)(uintptr_t)&f->user_esp;
	const char *name = f->vector < FIRST_EXTERNAL_VECTOR
				   ? trap_names[f->vector]
				   : "system call";
	char user_ss[16] = "";

	if (trap_from_user(f))
		snprintf(user_ss, sizeof(user_ss), " ss=0x%04lx",
			 (unsigned long)f->user_ss & 0xFFFF);

	panic_enter();
	snprintf(panic_line, sizeof(panic_line),
		 "PANIC: %s (#%lu) err=0x%08lx eip=0x%08lx cr2=0x%08lx",
		 name, (unsigned long)f->vector,
		 (unsigned long)f->err, (unsigned long)f->eip,
		 (unsigned long)lguest_data.cr2);
	snprintf(panic_regs, sizeof(panic_regs),
		 "  eax=0x%08lx ebx=0x%08lx ecx=0x%08lx edx=0x%08lx\n"
		 "  esi=0x%08lx edi=0x%08lx ebp=0x%08lx esp=0x%08lx\n"
		 "  cs=0x%04lx eflags=0x%08lx%s\n",
		 (unsigned long)f->eax, (unsigned long)f->ebx,
		 (unsigned long)f->ecx, (unsigned long)f->edx,
		 (unsigned long)f->esi, (unsigned long)f->edi,
		 (unsigned long)f->ebp, (unsigned long)esp,
		 (unsigned long)f->cs, (unsigned long)f->eflags,
		 user_ss);
	panic_finish(panic_regs);
}
/*:*/

GUEST_HOT_TEXT
static void trap_handle(struct trap_frame *frame)
{
	trap_handler_t handler = trap_handlers[frame->vector & 0xFF];

	if (handler && handler(frame))
		return;
	if (frame->vector >= FIRST_EXTERNAL_VECTOR &&
	    frame->vector < TRAP_NR_VECTORS)
		irq_dispatch(frame->vector - FIRST_EXTERNAL_VECTOR);
	else
		trap_panic(frame);
}

/*G:280 Every trap ends here on its way out. Going back to ring 3 has one
 * duty: hypercalls we queued in the async ring only run at our next exit,
 * and user code can spin for ever without one. The timer handler, for
 * one, queues the next tick; a program in a busy loop would then never
 * see another. So before returning to ring 3 we make the host run what is
 * queued. Interrupts go off first, so that nothing can queue more between
 * that check and the iret, which restores them from the frame. :*/
GUEST_HOT_TEXT
void trap_dispatch(struct trap_frame *frame)
{
	trap_handle(frame);
	if (trap_from_user(frame)) {
		irq_disable();
		hcall_flush_pending();
	}
}
/*:*/
