/*
 * host/core/run.c: the host's run loop. For each guest in turn: serve what
 * it asked for (async ring, then the hypercall that made it exit), let the
 * devices deliver input, consider an interrupt, enter it through the
 * switcher, and sort out why it came back. When every guest has stopped,
 * return the status that says how they ended.
 */
#include <stdio.h>

#include "arch/clock.h"
#include "arch/cpu.h"
#include "arch/hot.h"
#include "arch/log.h"
#include "arch/paging.h"
#include "arch/pic.h"
#include "arch/qemu_exit.h"
#include "arch/x86.h"
#include "core/device.h"
#include "core/devices.h"
#include "core/emulate.h"
#include "core/exit_hooks.h"
#include "core/fpu.h"
#include "core/guests.h"
#include "core/hypercalls.h"
#include "core/interrupts.h"
#include "core/respawn.h"
#include "core/shadow.h"
#include "core/timeline.h"
#include "core/timer.h"
#include "rules/exit_names.h"

#define TRAP_NMI 2
#define TRAP_NM 7
#define TRAP_GP 13
#define TRAP_PF 14
#define SLICE_NS 10000000u	/* 10 ms between guests when several run */

static bool host_verbose;

void run_set_verbose(bool on)
{
	host_verbose = on;
}

/* Hardware interrupts, for the report at the end. */
static struct {
	uint64_t device;	/* on a device's line */
	uint64_t rounds;	/* ... that needed a second look (H:160) */
	uint64_t nobody;	/* ... that no device had raised */
	uint64_t spurious;	/* IRQ 7 or 15 the 8259 took back */
	unsigned nobody_in_a_row[16];
} hw;

/* A level-triggered line that no device of ours raises would interrupt
 * for ever and starve everything: after this many in a row it is masked
 * (its devices are still polled, host/core/device.h recover()). */
#define NOBODY_LIMIT 10000

void host_interrupt(unsigned vector)
{
	unsigned irq = vector - PIC_VECTOR_BASE;

	if (!pic_begin(irq)) {
		hw.spurious++;
		return;		/* no EOI: nothing is in service */
	}
	if (irq == PIC_IRQ_TIMER) {
		timer_tick();
	} else if (irq != PIC_IRQ_COM1) {
		unsigned rounds = devices_hw_irq(irq);
		hw.device++;
		hw.rounds += rounds > 1;
		if (rounds) {
			hw.nobody_in_a_row[irq] = 0;
		} else {
			hw.nobody++;
			if (++hw.nobody_in_a_row[irq] == NOBODY_LIMIT) {
				hlog("lgref host: irq %u: %u interrupts in a row "
				     "that no device raised; masked\n", irq,
				     NOBODY_LIMIT);
				pic_mask(irq);
			}
		}
	} else {
		devices_hw_irq(irq);
	}
	pic_eoi(irq);
}

/* One word of g's CPU page, written only if it changes (g->cpu_*). */
static inline void cpu_word(struct guest *g, uint32_t *copy, unsigned off,
			    uint32_t v)
{
	if (*copy != v) {
		*copy = v;
		*(uint32_t *)(g->cpu_page + off) = v;
	}
}

/* verbose: host_verbose || g->args.verbose, worked out once per turn
 * (the launch arguments are not on the exit path's page). */
static EXIT_HOT_TEXT void enter_guest(struct guest *g, bool verbose)
{
	paging_map_switcher((uint32_t)(uintptr_t)g->switcher_pt);
	cpu_word(g, &g->cpu_cr3, CPU_PAGE_GUEST_CR3, shadow_current_cr3(g));
	/* May a null hypercall skip the host? Only if the host has nothing
	 * to deliver: no IRQ pending, no device input waiting. */
	cpu_word(g, &g->cpu_fast_ok, CPU_PAGE_FAST_OK, g->initialised &&
		 !g->irq_pending && !verbose && !devices_input_pending());
	cpu_word(g, &g->cpu_ring_slot, CPU_PAGE_RING_SLOT, SWITCHER_LGDATA +
		 ((gpa_val(g->lguest_data) + LGUEST_DATA_HCALL_STATUS) &
		  0xFFF) + g->hcall_cursor);
	fpu_prepare_entry(g);
	if (g->exits == 0)
		timeline_mark(g->id == 0 ? "guest0_entry" : "guest_entry",
			      rdtsc());
	exit_profile_entry();
	switcher_run();
	while (exit_bare_again(g))	/* host-bare.elf only (exit_hooks.h) */
		switcher_run();
	exit_profile_exit(g);
	struct guest_regs *r = g->regs;
	flight_record_exit(&g->flight, r->trapnum, r->eip, r->eax, r->edx,
			   r->ebx, r->ecx, r->errcode, rdtsc());
	g->exits++;
}

