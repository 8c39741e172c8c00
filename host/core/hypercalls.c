/*
 * host/core/hypercalls.c: what each hypercall does (docs/abi.md §3). The same
 * function serves calls made with `int $0x1F` and calls queued in the
 * async ring; only a synchronous BIND_DMA gets a return value in EAX.
 * Every argument that names guest memory is checked by the gmem helpers or
 * a check_*() function before use.
 */
#include <stdio.h>
#include <string.h>

#include "core/timeline.h"
#include "arch/clock.h"
#include "arch/hot.h"
#include "core/dma.h"
#include "rules/hcall_ring.h"
#include "core/hypercalls.h"
#include "core/interrupts.h"
#include "arch/log.h"
#include "core/segments.h"
#include "core/timer.h"
#include "rules/printable.h"
#include "core/shadow.h"
#include "arch/x86.h"

extern uint32_t tsc_khz;

/* Show the switcher the guest's hcall_status[] (read-only), for the null
 * hypercall's short cut (host/arch/switcher.S). The array may cross a
 * page. */
static void map_hcall_status(struct guest *g)
{
	uint32_t first = (gpa_val(g->lguest_data) + LGUEST_DATA_HCALL_STATUS) &
			 ~0xFFFu;

	for (unsigned i = 0; i < 2; i++) {
		uint8_t *page;
		if (gmem_frame(&g->mem, first / 4096 + i, &page) == 0)
			g->switcher_pt[SWITCHER_CODE_PAGES + 2 + i] =
				(uint32_t)(uintptr_t)page | PTE_P;
	}
}

/*H:110 LGUEST_INIT tells us where the guest's lguest_data lives. We read
 * the noirq window now (and never again), fill in what the host owes the
 * guest — reserve_mem, tsc_khz, guestid, the time — and forget every
 * shadow mapping made so far. The structure must be one piece of host
 * memory (not across a shared network page, docs/abi.md §14.1): the host
 * keeps a pointer to it, checked here once, for every later exit. :*/
static __attribute__((noinline)) void
hcall_lguest_init(struct guest *g, uint32_t data_gpa)
{
	void *view;

	if (g->initialised) {
		guest_kill(g, "LGUEST_INIT: already have lguest_data");
		return;
	}
	if (gmem_map(&g->mem, gpa(data_gpa), sizeof(struct lguest_data),
		     &view)) {
		guest_kill(g, "LGUEST_INIT: bad guest page %#x (lguest_data "
			   "must lie in guest memory, and not across a shared "
			   "network page)", data_gpa);
		return;
	}
	struct lguest_data *data = view;
	g->lguest_data = gpa(data_gpa);
	g->data = data;
	g->noirq_start = data->noirq_start;
	g->noirq_end = data->noirq_end;
	data->reserve_mem = LGUEST_RESERVE_MEM;
	data->tsc_khz = tsc_khz;
	data->guestid = (uint16_t)g->id;
	g->initialised = true;
	if (g->id == 0)
		timeline_mark("guest0_lguest_init", rdtsc());
	map_hcall_status(g);
	interrupts_update_time(g);
	shadow_flush(g, true);
}

static __attribute__((noinline)) void
hcall_crash(struct guest *g, uint32_t msg_gpa)
{
	char msg[LGUEST_CRASH_MSG_LEN];

	if (gmem_read(&g->mem, gpa(msg_gpa), msg, sizeof(msg))) {
		guest_kill(g, "CRASH: bad read of the message at %#x", msg_gpa);
		return;
	}
	msg[sizeof(msg) - 1] = '\0';
	if (g->state < GUEST_POWERED_OFF) {
		char shown[sizeof(g->reason) - 8];
		g->state = strcmp(msg, "Power down") == 0 ? GUEST_POWERED_OFF
							 : GUEST_CRASHED;
		/* The guest's bytes, escaped: its message stays on its one
		 * line of the host's log (host/rules/printable.h). */
		snprintf(g->reason, sizeof(g->reason), "CRASH: %s",
			 printable_copy(shown, sizeof(shown), msg));
	}
}

