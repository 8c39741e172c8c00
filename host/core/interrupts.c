/*
 * host/core/interrupts.c: virtual interrupts and traps for a guest
 * (docs/abi.md §4): the guest's IDT as the CPU sees it, the decision to
 * inject a virtual IRQ, and the frame the host pushes when it delivers an
 * IRQ or reflects a trap, exactly as the CPU would for a ring-1 gate.
 */
#include <string.h>

#include "rules/check.h"
#include "arch/clock.h"
#include "arch/cpu.h"
#include "arch/hot.h"
#include "core/inject.h"
#include "core/interrupts.h"
#include "arch/x86.h"

#define EFLAGS_IF 0x200

DMA_HOT_TEXT void guest_raise_irq(struct guest *g, unsigned irq)
{
	if (irq >= LGUEST_IRQS)
		return;
	if (inject_irqs_on && inject_irq_hold(g, irq))
		return;		/* a test's irq-delay or irq-coalesce */
	/* A halted guest becomes runnable; the delivery check decides. */
	guest_set_pending(g, 1u << irq);
}

static uint64_t *cpu_idt(struct guest *g)
{
	return (uint64_t *)(g->cpu_page + CPU_PAGE_IDT);
}

static uint32_t stored_index(unsigned vector)
{
	return vector == SYSCALL_VECTOR ? LGUEST_IDT_STORED_VECTORS : vector;
}

/* The gate the CPU uses for `vector` while this guest runs. */
static uint64_t real_gate(const struct guest *g, unsigned vector)
{
	bool stored = vector < LGUEST_IDT_STORED_VECTORS || vector == SYSCALL_VECTOR;

	if (stored) {
		uint32_t i = stored_index(vector);
		if (idt_gate_is_direct(vector, g->idt_hi[i]))
			return ((uint64_t)g->idt_hi[i] << 32) | g->idt_lo[i];
	}
	if (vector < SWITCHER_STUBS) {
		unsigned dpl = vector == LGUEST_TRAP_ENTRY ? GUEST_PL : 0;
		return cpu_make_gate(SWITCHER_CODE + switcher_stub_offset[vector],
				     LGUEST_SWITCHER_CS, GATE_TYPE_INT32, dpl);
	}
	/* Not present, DPL 0: an `int n` here raises #GP(n * 8 + 2). */
	return 0;
}

/*H:200 The IDT the CPU uses while a guest runs is the host's, not the
 * guest's: every vector exits to the host through a switcher stub, except
 * trap gates the guest installed for vectors the CPU may deliver straight
 * into ring 1 (docs/abi.md §4.5), which we copy in as they are. :*/
void interrupts_write_idt(struct guest *g)
{
	for (unsigned v = 0; v < 256; v++)
		cpu_idt(g)[v] = real_gate(g, v);
}

int interrupts_load_idt_entry(struct guest *g, uint32_t vector, uint32_t lo,
			      uint32_t hi)
{
	uint32_t new_lo, new_hi;

	switch (check_idt_entry(vector, lo, hi, &new_lo, &new_hi)) {
	case IDT_IGNORE:
		return 0;
	case IDT_KILL:
		guest_kill(g, "LOAD_IDT_ENTRY: vector %u: bad IDT type %u "
			   "(gate %#x:%#x; only 0xE and 0xF are allowed)",
			   vector, (hi >> 8) & 0xF, hi, lo);
		return -1;
	case IDT_CLEAR:
		new_lo = new_hi = 0;
		break;
	case IDT_STORE:
		break;
	}
	g->idt_lo[stored_index(vector)] = new_lo;
	g->idt_hi[stored_index(vector)] = new_hi;
	cpu_idt(g)[vector] = real_gate(g, vector);
	return 0;
}

/* lguest_data was checked at LGUEST_INIT (g->data); these run on every
 * delivery, so they use that pointer directly. */
