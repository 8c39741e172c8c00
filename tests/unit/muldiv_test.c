/*
 * tests/unit/muldiv_test.c: lib/muldiv.c, the guest clock's scaling
 * without 64-bit division, against plain 64-bit (and 128-bit) arithmetic:
 * n / 10^6 exact for edge values and a pseudo-random spread of every
 * magnitude, and cycles -> ns within the documented error for TSC rates
 * from 1 MHz to 10 GHz.
 */
#include <stdint.h>

#include "check.h"
#include "muldiv.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_div_1e6(void)
{
	const uint64_t edges[] = {
		0, 1, 999999, 1000000, 1000001, 1999999, 2000000,
		UINT32_MAX, (uint64_t)UINT32_MAX + 1, 4294000000ull,
		UINT64_MAX, UINT64_MAX - 1, UINT64_MAX / 1000000 * 1000000,
		UINT64_MAX / 1000000 * 1000000 - 1,
	};
	for (unsigned i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		CHECK_EQ(muldiv_div_1e6(edges[i]), edges[i] / 1000000);
	for (unsigned i = 0; i < 200000; i++) {
		uint64_t n = next_rand() >> (next_rand() % 64);
		CHECK_EQ(muldiv_div_1e6(n), n / 1000000);
		uint64_t m = n / 1000000 * 1000000;	/* multiples and neighbours */
		CHECK_EQ(muldiv_div_1e6(m), m / 1000000);
		if (m)
			CHECK_EQ(muldiv_div_1e6(m - 1), (m - 1) / 1000000);
	}
}

static void test_scale32(void)
{
	for (unsigned i = 0; i < 200000; i++) {
		uint64_t a = next_rand() >> (next_rand() % 64);
		uint64_t m = next_rand() >> (31 + next_rand() % 33);
		unsigned __int128 p = (unsigned __int128)a * m >> 32;
		if (p >> 64)
			continue;	/* outside the contract */
		CHECK_EQ(muldiv_scale32(a, m), (uint64_t)p);
	}
}

/* Cycles to ns: never above the exact value, and below it by at most
 * cycles / 2^32 + 1 ns. */
static void test_tsc_to_ns(void)
{
	const uint32_t khz[] = {1000, 999999, 1000000, 2500000, 3333333,
				10000000};
	for (unsigned k = 0; k < sizeof(khz) / sizeof(khz[0]); k++) {
		uint64_t f = muldiv_ns_factor(khz[k]);
		for (unsigned i = 0; i < 20000; i++) {
			uint64_t cyc = next_rand() >> (20 + next_rand() % 44);
			unsigned __int128 exact =
				(unsigned __int128)cyc * 1000000 / khz[k];
			uint64_t got = muldiv_scale32(cyc, f);
			CHECK(got <= exact);
			CHECK(exact - got <= (cyc >> 32) + 1);
		}
	}
}

int main(void)
{
	RUN(test_div_1e6);
	RUN(test_scale32);
	RUN(test_tsc_to_ns);
	return CHECK_DONE();
}