static void reflect_or_kill(struct guest *g, unsigned trap)
{
	struct guest_regs *r = g->regs;

	if (!interrupts_reflect_trap(g, trap, r->errcode) && !guest_dead(g))
		guest_kill(g, "unhandled trap %u at eip %#x (error code %#x)",
			   trap, r->eip, r->errcode);
}

/*H:150 Why did the guest stop? A hypercall is served on the next pass of
 * the loop (after the async ring), a page fault goes to the shadow pager
 * first, a #GP may be port I/O to emulate, #NM may just mean the FPU holds
 * another guest's state, and a hardware interrupt is the host's own
 * business. Anything else goes back to the guest's own handler. :*/
static EXIT_HOT_TEXT bool handle_exit(struct guest *g, bool verbose)
{
	struct guest_regs *r = g->regs;
	unsigned trap = r->trapnum;

	if (verbose)
		hlog("guest %u: exit %u (%s) eip 0x%x eax 0x%x\n", g->id, trap,
		     exit_trap_name(trap), r->eip, r->eax);
	if (trap == LGUEST_TRAP_ENTRY)	/* the common case, before any */
		return true;		/* jump table of the switch */
	switch (trap) {
	case TRAP_PF: {
		uint32_t cr2 = read_cr2();
		flight_note_cr2(&g->flight, cr2);
		if (shadow_demand_page(g, cr2, r->errcode) || guest_dead(g))
			break;
		if (!g->initialised ||
		    gmem_write32(&g->mem, gpa_add(g->lguest_data,
						  LGUEST_DATA_CR2), cr2))
			guest_kill(g, "page fault at %#x before LGUEST_INIT "
				   "(eip %#x)", cr2, r->eip);
		else
			reflect_or_kill(g, trap);
		break;
	}
	case TRAP_GP:
		if (!emulate_port_io(g))
			reflect_or_kill(g, trap);
		break;
	case TRAP_NM:
		if (!fpu_handle_nm(g))
			reflect_or_kill(g, trap);
		break;
	case TRAP_NMI:
		break;
	case TRAP_ENTERING_GUEST:
		guest_kill(g, "unhandled trap 256 (the CPU refused the guest's "
			   "segment registers or stack at eip %#x)", r->eip);
		break;
	default:
		if (trap >= PIC_VECTOR_BASE && trap < PIC_VECTOR_BASE + 16)
			host_interrupt(trap);
		else
			reflect_or_kill(g, trap);
		break;
	}
	return false;
}

/* Guests alive at the start of this pass of the scheduler. */
static unsigned alive_now;

/* Hand-offs made (H:145), and not made because a guest outside the chain
 * wanted the CPU: said at the end (tests/boot/lan_wake_crowd). */
static uint64_t handoffs_made, handoffs_refused;

/* Does a guest outside a hand-off chain want the CPU: not a, not b, not
 * one that handed the CPU on (H:145), runnable or halted with an
 * interrupt it would take? With two guests alive there is nobody else,
 * and nothing is looked at (each guest is a page of its own). */
static bool outsider_wants_cpu(const struct guest *a, const struct guest *b)
{
	if (alive_now <= 2)
		return false;
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		struct guest *o = &guests[i];
		if (o == a || o == b || o->state == GUEST_FREE ||
		    guest_dead(o) || o->handed_off)
			continue;
		if (interrupts_guest_wants_cpu(o))
			return true;
	}
	return false;
}

/*H:140 One guest's turn: run it until it halts, stops, or its time slice
 * is over and another guest wants the CPU; or until a guest-to-guest send
 * of its woke a halted guest, which is then returned to run next (H:145).
 * A guest that runs alone (others false: every other guest was halted
 * with nothing to wake it) has no slice, so its turn also ends as soon as
 * an IRQ is raised in a halted guest (a timer, input, a frame): else a
 * guest that never halts keeps the CPU for ever and the others never
 * wake (tests/boot/attack_spin_starve). The scheduler then counts again
 * and slices if that guest woke. :*/
