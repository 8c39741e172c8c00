/*
 * host/arch/clock.h: time for the host. The TSC is the clock (calibrated
 * against the PIT at start-up), the CMOS RTC gives the date once, and the
 * PIT's channel 0, in one-shot mode, is the alarm that wakes the host for
 * the nearest guest timer (host/core/timer.h) or the end of a time slice.
 */
#ifndef LGREF_HOST_CLOCK_H
#define LGREF_HOST_CLOCK_H

#include <stdint.h>

struct lguest_timespec;

extern uint32_t tsc_khz;

/* Start calibrating the TSC and read the RTC. Interrupts must be off.
 * tsc_khz is rough (within 2%) until clock_calibrate_finish(), which
 * should come as late as possible before the first guest runs: the
 * calibration measures the time between the two (clock.c). */
void clock_init(void);
void clock_calibrate_finish(void);

/* A test hook (host command line "tsccal=fit" or "tsccal=twopoint"):
 * clock_calibrate_finish() takes its rate from that fallback, which the
 * bursts otherwise use only when they fail, and logs how far it is from
 * the bursts' rate (tests/boot/host_tsc_fit, host_tsc_twopoint). */
enum clock_calibration { CLOCK_CAL_BURSTS, CLOCK_CAL_FIT, CLOCK_CAL_TWO_POINT };
void clock_calibrate_by(enum clock_calibration how);

/* Nanoseconds <-> TSC ticks (saturating). */
uint64_t clock_ns_to_tsc(uint64_t ns);
uint64_t clock_tsc_to_ns(uint64_t ticks);

/* Wall-clock time now, for lguest_data.time. */
void clock_wallclock(struct lguest_timespec *ts);

/* Ask for a timer interrupt no later than `deadline` (TSC). */
void clock_arm(uint64_t deadline);

/* The alarm's interrupt came: nothing is armed any more. */
void clock_alarm_fired(void);

#endif
