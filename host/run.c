/*
 * host/run.c: the host's run loop. For each guest in turn: serve what it
 * asked for (async ring, then the hypercall that made it exit), consider
 * an interrupt, enter it through the switcher, and sort out why it came
 * back. When every guest has stopped, leave QEMU with a status that says
 * how they ended.
 */
#include <stdio.h>

#include "bench.h"
#include "clock.h"
#include "cpu.h"
#include "dma.h"
#include "emulate.h"
#include "exit_names.h"
#include "exit_profile.h"
#include "fpu.h"
#include "guests.h"
#include "hc_block.h"
#include "hc_console.h"
#include "hc_tunnet.h"
#include "lan.h"
#include "hypercalls.h"
#include "interrupts.h"
#include "log.h"
#include "paging.h"
#include "pic.h"
#include "qemu_exit.h"
#include "shadow.h"
#include "virtio_blk.h"
#include "virtio_net.h"
#include "x86.h"

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

void host_interrupt(unsigned vector)
{
	unsigned irq = vector - PIC_VECTOR_BASE;

	if (irq == PIC_IRQ_TIMER)
		clock_tick();
	else if (irq == PIC_IRQ_COM1)
		console_rx_interrupt();
	/* PCI lines are shared: disks and NICs may sit on the same one. */
	if (vblk_owns_irq(irq))
		vblk_interrupt(irq);
	if (vnet_owns_irq(irq))
		vnet_interrupt(irq);
	pic_eoi(irq);
}

