/*
 * host/clock.h: time for the host and its guests. The TSC is the clock
 * (calibrated against the PIT at start-up), the CMOS RTC gives the date
 * once, and the PIT's channel 0, in one-shot mode, wakes the host for the
 * nearest guest timer (LHCALL_SET_CLOCKEVENT) or the end of a time slice.
 */
#ifndef LGREF_HOST_CLOCK_H
#define LGREF_HOST_CLOCK_H

#include <stdint.h>

struct guest;
struct lguest_timespec;

extern uint32_t tsc_khz;

/* Calibrate the TSC and read the RTC. Interrupts must be off. */
void clock_init(void);

/* Nanoseconds <-> TSC ticks (saturating). */
uint64_t clock_ns_to_tsc(uint64_t ns);
uint64_t clock_tsc_to_ns(uint64_t ticks);

/* Wall-clock time now, for lguest_data.time. */
void clock_wallclock(struct lguest_timespec *ts);

/* LHCALL_SET_CLOCKEVENT: IRQ 0 for g at now + delta_ns (0 = cancel). */
void clock_set_guest_timer(struct guest *g, uint32_t delta_ns);

/* Raise IRQ 0 in every guest whose timer has expired, then program the PIT
 * for the next deadline (or the slice end, whichever is first). */
void clock_tick(void);

/* Ask for a timer interrupt no later than `deadline` (TSC). */
void clock_arm(uint64_t deadline);

#endif
