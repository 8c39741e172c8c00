/*
 * host/core/timer.c: each guest's one-shot timer (LHCALL_SET_CLOCKEVENT,
 * docs/abi.md §4.11) on the host's one alarm (host/arch/clock.h).
 */
#include <lguest/lguest.h>

#include "arch/clock.h"
#include "arch/log.h"
#include "arch/x86.h"
#include "core/guest.h"
#include "core/timer.h"

void timer_set_guest(struct guest *g, uint32_t delta_ns)
{
	if (delta_ns == 0) {
		g->timer_deadline = 0;
		return;
	}
	g->timer_deadline = rdtsc() + clock_ns_to_tsc(delta_ns);
	clock_arm(g->timer_deadline);
}

void timer_tick(void)
{
	uint64_t now = rdtsc(), next = 0;

	clock_alarm_fired();
	/* Start-up lines still kept (arch/log.c): written once their
	 * deadline passes, even if a guest never lets the host idle. */
	if (log_flush_deadline) {
		if (now >= log_flush_deadline)
			log_flush();
		else
			next = log_flush_deadline;
	}
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		struct guest *g = &guests[i];
		if (!g->timer_deadline || guest_dead(g))
			continue;
		if (g->timer_deadline <= now) {
			g->timer_deadline = 0;
			guest_raise_irq(g, LGUEST_TIMER_IRQ);
		} else if (!next || g->timer_deadline < next) {
			next = g->timer_deadline;
		}
	}
	if (next)
		clock_arm(next);
}