static int read_data32(struct guest *g, uint32_t offset, uint32_t *v)
{
	if (!g->data) {
		guest_kill(g, "trap or interrupt before LGUEST_INIT");
		return -1;
	}
	*v = *(volatile uint32_t *)((volatile uint8_t *)g->data + offset);
	return 0;
}

static void write_data32(struct guest *g, uint32_t offset, uint32_t v)
{
	if (!g->data)
		return;
	*(volatile uint32_t *)((volatile uint8_t *)g->data + offset) = v;
}

DMA_HOT_TEXT void interrupts_update_time(struct guest *g)
{
	struct lguest_timespec ts;

	clock_wallclock(&ts);
	/* Seconds last, so a reader's retry loop sees a consistent pair. */
	write_data32(g, LGUEST_DATA_TIME_TV_NSEC, (uint32_t)ts.tv_nsec);
	write_data32(g, LGUEST_DATA_TIME_TV_SEC, (uint32_t)ts.tv_sec);
}

/* Push a trap frame of n 32-bit words (words[0] pushed first) on the
 * guest's kernel stack, moving *esp down. The stack must be in the
 * linear page_offset map (docs/abi.md §4.4): we write at esp -
 * page_offset in guest-physical memory, without walking the page tables.
 * One gmem copy for the frame rather than one call per word: every
 * delivered interrupt does this right after a %cr3 load (host/arch/hot.h). */
DMA_HOT_TEXT static int push_words(struct guest *g, uint32_t *esp,
				   const uint32_t *words, unsigned n)
{
	uint32_t frame[6];	/* lowest address first: the last pushed */

	for (unsigned i = 0; i < n; i++)
		frame[i] = words[n - 1 - i];
	*esp -= 4 * n;
	if (gmem_write(&g->mem, gpa(*esp - g->page_offset), frame, 4 * n) == 0)
		return 0;
	guest_kill(g, "cannot push a trap frame: stack %#x is outside guest "
		   "memory", *esp);
	return -1;
}

/*H:210 Delivering a trap or an interrupt means doing by hand what the CPU
 * does for a gate into ring 1: switch to the SET_STACK stack if the guest
 * was in ring 3, push the old stack, EFLAGS (with IF telling the guest's
 * virtual interrupt flag), CS, EIP and perhaps an error code, then jump to
 * the handler. An interrupt gate also turns virtual interrupts off. :*/
DMA_HOT_TEXT static int push_frame(struct guest *g, uint32_t lo, uint32_t hi,
		      bool has_errcode, uint32_t errcode)
{
	struct guest_regs *r = g->regs;
	uint32_t irq_enabled, ss = r->ss, esp = r->esp;
	uint32_t eflags = r->eflags;
	uint32_t words[6];
	unsigned n = 0;

	if (read_data32(g, LGUEST_DATA_IRQ_ENABLED, &irq_enabled))
		return -1;
	if (!(irq_enabled & EFLAGS_IF))
		eflags &= ~EFLAGS_IF;
	if ((r->ss & 3) != GUEST_PL) {		/* from ring 3 */
		ss = g->ss1;
		esp = g->esp1;
		words[n++] = r->ss;
		words[n++] = r->esp;
	}
	words[n++] = eflags;
	words[n++] = r->cs;
	words[n++] = r->eip;
	if (has_errcode)
		words[n++] = errcode;
	if (push_words(g, &esp, words, n))
		return -1;
	r->ss = ss;
	r->esp = esp;
	r->cs = LGUEST_KERNEL_CS;
	r->eip = (hi & 0xFFFF0000) | (lo & 0xFFFF);
	if (((hi >> LGUEST_IDT_TYPE_SHIFT) & LGUEST_IDT_TYPE_MASK) ==
	    LGUEST_IDT_TYPE_INTERRUPT)
		write_data32(g, LGUEST_DATA_IRQ_ENABLED, 0);
	return guest_dead(g) ? -1 : 0;
}

