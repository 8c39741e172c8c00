/*
 * lib/muldiv.c: 64-bit scaling without 64-bit division (lib/muldiv.h).
 */
#include "hot.h"
#include "muldiv.h"

#define MULDIV_1E6 1000000u

/* The four partial products of a 64 x 64 multiply, each 32 x 32 -> 64. */
GUEST_HOT_TEXT
uint64_t muldiv_scale32(uint64_t a, uint64_t m)
{
	uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32);
	uint32_t ml = (uint32_t)m, mh = (uint32_t)(m >> 32);

	return ((uint64_t)ah * mh << 32) + (uint64_t)ah * ml +
	       (uint64_t)al * mh + ((uint64_t)al * ml >> 32);
}

uint64_t muldiv_ns_factor(uint32_t khz)
{
	return ((uint64_t)MULDIV_1E6 << 32) / khz;
}

/* The high 64 bits of a * m. */
static inline uint64_t muldiv_high64(uint64_t a, uint64_t m)
{
	uint32_t al = (uint32_t)a, ah = (uint32_t)(a >> 32);
	uint32_t ml = (uint32_t)m, mh = (uint32_t)(m >> 32);
	uint64_t ll = (uint64_t)al * ml, lh = (uint64_t)al * mh;
	uint64_t hl = (uint64_t)ah * ml, hh = (uint64_t)ah * mh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;

	return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* M = floor(2^64 / 10^6) is below 2^64 / 10^6 by less than 1, so
 * n * M / 2^64 is below n / 10^6 by less than n / 2^64 < 1: the floor of
 * it is the quotient or one less, and one comparison tells which. */
GUEST_HOT_TEXT
uint64_t muldiv_div_1e6(uint64_t n)
{
	uint64_t q = muldiv_high64(n, 18446744073709ull);

	if (n - q * MULDIV_1E6 >= MULDIV_1E6)
		q++;
	return q;
}