static __attribute__((noinline)) EXIT_HOT_TEXT struct guest *
run_guest(struct guest *g, uint64_t slice_end, bool others)
{
	bool hcall_pending = false;
	unsigned raises = guest_halted_raises;
	const bool gverbose = g->args.verbose;
	const bool verbose = host_verbose || gverbose;

	for (;;) {
		hypercall_drain_ring(g, hcall_pending);
		if (hcall_pending && !guest_dead(g)) {
			struct guest_regs *r = g->regs;
			uint32_t eax;
			if (gverbose)
				hlog("guest %u: hypercall %u %s(0x%x, 0x%x, 0x%x)\n",
				     g->id, r->eax, exit_hcall_name(r->eax),
				     r->edx, r->ebx, r->ecx);
			if (hypercall_run(g, r->eax, r->edx, r->ebx, r->ecx, &eax))
				r->eax = eax;
			hcall_pending = false;
			struct guest *woke = g->yield_to;
			if (woke) {	/* a guest-to-guest send offered */
				g->yield_to = NULL;
				if (!guest_dead(g) && !guest_dead(woke) &&
				    (woke->handed_off ||
				     (woke->state == GUEST_HALTED &&
				      interrupts_wakeup_pending(woke)))) {
					if (!outsider_wants_cpu(g, woke)) {
						handoffs_made++;
						return woke;	/* g resumes later */
					}
					handoffs_refused++;
				}
			}
		}
		devices_poll();
		if (guest_dead(g))
			return NULL;
		interrupts_deliver(g);
		if (guest_dead(g) || g->state == GUEST_HALTED)
			return NULL;
		/* Here its hypercall, if any, is served: it can stop. */
		if (!others && guest_halted_raises != raises) {
			raises = guest_halted_raises;
			if (guests_other_runnable(g))	/* it woke */
				return NULL;
		}
		if (others)	/* any alarm that fired took the slice end away */
			clock_arm(slice_end);
		enter_guest(g, verbose);
		hcall_pending = handle_exit(g, verbose);
		if (guest_dead(g))
			return NULL;
		if (others && !hcall_pending && rdtsc() > slice_end)
			return NULL;
	}
}

/*H:145 A guest's turn, and the turns it hands on. When a guest-to-guest
 * send wakes a halted guest, the sender's hypercall is finished (used_len
 * final) and the receiver runs at once, in what is left of the sender's
 * slice, rather than when the sender halts or its slice ends: the frame
 * is seen a world switch later, and a receiver that empties its buffers
 * before the sender fills them all drops nothing. The sender waits,
 * runnable ("handed off"); a send to it from the guest it handed on to
 * (an answer) hands the CPU straight back, and when the guest running
 * halts, the last one still waiting goes on. Every hand-on comes from a
 * served hypercall and every turn in the chain is sliced, so the chain
 * ends with the slice, and the round-robin goes on as before: no guest
 * gets more than its slice's worth of others' time. Only while no guest
 * outside the chain wants the CPU, though: two guests that answer each
 * other would otherwise keep the CPU for a whole slice on every turn
 * either begins, and a guest that waits for its disk or for the network
 * outside got its turn only after them (make soak: block requests fell
 * ninefold, tunnet echoes fourteenfold). Then the hand-off is not made,
 * and the chain ends where it is. :*/
static void run_turn(struct guest *g, bool others)
{
	uint64_t slice_end = rdtsc() + clock_ns_to_tsc(SLICE_NS);
	struct guest *waiting[MAX_LGUEST_GUESTS], *cur = g;
	unsigned nwaiting = 0;

	for (;;) {
		struct guest *next = run_guest(cur, slice_end, others);
		if (next && next->handed_off) {	/* it goes on: not waiting */
			unsigned k = 0;
			while (waiting[k] != next)
				k++;
			for (nwaiting--; k < nwaiting; k++)
				waiting[k] = waiting[k + 1];
			next->handed_off = false;
		}
		if (next && !cur->handed_off) {
			cur->handed_off = true;
			waiting[nwaiting++] = cur;
		}
		while (!next && nwaiting) {	/* cur stopped: who waits? */
			struct guest *w = waiting[--nwaiting];
			w->handed_off = false;
			if (!guest_dead(w) && w->state != GUEST_HALTED)
				next = w;
		}
		if (next && !others)	/* g ran alone, unsliced: from now */
			slice_end = rdtsc() + clock_ns_to_tsc(SLICE_NS);
		if (!next || rdtsc() > slice_end ||
		    outsider_wants_cpu(cur, next))
			break;
		cur = next;
		others = true;	/* guests share this slice now */
	}
	while (nwaiting)	/* the round-robin runs them as usual */
		waiting[--nwaiting]->handed_off = false;
}

/* Say how g ended and give back what it held: true if all of it is back
 * now (false: a disk still has a request into its memory). */
