/*
 * tests/unit/dma_copy_test.c: dma_gather() (host/rules/dma_copy.c), the
 * guest-to-guest copy of docs/abi.md §6.4 b: min(source, destination)
 * bytes, section boundaries on either side, list ends, and a list that
 * slipped past validation still never leaving its guest's memory.
 */
#include <string.h>

#include "check.h"
#include "rules/dma_copy.h"

static uint8_t ma[4 * 4096], mb[4 * 4096];
static const struct gmem ga = { .base = ma, .ram_bytes = sizeof(ma), .pfnlimit = 4 };
static const struct gmem gb = { .base = mb, .ram_bytes = sizeof(mb), .pfnlimit = 4 };

static void reset(void)
{
	for (size_t i = 0; i < sizeof(ma); i++)
		ma[i] = (uint8_t)(i * 13 + 5);
	memset(mb, 0, sizeof(mb));
}

static void list(struct lguest_dma *d, unsigned n, const uint32_t *addr,
		 const uint16_t *len)
{
	memset(d, 0, sizeof(*d));
	for (unsigned i = 0; i < n; i++) {
		d->addr[i] = addr[i];
		d->len[i] = len[i];
	}
}

static void test_scatter_gather(void)
{
	struct lguest_dma s, d;
	const uint32_t sa[] = { 0x100, 0x2000, 0x3000 };
	const uint16_t sl[] = { 10, 5, 20 };
	const uint32_t da[] = { 0x500, 0x1000 };
	const uint16_t dl[] = { 7, 100 };

	reset();
	list(&s, 3, sa, sl);
	list(&d, 2, da, dl);
	CHECK_EQ(dma_gather(&gb, &d, &ga, &s), 35);
	CHECK(memcmp(mb + 0x500, ma + 0x100, 7) == 0);
	CHECK(memcmp(mb + 0x1000, ma + 0x107, 3) == 0);
	CHECK(memcmp(mb + 0x1003, ma + 0x2000, 5) == 0);
	CHECK(memcmp(mb + 0x1008, ma + 0x3000, 20) == 0);
	CHECK_EQ(mb[0x1000 + 28], 0); /* nothing past the source total */
	CHECK_EQ(mb[0x500 + 7], 0);
}

static void test_min_of_totals(void)
{
	struct lguest_dma s, d;
	const uint32_t a[] = { 0x100 };
	const uint16_t big[] = { 300 }, small[] = { 200 };

	reset();
	list(&s, 1, a, big);
	list(&d, 1, a, small);
	CHECK_EQ(dma_gather(&gb, &d, &ga, &s), 200);
	CHECK_EQ(mb[0x100 + 200], 0);
	list(&s, 1, a, small);
	list(&d, 1, a, big);
	CHECK_EQ(dma_gather(&gb, &d, &ga, &s), 200);
	/* Empty on either side: nothing. */
	memset(&d, 0, sizeof(d));
	CHECK_EQ(dma_gather(&gb, &d, &ga, &s), 0);
	CHECK_EQ(dma_gather(&gb, &s, &ga, &d), 0);
}

static void test_sixteen_sections(void)
{
	struct lguest_dma s, d;

	reset();
	memset(&s, 0, sizeof(s));
	memset(&d, 0, sizeof(d));
	for (unsigned i = 0; i < 16; i++) {
		s.addr[i] = i * 512;
		s.len[i] = 100;
	}
	d.addr[0] = 0x2000;
	d.len[0] = 4096;
	CHECK_EQ(dma_gather(&gb, &d, &ga, &s), 1600);
	CHECK(memcmp(mb + 0x2000 + 1500, ma + 15 * 512, 100) == 0);
}

static void test_same_memory_overlap(void)
{
	struct lguest_dma s, d;
	const uint32_t sa[] = { 0x100 }, da[] = { 0x104 };
	const uint16_t l[] = { 16 };
	uint8_t want[16];

	reset();
	memcpy(want, ma + 0x100, 16);
	list(&s, 1, sa, l);
	list(&d, 1, da, l);
	CHECK_EQ(dma_gather(&ga, &d, &ga, &s), 16);
	CHECK(memcmp(ma + 0x104, want, 16) == 0);
}

static void test_unvalidated_lists_stay_inside(void)
{
	struct lguest_dma s, d;
	const uint32_t sa[] = { 0x100, 0x3FF0 }, da[] = { 0x0 };
	const uint16_t sl[] = { 8, 0x100 }, dl[] = { 0x1000 };

	reset();
	list(&s, 2, sa, sl);
	list(&d, 1, da, dl);
	/* The second source section runs past the end: stop before it. */
	CHECK_EQ(dma_gather(&gb, &d, &ga, &s), 8);
	/* A section wrapping past 4 GiB is refused, not wrapped. */
	const uint32_t wa[] = { 0xFFFFFFF0 };
	const uint16_t wl[] = { 0x20 };
	list(&s, 1, wa, wl);
	CHECK_EQ(dma_gather(&gb, &d, &ga, &s), 0);
	list(&d, 1, wa, wl);
	list(&s, 1, da, dl);
	CHECK_EQ(dma_gather(&gb, &d, &ga, &s), 0);
}

int main(void)
{
	RUN(test_scatter_gather);
	RUN(test_min_of_totals);
	RUN(test_sixteen_sections);
	RUN(test_same_memory_overlap);
	RUN(test_unvalidated_lists_stay_inside);
	return CHECK_DONE();
}
