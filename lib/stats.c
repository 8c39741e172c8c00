/*
 * lib/stats.c: the benchmark arithmetic of lib/stats.h.
 */
#include <stdlib.h>

#include "stats.h"

static int stats_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

void stats_sort(uint32_t *samples, size_t n)
{
	if (n > 1)
		qsort(samples, n, sizeof(*samples), stats_cmp);
}

uint32_t stats_percentile(const uint32_t *sorted, size_t n, unsigned pct)
{
	if (n == 0)
		return 0;
	if (pct > 100)
		pct = 100;
	uint64_t rank = ((uint64_t)pct * n + 99) / 100; /* ceil */
	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

uint64_t stats_per_second(uint64_t count, uint64_t ns)
{
	if (ns == 0)
		return 0;
	return (count * 1000000000ull + ns / 2) / ns;
}

uint64_t stats_mb_s_x100(uint64_t bytes, uint64_t ns)
{
	/* bytes / 10^6 / (ns / 10^9) * 100 = bytes * 10^5 / ns */
	if (ns == 0)
		return 0;
	return (bytes * 100000ull + ns / 2) / ns;
}

uint64_t stats_ticks_to_ns(uint64_t ticks, uint32_t khz)
{
	/* ticks * 10^6 / khz, split so the product cannot overflow */
	return ticks / khz * 1000000ull + ticks % khz * 1000000ull / khz;
}
