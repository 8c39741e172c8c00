/*
 * tests/unit/stats_test.c: benchmark arithmetic (lib/stats.c): nearest-rank
 * percentiles at the edges (one sample, p0, p100, ties), rates with
 * rounding, and tick conversion without overflow.
 */
#include <stdint.h>

#include "check.h"
#include "stats.h"

static void test_sort(void)
{
	uint32_t s[] = {5, 1, 4, 1, 0xFFFFFFFFu, 3};

	stats_sort(s, 6);
	CHECK_EQ(s[0], 1);
	CHECK_EQ(s[1], 1);
	CHECK_EQ(s[2], 3);
	CHECK_EQ(s[3], 4);
	CHECK_EQ(s[4], 5);
	CHECK_EQ(s[5], 0xFFFFFFFFu);
	stats_sort(s, 0); /* no-op */
}

static void test_percentile_hundred(void)
{
	uint32_t s[100];

	for (unsigned i = 0; i < 100; i++)
		s[i] = i + 1; /* 1..100 */
	CHECK_EQ(stats_percentile(s, 100, 50), 50);
	CHECK_EQ(stats_percentile(s, 100, 99), 99);
	CHECK_EQ(stats_percentile(s, 100, 100), 100);
	CHECK_EQ(stats_percentile(s, 100, 0), 1);
	CHECK_EQ(stats_percentile(s, 100, 1), 1);
	CHECK_EQ(stats_percentile(s, 100, 200), 100); /* clamped */
}

static void test_percentile_small(void)
{
	uint32_t one[] = {7};
	uint32_t two[] = {10, 20};
	uint32_t ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1000};

	CHECK_EQ(stats_percentile(one, 1, 50), 7);
	CHECK_EQ(stats_percentile(one, 1, 99), 7);
	CHECK_EQ(stats_percentile(two, 2, 50), 10);
	CHECK_EQ(stats_percentile(two, 2, 51), 20);
	CHECK_EQ(stats_percentile(two, 2, 99), 20);
	/* With 10 samples p99 is the largest: one outlier shows. */
	CHECK_EQ(stats_percentile(ten, 10, 99), 1000);
	CHECK_EQ(stats_percentile(ten, 10, 90), 9);
	CHECK_EQ(stats_percentile(ten, 10, 50), 5);
	CHECK_EQ(stats_percentile(one, 0, 50), 0);
}

static void test_rates(void)
{
	/* 1000 ops in 0.5 s */
	CHECK_EQ(stats_per_second(1000, 500000000), 2000);
	CHECK_EQ(stats_per_second(1, 3000000000ull), 0); /* 0.33 rounds down */
	CHECK_EQ(stats_per_second(2, 3000000000ull), 1); /* 0.67 rounds up */
	CHECK_EQ(stats_per_second(5, 0), 0);
	/* 64 MiB in 1 s is 67.11 MB/s (MB = 10^6 bytes) */
	CHECK_EQ(stats_mb_s_x100(64ull << 20, 1000000000), 6711);
	/* 1 MB in 2 s: 0.50 */
	CHECK_EQ(stats_mb_s_x100(1000000, 2000000000), 50);
	CHECK_EQ(stats_mb_s_x100(1, 0), 0);
	/* big numbers do not overflow: 1 TB in 1000 s = 1000.00 MB/s */
	CHECK_EQ(stats_mb_s_x100(1000000000000ull, 1000000000000ull), 100000);
}

static void test_ticks_to_ns(void)
{
	CHECK_EQ(stats_ticks_to_ns(1000, 1000), 1000000);     /* 1 MHz: 1 ms */
	CHECK_EQ(stats_ticks_to_ns(3, 3000000), 1);           /* 3 GHz */
	CHECK_EQ(stats_ticks_to_ns(2999, 3000000), 999);
	CHECK_EQ(stats_ticks_to_ns(0, 1), 0);
	/* An hour at 3 GHz: 10.8e12 ticks, 3.6e12 ns, no overflow. */
	CHECK_EQ(stats_ticks_to_ns(10800000000000ull, 3000000),
		 3600000000000ull);
}

int main(void)
{
	RUN(test_sort);
	RUN(test_percentile_hundred);
	RUN(test_percentile_small);
	RUN(test_rates);
	RUN(test_ticks_to_ns);
	return CHECK_DONE();
}
