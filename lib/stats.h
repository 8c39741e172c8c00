/*
 * lib/stats.h: the arithmetic of a benchmark report: percentiles of a set
 * of latency samples and rates from counts and nanoseconds, all in
 * integers (the guest's printf has no floating point and no %llu). Pure
 * logic, no hardware.
 */
#ifndef LGREF_LIB_STATS_H
#define LGREF_LIB_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Sort n samples in place, smallest first. */
void stats_sort(uint32_t *samples, size_t n);

/*
 * The nearest-rank percentile `pct` (0..100) of n sorted samples: the
 * smallest sample with at least pct % of the samples at or below it
 * (rank ceil(pct * n / 100), at least 1). 0 when n is 0.
 */
uint32_t stats_percentile(const uint32_t *sorted, size_t n, unsigned pct);

/* count per second over ns nanoseconds, rounded to nearest; 0 if ns is 0. */
uint64_t stats_per_second(uint64_t count, uint64_t ns);

/*
 * Megabytes (10^6 bytes) per second over ns nanoseconds, times 100 and
 * rounded to nearest, for printing as "%lu.%02lu"; 0 if ns is 0.
 */
uint64_t stats_mb_s_x100(uint64_t bytes, uint64_t ns);

/* Ticks of a clock running at khz kHz, as nanoseconds (no overflow for
 * any 64-bit tick count below 2^64 / 10^6). khz must not be 0. */
uint64_t stats_ticks_to_ns(uint64_t ticks, uint32_t khz);

#endif
