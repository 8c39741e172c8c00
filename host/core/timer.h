/*
 * host/core/timer.h: guest timers. Each guest has one deadline (a TSC
 * value, struct guest's timer_deadline); the PIT, through host/arch/
 * clock.h, is armed for the nearest of them.
 */
#ifndef LGREF_HOST_CORE_TIMER_H
#define LGREF_HOST_CORE_TIMER_H

#include <stdint.h>

struct guest;

/* LHCALL_SET_CLOCKEVENT: IRQ 0 for g at now + delta_ns (0 = cancel). */
void timer_set_guest(struct guest *g, uint32_t delta_ns);

/* The alarm rang: raise IRQ 0 in every guest whose timer has expired, then
 * arm the alarm for the next deadline. */
void timer_tick(void);

#endif