static __attribute__((noinline)) void
hcall_set_stack(struct guest *g, uint32_t ss, uint32_t esp, uint32_t pages)
{
	if (segments_set_stack(g, ss, esp, pages) == 0)
		shadow_pin_stack(g);
}

/*H:100 Hypercalls arrive here, from the guest's `int $0x1F` or its async
 * ring: the call number and up to three arguments. Nothing may happen
 * before LGUEST_INIT, and 11 (gone since 2.6.23-rc1) or anything past 16
 * kills the guest. Returns the value for EAX, which only BIND_DMA sets. :*/
/* No jump table: it would be one more page (in .rodata) to touch. The
 * rare calls' handlers are noinline, so this stays small on the exit
 * path's pages (host/arch/hot.h). */
__attribute__((optimize("no-jump-tables"))) EXIT_HOT_TEXT
bool hypercall_run(struct guest *g, uint32_t call, uint32_t edx, uint32_t ebx,
		   uint32_t ecx, uint32_t *eax)
{
	g->hypercalls++;
	if (!g->initialised && call != LHCALL_LGUEST_INIT) {
		guest_kill(g, "hypercall %u before LGUEST_INIT", call);
		return false;
	}
	switch (call) {
	case LHCALL_FLUSH_ASYNC:
		break;
	case LHCALL_LGUEST_INIT:
		hcall_lguest_init(g, edx);
		break;
	case LHCALL_CRASH:
		hcall_crash(g, edx);
		break;
	case LHCALL_LOAD_GDT:
		segments_load_gdt(g, edx, ebx);
		break;
	case LHCALL_NEW_PGTABLE:
		shadow_new_pgtable(g, edx);
		break;
	case LHCALL_FLUSH_TLB:
		shadow_flush(g, edx != 0);
		break;
	case LHCALL_LOAD_IDT_ENTRY:
		interrupts_load_idt_entry(g, edx, ebx, ecx);
		break;
	case LHCALL_SET_STACK:
		hcall_set_stack(g, edx, ebx, ecx);
		break;
	case LHCALL_TS:
		g->ts = edx != 0;
		break;
	case LHCALL_SET_CLOCKEVENT:
		timer_set_guest(g, edx);
		break;
	case LHCALL_HALT:
		g->state = GUEST_HALTED;
		break;
	case LHCALL_BIND_DMA:
		*eax = dma_bind(g, edx, ebx, ecx);
		return true;
	case LHCALL_SEND_DMA:
		dma_send(g, edx, ebx);
		break;
	case LHCALL_SET_PTE:
		shadow_set_pte(g, edx, ebx, ecx);
		break;
	case LHCALL_SET_PMD:
		shadow_set_pmd(g, edx, ebx);
		break;
	case LHCALL_LOAD_TLS:
		segments_load_tls(g, edx);
		break;
	default:
		guest_kill(g, "Bad hypercall %u", call);
		break;
	}
	return false;
}

/* What run_async() needs: the guest, and whether a hypercall exit waits
 * behind the queued calls (for the flight recorder's order). */
struct async_ctx {
	struct guest *g;
	bool before_exit;
};

static int run_async(void *ctx, uint32_t eax, uint32_t edx, uint32_t ebx,
		     uint32_t ecx)
{
	struct async_ctx *a = ctx;
	struct guest *g = a->g;
	uint32_t ignored;

	flight_record_async(&g->flight, a->before_exit, eax, edx, ebx, ecx);
	hypercall_run(g, eax, edx, ebx, ecx, &ignored);
	return guest_dead(g) ? HCALL_RING_KILLED : HCALL_RING_CONTINUE;
}

/*H:120 The async ring: calls the guest queued without trapping, run in
 * ring order before the call that made the guest exit. :*/
void hypercall_drain_ring_slow(struct guest *g, bool hcall_waiting)
{
	char err[128];
	struct async_ctx ctx = { g, hcall_waiting };

	err[0] = '\0';
	if (hcall_ring_process(&g->mem, gpa_val(g->lguest_data), &g->hcall_cursor,
			       run_async, &ctx, err, sizeof(err)) ==
		    HCALL_RING_KILLED &&
	    !guest_dead(g))
		guest_kill(g, "async hypercall ring: %s", err);
}