bool interrupts_reflect_trap(struct guest *g, unsigned vector,
			     uint32_t errcode)
{
	uint32_t i = stored_index(vector);

	if (vector >= LGUEST_IDT_STORED_VECTORS && vector != SYSCALL_VECTOR)
		return false;
	if (!(g->idt_hi[i] & LGUEST_IDT_PRESENT))
		return false;
	push_frame(g, g->idt_lo[i], g->idt_hi[i],
		   LGUEST_TRAP_HAS_ERRCODE(vector), errcode);
	return true;
}

/* Of the IRQs in `irqs`, those whose gate (vector 32 + irq) the guest has
 * made present. Only these count as interrupts the guest can take
 * (docs/abi.md §14.1 "An IRQ with no gate"). */
DMA_HOT_TEXT static uint32_t gated(const struct guest *g, uint32_t irqs)
{
	uint32_t out = 0;

	while (irqs) {
		unsigned irq = (unsigned)__builtin_ctz(irqs);
		irqs &= irqs - 1;
		if (g->idt_hi[FIRST_EXTERNAL_VECTOR + irq] & LGUEST_IDT_PRESENT)
			out |= 1u << irq;
	}
	return out;
}

/* Pending, not blocked, and with a gate: what the delivery check may
 * pick from. 0 before LGUEST_INIT. */
DMA_HOT_TEXT static uint32_t deliverable(const struct guest *g)
{
	if (!g->irq_pending || !g->data)
		return 0;
	return gated(g, g->irq_pending & ~g->data->blocked_interrupts);
}

/*H:220 Before every entry into the guest we ask whether an interrupt can
 * be delivered (docs/abi.md §4.3): the lowest pending, unblocked IRQ, not
 * while the guest is inside its noirq window, and only with virtual
 * interrupts on — unless the guest is halted, which counts as "sti; hlt".
 * We test bit 9 of irq_enabled, not "non-zero" (docs/abi.md §14). An IRQ
 * whose gate is not present is passed over and stays pending: it neither
 * wakes a halted guest nor holds back a higher IRQ that has a gate
 * (docs/abi.md §14.1). :*/
EXIT_HOT_TEXT void interrupts_deliver(struct guest *g)
{
	uint32_t irq_enabled;

	if (!g->initialised || !g->irq_pending || !g->data)
		return;
	uint32_t ready = deliverable(g);
	if (!ready)
		return;
	unsigned irq = (unsigned)__builtin_ctz(ready);
	if (g->regs->eip >= g->noirq_start && g->regs->eip < g->noirq_end)
		return;
	if (g->state == GUEST_HALTED) {
		write_data32(g, LGUEST_DATA_IRQ_ENABLED, LGUEST_IRQ_ENABLED_ON);
		g->state = GUEST_RUNNABLE;
	} else {
		if (read_data32(g, LGUEST_DATA_IRQ_ENABLED, &irq_enabled))
			return;
		if (!(irq_enabled & EFLAGS_IF))
			return;
	}
	unsigned vector = FIRST_EXTERNAL_VECTOR + irq;
	g->irq_pending &= ~(1u << irq);
	if (push_frame(g, g->idt_lo[vector], g->idt_hi[vector], false, 0) == 0)
		g->irqs_injected++;
	interrupts_update_time(g);
}

/* Can a halted guest be woken now? (A pending, unblocked IRQ with a
 * gate.) Not inside its noirq window (docs/abi.md §4.3 step 3), where it stays
 * halted: a guest that halts there with an IRQ pending must not count as
 * runnable, or the scheduler would "run" it on every pass without ever
 * entering it, and the host would never halt to take the timer that
 * wakes everyone else (tests/boot/attack_halt_noirq). */
bool interrupts_wakeup_pending(struct guest *g)
{
	if (g->regs->eip >= g->noirq_start && g->regs->eip < g->noirq_end)
		return false;
	return deliverable(g) != 0;
}