static void enter_guest(struct guest *g)
{
	uint8_t *cpu = g->cpu_page;

	paging_map_switcher((uint32_t)(uintptr_t)g->switcher_pt);
	*(uint32_t *)(cpu + CPU_PAGE_GUEST_CR3) = shadow_current_cr3(g);
	/* May a null hypercall skip the host? Only if the host has nothing
	 * to deliver: no IRQ pending, no console input waiting. */
	*(uint32_t *)(cpu + CPU_PAGE_FAST_OK) = g->initialised &&
		!g->irq_pending && !console_input_pending() &&
		!host_verbose && !g->args.verbose;
	*(uint32_t *)(cpu + CPU_PAGE_RING_SLOT) = SWITCHER_LGDATA +
		((g->lguest_data + LGUEST_DATA_HCALL_STATUS) & 0xFFF) +
		g->hcall_cursor;
	fpu_prepare_entry(g);
	if (g->exits == 0)
		bench_timeline(g->id == 0 ? "guest0_entry" : "guest_entry", rdtsc());
	exit_profile_entry();
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
static bool handle_exit(struct guest *g)
{
	struct guest_regs *r = g->regs;
	unsigned trap = r->trapnum;

	if (host_verbose || g->args.verbose)
		hlog("guest %u: exit %u (%s) eip 0x%x eax 0x%x\n", g->id, trap,
		     exit_trap_name(trap), r->eip, r->eax);
	switch (trap) {
	case LGUEST_TRAP_ENTRY:
		return true;
	case TRAP_PF: {
		uint32_t cr2 = read_cr2();
		flight_note_cr2(&g->flight, cr2);
		if (shadow_demand_page(g, cr2, r->errcode) || guest_dead(g))
			break;
		if (gmem_write32(&g->mem, g->lguest_data + LGUEST_DATA_CR2, cr2))
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

/*H:140 One guest's turn: run it until it halts, stops, or its time slice
 * is over and another guest wants the CPU. :*/
static void run_guest(struct guest *g, uint64_t slice_end, bool others)
{
	bool hcall_pending = false;

	for (;;) {
		hypercall_drain_ring(g, hcall_pending);
		if (hcall_pending && !guest_dead(g)) {
			struct guest_regs *r = g->regs;
			uint32_t eax;
			if (g->args.verbose)
				hlog("guest %u: hypercall %u %s(0x%x, 0x%x, 0x%x)\n",
				     g->id, r->eax, exit_hcall_name(r->eax),
				     r->edx, r->ebx, r->ecx);
			if (hypercall_run(g, r->eax, r->edx, r->ebx, r->ecx, &eax))
				r->eax = eax;
			hcall_pending = false;
		}
		console_poll();
		hc_tunnet_poll_all();
		if (guest_dead(g))
			return;
		interrupts_deliver(g);
		if (guest_dead(g) || g->state == GUEST_HALTED)
			return;
		if (others)	/* any alarm that fired took the slice end away */
			clock_arm(slice_end);
		enter_guest(g);
		hcall_pending = handle_exit(g);
		if (guest_dead(g))
			return;
		if (others && !hcall_pending && rdtsc() > slice_end)
			return;
	}
}

static void report_end(struct guest *g)
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
	console_guest_stopped(g);
	hc_block_guest_done(g);
	exit_profile_report(g);
	hc_tunnet_guest_done(g);
	lan_guest_done(g);
	dma_unbind_all(g);
	shadow_free_all(g);
	fpu_forget(g);
	g->timer_deadline = 0;
}

/* The status: the first of killed, crashed, load failed, powered off
 * that applies (host/qemu_exit.h). A guest that ran and broke is the
 * harder thing to see again; a load failure was said at start-up. */
__attribute__((noreturn)) static void host_finish(unsigned load_failures)
{
	bool killed = false, crashed = false;
	uint32_t status;

	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		killed |= guests[i].state == GUEST_KILLED;
		crashed |= guests[i].state == GUEST_CRASHED;
	}
	if (killed)
		status = HOST_EXIT_KILLED;
	else if (crashed)
		status = HOST_EXIT_CRASHED;
	else if (load_failures)
		status = HOST_EXIT_LOAD_FAILED;
	else
		status = HOST_EXIT_POWERED_OFF;
	if (bench_mode)
		bench_host();	/* after the guests, so it skews no timeline */
	/* Frames the guests sent are sent: let each NIC take them before
	 * QEMU goes, or the last reply a guest sent could be lost. */
	for (unsigned i = 0; i < vnet_count(); i++)
		if (!vnet_drain_tx(vnet_nic(i), 1000000000u))
			hlog("virtio-net %u: frames still unsent after 1 s\n", i);
	if (load_failures)
		hlog("lgref host: %u module%s could not be loaded (see "
		     "above)\n", load_failures, load_failures == 1 ? "" : "s");
	hlog("lgref host: no guest left, exiting with status %#x\n", status);
	qemu_exit(status);
}

/*H:130 The scheduler: round-robin over the guests that can run. A halted
 * guest is skipped until an interrupt it would accept is pending; when no
 * guest can run, the host itself halts until a hardware interrupt (a timer
 * or a key on the console) changes that. :*/
void scheduler_run(unsigned load_failures)
{
	bool reported[MAX_LGUEST_GUESTS] = { false };

	console_start();

	for (;;) {
		unsigned alive = 0, ran = 0, runnable = 0;
		console_rx_interrupt();	/* in case an interrupt edge was lost */
		vblk_poll_all();	/* the same for the disks */
		hc_tunnet_poll_all();	/* frames, and the NICs' interrupts */
		console_poll();
		for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
			struct guest *g = &guests[i];
			if (g->state == GUEST_FREE)
				continue;
			if (guest_dead(g)) {
				if (!reported[i])
					report_end(g);
				reported[i] = true;
				continue;
			}
			alive++;
			if (g->state != GUEST_HALTED || interrupts_wakeup_pending(g))
				runnable++;
		}
		if (!alive)
			host_finish(load_failures);
		for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
			struct guest *g = &guests[i];
			if (g->state == GUEST_FREE || guest_dead(g))
				continue;
			if (g->state == GUEST_HALTED && !interrupts_wakeup_pending(g))
				continue;
			run_guest(g, rdtsc() + clock_ns_to_tsc(SLICE_NS), runnable > 1);
			ran++;
		}
		if (!ran)
			cpu_wait_for_interrupt();
	}
}
