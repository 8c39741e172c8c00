/*
 * drivers/timer.c: the lguest timer. The host offers one one-shot timer,
 * armed with LHCALL_SET_CLOCKEVENT(delta in ns), that marks IRQ 0 pending
 * when it expires. We keep a TIMER_HZ tick going on it: that is what wakes
 * an idle guest regularly and, when the host gives no TSC frequency, what
 * keeps lguest_data.time (our only clock then) fresh. timer_nap() borrows
 * the one-shot for a sleep shorter than a tick, then puts the tick back.
 */
#include <stdbool.h>

#include <lguest/lguest.h>

#include "../kernel/clock.h"
#include "../kernel/hcall.h"
#include "../kernel/irq.h"
#include "../kernel/trap.h"
#include "timer.h"

#define TIMER_TICK_NS (1000000000u / TIMER_HZ)

static uint64_t timer_deadline_ns; /* clock_now_ns() of the next tick */
static volatile uint32_t timer_count;
static bool timer_napping;         /* the one-shot is a timer_nap()'s */

int timer_oneshot(uint64_t delta_ns)
{
	if (delta_ns < LG_CLOCK_MIN_DELTA)
		return -1;
	if (delta_ns > LG_CLOCK_MAX_DELTA)
		delta_ns = LG_CLOCK_MAX_DELTA;
	timer_napping = false;
	hcall(LHCALL_SET_CLOCKEVENT, (uint32_t)delta_ns, 0, 0);
	return 0;
}

/* The delta to the next tick deadline; if we fell behind (the host was
 * busy, or the clock stood still), skip the missed ticks. */
static uint64_t timer_next_delta(void)
{
	uint64_t now = clock_now_ns();

	timer_deadline_ns += TIMER_TICK_NS;
	if (timer_deadline_ns < now + LG_CLOCK_MIN_DELTA)
		timer_deadline_ns = now + TIMER_TICK_NS;
	return timer_deadline_ns - now;
}

/*D:060 The timer went off. One-shot means we must ask for the next one
 * ourselves; we aim at a fixed grid of deadlines so the tick doesn't drift
 * by the time it takes us to get here. The request is a real hypercall,
 * not one queued in the async ring: a loop that waits for ticks without
 * ever exiting (as Linux's delay calibration does) would otherwise never
 * let the host see it, and the clock would stop. :*/
static void timer_irq(unsigned irq)
{
	(void)irq;
	if (timer_napping) {
		uint64_t now = clock_now_ns();
		timer_napping = false;
		if (now + LG_CLOCK_MIN_DELTA < timer_deadline_ns) {
			/* A nap is over; the tick is still to come. */
			hcall(LHCALL_SET_CLOCKEVENT,
			      (uint32_t)(timer_deadline_ns - now), 0, 0);
			return;
		}
	}
	timer_count++;
	hcall(LHCALL_SET_CLOCKEVENT, (uint32_t)timer_next_delta(), 0, 0);
}
/*:*/

/*D:050 The timer. IRQ 0 has been blocked since before LGUEST_INIT, so no
 * tick could arrive before we were ready for it; registering the handler
 * unblocks it. :*/
void timer_init(void)
{
	timer_deadline_ns = clock_now_ns();
	if (irq_register(LGUEST_TIMER_IRQ, timer_irq) != 0)
		panic("timer: IRQ %d is taken", LGUEST_TIMER_IRQ);
	timer_oneshot(timer_next_delta());
}
/*:*/

void timer_nap(uint64_t delta_ns)
{
	uint64_t now = clock_now_ns();

	if (delta_ns < LG_CLOCK_MIN_DELTA)
		delta_ns = LG_CLOCK_MIN_DELTA;
	if (timer_napping || now + delta_ns >= timer_deadline_ns)
		return; /* something comes sooner anyway */
	timer_napping = true;
	hcall(LHCALL_SET_CLOCKEVENT, (uint32_t)delta_ns, 0, 0);
}

uint32_t timer_ticks(void)
{
	return timer_count;
}