static bool report_end(struct guest *g)
{
	switch (g->state) {
	case GUEST_POWERED_OFF:
		hlog("guest %u: powered off\n", g->id);
		break;
	case GUEST_CRASHED:
		hlog("guest %u: %s\n", g->id, g->reason);
		flight_print(&g->flight, g->id, tsc_khz);
		break;
	default:
		hlog("guest %u killed: %s\n", g->id, g->reason);
		flight_print(&g->flight, g->id, tsc_khz);
		break;
	}
	if (g->shadow_recycles)
		hlog("guest %u: shadow page tables reached their quota of %lu "
		     "pages %lu times, and were emptied and refilled\n", g->id,
		     (unsigned long)g->shadow_quota,
		     (unsigned long)g->shadow_recycles);
	exit_profile_report(g);
	exit_bare_report(g);
	return guest_release(g);  /* its devices report as they go; or later */
}

/* The status: the first of killed, crashed, load failed, powered off
 * that applies (host/arch/qemu_exit.h). A guest that ran and broke is the
 * harder thing to see again; a load failure was said at start-up. */
static uint32_t final_status(unsigned load_failures)
{
	bool killed, crashed;

	respawn_report(&killed, &crashed);  /* earlier launches too */
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		killed |= guests[i].state == GUEST_KILLED;
		crashed |= guests[i].state == GUEST_CRASHED;
	}
	if (killed)
		return HOST_EXIT_KILLED;
	if (crashed)
		return HOST_EXIT_CRASHED;
	return load_failures ? HOST_EXIT_LOAD_FAILED : HOST_EXIT_POWERED_OFF;
}

/*H:130 The scheduler: round-robin over the guests that can run. A halted
 * guest is skipped until an interrupt it would accept is pending; when no
 * guest can run, the host itself halts until a hardware interrupt (a timer
 * or a key on the console) changes that. :*/
uint32_t scheduler_run(unsigned load_failures)
{
	bool reported[MAX_LGUEST_GUESTS] = { false };
	uint64_t idle = 0;	/* times the host halted: nothing could run */

	devices_run_start();
	for (;;) {
		unsigned alive = 0, ran = 0, runnable = 0, waiting = 0;
		unsigned backing_off = 0;	/* --respawn guests, H:076 */
		devices_recover();	/* in case an interrupt edge was lost */
		devices_poll();
		for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
			struct guest *g = &guests[i];
			if (g->state == GUEST_FREE)
				continue;
			if (guest_dead(g)) {
				bool released = false;
				if (!reported[i])
					released = report_end(g);
				else if (g->kept)
					released = guest_release(g); /* again */
				reported[i] = true;
				int again = released || respawn_waiting(g) ?
					respawn_relaunch(g) : 0;
				if (again < 0) {
					load_failures++;	/* slot free */
					continue;
				}
				if (again == 2) {	/* backing off */
					waiting++;
					backing_off++;
					continue;
				}
				if (again == 0) {
					waiting += g->kept && !g->kept_stalled;
					continue;
				}
				reported[i] = false;	/* a new launch */
			}
			alive++;
			if (interrupts_guest_wants_cpu(g))
				runnable++;
		}
		alive_now = alive;
		if (!alive && waiting) {
			/* A stopped guest's disk is still at work: its
			 * interrupt, or the deadline's alarm, wakes us. */
			idle++;
			log_flush();	/* nothing else to do (arch/log.c) */
			cpu_wait_for_interrupt();
			continue;
		}
		if (!alive) {
			for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++)
				if (guests[i].state != GUEST_FREE &&
				    guests[i].kept)
					hlog("lgref host: guest %u's memory stays "
					     "with a stalled disk; leaving "
					     "without it\n", i);
			hlog("lgref host: idle %lu times (halted until an "
			     "interrupt: no guest could run)\n",
			     (unsigned long)idle);
			hlog("lgref host: %lu guest-to-guest hand-offs, %lu not "
			     "made (a guest outside wanted the CPU)\n",
			     (unsigned long)handoffs_made,
			     (unsigned long)handoffs_refused);
			hlog("lgref host: %lu device interrupts, %lu needing a "
			     "second look, %lu raised by no device; %lu "
			     "spurious (IRQ 7/15)\n", (unsigned long)hw.device,
			     (unsigned long)hw.rounds, (unsigned long)hw.nobody,
			     (unsigned long)hw.spurious);
			return final_status(load_failures);
		}
		for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
			struct guest *g = &guests[i];
			if (g->state == GUEST_FREE || guest_dead(g))
				continue;
			if (!interrupts_guest_wants_cpu(g))
				continue;
			/* A re-launch that is due must not wait for a guest
			 * that runs alone: slice it then too. */
			run_turn(g, runnable > 1 || backing_off);
			ran++;
		}
		if (!ran) {
			idle++;
			log_flush();	/* nothing else to do (arch/log.c) */
			cpu_wait_for_interrupt();
		}
	}
}
