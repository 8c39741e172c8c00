/*
 * kernel/trap.h: traps and interrupts as the guest sees them: the frame
 * the entry stubs build (kernel/trapentry.S), IDT set-up, per-vector
 * handlers and the one panic path. Included by trapentry.S too, hence the
 * __ASSEMBLER__ guard.
 */
#ifndef LGREF_KERNEL_TRAP_H
#define LGREF_KERNEL_TRAP_H

#include <lguest/lguest.h>

/* Vectors with stubs: exceptions 0..31 and the virtual IRQs 32..63; the
 * system-call vector 0x80 has a stub of its own (trap_stub_syscall). */
#define TRAP_NR_VECTORS (FIRST_EXTERNAL_VECTOR + LGUEST_IRQS)
#define TRAP_STUB_SIZE 16 /* bytes per stub: stub v is at trap_stubs + 16v */

/* Exceptions that handlers are registered for by number. */
#define TRAP_BP 3  /* breakpoint: int3 */
#define TRAP_NM 7  /* device not available: the lazy-FPU trap */
#define TRAP_GP 13 /* general protection */
#define TRAP_PF 14 /* page fault */

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

/*
 * What the stack holds when trap_dispatch() runs, lowest address first:
 * the data segment registers and pushal's eight registers (trapentry.S),
 * the vector and error code pushed by the stub (0 when the CPU or host
 * pushed none), then the frame the CPU or host built (spec §4.4). A trap
 * from ring 3 came with a stack switch and also pushed the user's ESP and
 * SS; from ring 1 those two words are not part of the frame.
 *
 * A handler may change any field; the way out loads them all back, so
 * this is also how a handler redirects EIP or sets a system call's %eax.
 */
struct trap_frame {
	uint32_t gs, fs, es, ds; /* low 16 bits */
	uint32_t edi, esi, ebp, esp_pushal, ebx, edx, ecx, eax;
	uint32_t vector;
	uint32_t err;
	uint32_t eip;
	uint32_t cs;
	uint32_t eflags;
	uint32_t user_esp, user_ss; /* only if trap_from_user() */
};
_Static_assert(sizeof(struct trap_frame) == 19 * 4, "trap frame");
_Static_assert(__builtin_offsetof(struct trap_frame, eip) == 14 * 4,
	       "trap frame: trapentry.S pushes 4 + 8 + 2 words below eip");

/* Did this trap interrupt ring 3 (user code)? */
static inline bool trap_from_user(const struct trap_frame *f)
{
	return (f->cs & 3) == 3;
}

/*
 * A handler for one vector. It returns true when it has dealt with the
 * trap (the way out then resumes whatever the frame says), false to let
 * the kernel go on as if it were not there: virtual IRQs then reach their
 * irq_register() handler, and exceptions end in the panic path.
 */
typedef bool (*trap_handler_t)(struct trap_frame *f);

/* trapentry.S (its noirq window's labels are in kernel/lguest.h) */
extern char trap_stubs[], trap_stub_syscall[];

/* Install a gate for every vector we handle (LHCALL_LOAD_IDT_ENTRY). */
void trap_init(void);

/*
 * (Re)install the gate for `vector` (0..63 or SYSCALL_VECTOR): type
 * LGUEST_IDT_TYPE_INTERRUPT or _TRAP, privilege `dpl` (3 lets ring 3 use
 * `int n` on it). Which gates the CPU then takes without the host is the
 * host's decision (spec §4.5).
 */
void trap_set_gate(unsigned vector, unsigned type, unsigned dpl);

/* Remove the gate for `vector`: a not-present entry. */
void trap_clear_gate(unsigned vector);

/* Route `vector` (0..255) to `handler` first; NULL removes it. */
void trap_set_handler(unsigned vector, trap_handler_t handler);

/* Called by trapentry.S for every trap and interrupt. */
void trap_dispatch(struct trap_frame *frame);

/*
 * The one way down: print "PANIC: <message>" on the console, then make
 * LHCALL_CRASH with that line. Never allocates and never returns; a panic
 * during a panic goes straight to the crash hypercall.
 */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt,
							     ...);

#endif /* !__ASSEMBLER__ */

#endif
