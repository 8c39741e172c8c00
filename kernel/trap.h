/*
 * kernel/trap.h: traps and interrupts as the guest sees them: the frame
 * the entry stubs build (kernel/trapentry.S), IDT set-up and the one panic
 * path. Included by trapentry.S too, hence the __ASSEMBLER__ guard.
 */
#ifndef LGREF_KERNEL_TRAP_H
#define LGREF_KERNEL_TRAP_H

#include <lguest/lguest.h>

/* Vectors with stubs: exceptions 0..31 and the virtual IRQs 32..63. */
#define TRAP_NR_VECTORS (FIRST_EXTERNAL_VECTOR + LGUEST_IRQS)
#define TRAP_STUB_SIZE 16 /* bytes per stub: stub v is at trap_stubs + 16v */

#ifndef __ASSEMBLER__

#include <stdint.h>

/*
 * What the stack holds when trap_dispatch() runs, lowest address first:
 * pushal's eight registers, the vector and error code pushed by the stub
 * (0 when the CPU or host pushed none), then the frame the host built
 * (spec §4.4). We never run ring 3, so there is never an old ESP/SS.
 */
struct trap_frame {
	uint32_t edi, esi, ebp, esp_pushal, ebx, edx, ecx, eax;
	uint32_t vector;
	uint32_t err;
	uint32_t eip;
	uint32_t cs;
	uint32_t eflags;
};
_Static_assert(sizeof(struct trap_frame) == 13 * 4, "trap frame");

/* trapentry.S */
extern char trap_stubs[];
extern char lguest_noirq_start[], lguest_noirq_end[];

/* Install a gate for every vector we handle (LHCALL_LOAD_IDT_ENTRY). */
void trap_init(void);

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
