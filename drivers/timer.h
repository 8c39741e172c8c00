/*
 * drivers/timer.h: the lguest clock-event device (spec §4.11): a one-shot
 * timer in nanoseconds that raises IRQ 0. On top of it, a periodic tick.
 */
#ifndef LGREF_DRIVERS_TIMER_H
#define LGREF_DRIVERS_TIMER_H

#include <stdint.h>

#define TIMER_HZ 100 /* ticks per second */

/* Register IRQ 0 (which unblocks it) and start the tick. */
void timer_init(void);

/*
 * Raise IRQ 0 once, delta_ns from now (LHCALL_SET_CLOCKEVENT); replaces any
 * earlier request. Deltas under LG_CLOCK_MIN_DELTA (100 ns) are refused
 * (-1), as in the Linux guest; deltas over LG_CLOCK_MAX_DELTA are cut to it.
 */
int timer_oneshot(uint64_t delta_ns);

/*
 * Make IRQ 0 come once in about delta_ns (at least LG_CLOCK_MIN_DELTA),
 * unless the next tick comes sooner; it is not counted as a tick, and the
 * ticks go on as before. For a caller that irq_wait()s for less than a
 * tick: call with interrupts disabled, then irq_wait(). Any interrupt may
 * end the wait earlier.
 */
void timer_nap(uint64_t delta_ns);

/* Ticks handled since timer_init(). */
uint32_t timer_ticks(void);

#endif
