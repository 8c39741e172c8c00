/*
 * tests/unit/blkseg_test.c: planning block requests (lib/blkseg.c): a
 * page-aligned 64 KiB buffer is one full request, an unaligned one is cut
 * at every page boundary and rounded down to whole sectors, small and odd
 * lengths, and a whole transfer planned request by request covers every
 * byte exactly once without breaking a limit.
 */
#include <stdint.h>

#include "blkseg.h"
#include "check.h"

static const struct blkseg_limits lim = {16, 4096, 65536, 512};

/* Every section inside one page, within the limits, sums to `total`. */
static int plan_ok(const struct blkseg *s, unsigned n, uint32_t first,
		   uint32_t total)
{
	uint32_t sum = 0, next = first;

	if (n == 0 || n > lim.max_segs || total % lim.unit ||
	    total > lim.max_bytes)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		if (s[i].len == 0 || s[i].len > 4096)
			return 0;
		if (s[i].addr % 4096 + s[i].len > 4096)
			return 0;
		if (s[i].addr != next) /* contiguous, in order */
			return 0;
		next += s[i].len;
		sum += s[i].len;
	}
	return sum == total;
}

static void test_aligned_full_request(void)
{
	struct blkseg s[16];
	unsigned n;

	CHECK_EQ(blkseg_plan(0x100000, 1 << 20, &lim, s, &n), 65536);
	CHECK_EQ(n, 16);
	CHECK(plan_ok(s, n, 0x100000, 65536));
	CHECK_EQ(s[15].addr, 0x10F000);
	CHECK_EQ(s[15].len, 4096);
}

static void test_aligned_small(void)
{
	struct blkseg s[16];
	unsigned n;

	CHECK_EQ(blkseg_plan(0x2000, 512, &lim, s, &n), 512);
	CHECK_EQ(n, 1);
	CHECK_EQ(s[0].addr, 0x2000);
	CHECK_EQ(s[0].len, 512);
	CHECK_EQ(blkseg_plan(0x2000, 4096 + 512, &lim, s, &n), 4608);
	CHECK_EQ(n, 2);
	CHECK(plan_ok(s, n, 0x2000, 4608));
}

static void test_unaligned_cut_at_pages(void)
{
	struct blkseg s[16];
	unsigned n;

	/* Starts 100 bytes into a page: 3996, then whole pages. 16 sections
	 * hold 3996 + 15 * 4096 = 65436, rounded down to 65024 (127
	 * sectors), so the last section is cut short. */
	CHECK_EQ(blkseg_plan(0x5064, 1 << 20, &lim, s, &n), 65024);
	CHECK_EQ(n, 16);
	CHECK(plan_ok(s, n, 0x5064, 65024));
	CHECK_EQ(s[0].len, 3996);
	CHECK_EQ(s[1].addr, 0x6000);
	CHECK_EQ(s[15].len, 4096 - 412);
	/* A sector straddling a page: two sections. */
	CHECK_EQ(blkseg_plan(0x1F00, 512, &lim, s, &n), 512);
	CHECK_EQ(n, 2);
	CHECK_EQ(s[0].len, 256);
	CHECK_EQ(s[1].addr, 0x2000);
	CHECK_EQ(s[1].len, 256);
}

static void test_worst_alignment(void)
{
	struct blkseg s[16];
	unsigned n;

	/* One byte before a page end: 1 + 15 pages = 61441 -> 61440. The
	 * trim takes 1 byte off the last section. */
	CHECK_EQ(blkseg_plan(0x0FFF, 1 << 20, &lim, s, &n), 61440);
	CHECK_EQ(n, 16);
	CHECK(plan_ok(s, n, 0x0FFF, 61440));
	CHECK_EQ(s[0].len, 1);
	CHECK_EQ(s[15].len, 4095);
}

static void test_trim_drops_sections(void)
{
	/* Limits where rounding down empties whole sections: 4 sections of
	 * a 256-byte "page", unit 512, starting 255 bytes into a page:
	 * 1 + 256 + 256 + 256 = 769 -> 512, which drops the last section. */
	const struct blkseg_limits small = {4, 256, 65536, 512};
	struct blkseg s[4];
	unsigned n;

	CHECK_EQ(blkseg_plan(0xFF, 4096, &small, s, &n), 512);
	CHECK_EQ(n, 3);
	CHECK_EQ(s[0].len + s[1].len + s[2].len, 512);
	CHECK_EQ(s[2].len, 255);
}

static void test_nothing_fits(void)
{
	struct blkseg s[16];
	unsigned n = 99;
	const struct blkseg_limits none = {0, 4096, 65536, 512};
	const struct blkseg_limits tiny = {1, 4096, 65536, 512};

	CHECK_EQ(blkseg_plan(0x1000, 0, &lim, s, &n), 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(blkseg_plan(0x1000, 511, &lim, s, &n), 0);
	CHECK_EQ(n, 0);
	CHECK_EQ(blkseg_plan(0x1000, 4096, &none, s, &n), 0);
	/* One section that starts 100 bytes before a page end: no unit. */
	CHECK_EQ(blkseg_plan(0x1F9C, 4096, &tiny, s, &n), 0);
	CHECK_EQ(n, 0);
}

static void test_whole_transfer(void)
{
	/* Plan a transfer request by request, from every start offset in a
	 * page (in steps of 4 bytes, plus odd ones): each request obeys the
	 * limits, and together they cover the buffer exactly. */
	for (uint32_t off = 0; off < 4096; off += (off < 16 ? 1 : 52)) {
		uint32_t addr = 0x40000 + off, len = 300 * 512;
		unsigned requests = 0;
		while (len > 0) {
			struct blkseg s[16];
			unsigned n;
			uint32_t got = blkseg_plan(addr, len, &lim, s, &n);
			if (!plan_ok(s, n, addr, got)) {
				CHECK(!"bad plan");
				break;
			}
			addr += got;
			len -= got;
			requests++;
		}
		CHECK_EQ(addr, 0x40000 + off + 300 * 512);
		CHECK(requests >= 3 && requests <= 3 + (off % 4096 != 0));
	}
}

int main(void)
{
	RUN(test_aligned_full_request);
	RUN(test_aligned_small);
	RUN(test_unaligned_cut_at_pages);
	RUN(test_worst_alignment);
	RUN(test_trim_drops_sections);
	RUN(test_nothing_fits);
	RUN(test_whole_transfer);
	return CHECK_DONE();
}
