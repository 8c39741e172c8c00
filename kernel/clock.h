/*
 * kernel/clock.h: time. A monotonic clock from the TSC when the host vouches
 * for it (tsc_khz != 0), else from the wall-clock time the host writes into
 * lguest_data (spec §2.1, §4.12, §13).
 */
#ifndef LGREF_KERNEL_CLOCK_H
#define LGREF_KERNEL_CLOCK_H

#include <stdint.h>

/* Pick the clock source and note the boot time. Call after LGUEST_INIT. */
void clock_init(void);

/*
 * Nanoseconds since clock_init(), never decreasing. With tsc_khz = 0 it
 * only advances when the host refreshes lguest_data.time, which it does
 * whenever it checks for interrupts to deliver (each timer tick).
 */
uint64_t clock_now_ns(void);

/* clock_now_ns() / 10^6, without a 64-bit division. */
uint64_t clock_now_ms(void);

/* Wall-clock time (seconds and nanoseconds since 1970-01-01 UTC). */
void clock_wall(uint32_t *sec, uint32_t *nsec);

/* The TSC frequency the host gave us, 0 if it gave none. */
uint32_t clock_tsc_khz(void);

#endif
