/*
 * tests/unit/check_dma_test.c: check_dma_sections() (host/rules/check.c), the
 * two rule sets of docs/abi.md §6.2: guest-to-guest (inside memory, at
 * most 4096 bytes, no page crossing) and DMA the host services as the
 * Launcher (addr + len strictly below the top), with the list's end rules
 * (first len 0, or all 16 sections).
 */
#include <string.h>

#include "check.h"            /* the test framework (tests/unit/) */
#include "rules/check.h" /* the validators */

#define PAGES 4
static uint8_t m[PAGES * 4096];
static const struct gmem g = { .base = m, .ram_bytes = 3 * 4096, .pfnlimit = PAGES };
static char err[192];

static struct lguest_dma one(uint32_t addr, uint16_t len)
{
	struct lguest_dma d;

	memset(&d, 0, sizeof(d));
	d.addr[0] = addr;
	d.len[0] = len;
	return d;
}

static int g2g(const struct lguest_dma *d, uint32_t *total)
{
	return check_dma_sections(d, &g, true, total, err, sizeof(err));
}

static int dev(const struct lguest_dma *d, uint32_t *total)
{
	return check_dma_sections(d, &g, false, total, err, sizeof(err));
}

static void test_list_end(void)
{
	struct lguest_dma d;
	uint32_t total = 99;

	memset(&d, 0, sizeof(d));
	CHECK_EQ(g2g(&d, &total), 0); /* empty list */
	CHECK_EQ(total, 0);
	d.addr[0] = 0x100;
	d.len[0] = 10;
	d.addr[1] = 0xFFFFFFFF; /* after the terminator: never looked at */
	d.len[2] = 0xFFFF;
	CHECK_EQ(g2g(&d, &total), 0);
	CHECK_EQ(total, 10);
	CHECK_EQ(dev(&d, NULL), 0);
	/* All 16 in use, no terminator. */
	for (unsigned i = 0; i < 16; i++) {
		d.addr[i] = i * 256;
		d.len[i] = 256;
	}
	CHECK_EQ(g2g(&d, &total), 0);
	CHECK_EQ(total, 4096);
	CHECK_EQ(dev(&d, &total), 0);
	CHECK_EQ(total, 4096);
	d.addr[15] = PAGES * 4096; /* the 16th is checked too */
	CHECK_EQ(g2g(&d, &total), -1);
	CHECK(strncmp(err, "DMA section 15:", 15) == 0);
}

static void test_g2g_length_and_crossing(void)
{
	struct lguest_dma d = one(0x1000, 4096);

	CHECK_EQ(g2g(&d, NULL), 0);
	d = one(0x1000, 4097);
	CHECK_EQ(g2g(&d, NULL), -1);
	CHECK(strcmp(err, "DMA section 0: len 4097 is more than 4096") == 0);
	d = one(0x1FFF, 1);
	CHECK_EQ(g2g(&d, NULL), 0);
	d = one(0x1FFF, 2);
	CHECK_EQ(g2g(&d, NULL), -1);
	CHECK(strcmp(err, "DMA section 0: addr 0x1fff len 2 crosses a page "
		     "boundary") == 0);
	d = one(0x1800, 0x800);
	CHECK_EQ(g2g(&d, NULL), 0);
	d = one(0x1800, 0x801);
	CHECK_EQ(g2g(&d, NULL), -1);
	/* The device rules allow crossing and long sections. */
	d = one(0x1800, 0x2000);
	CHECK_EQ(dev(&d, NULL), 0);
}

static void test_g2g_range(void)
{
	struct lguest_dma d = one(PAGES * 4096 - 16, 16); /* ends at limit */

	CHECK_EQ(g2g(&d, NULL), 0);
	d = one(PAGES * 4096, 1);
	CHECK_EQ(g2g(&d, NULL), -1);
	CHECK(strcmp(err, "DMA section 0: addr 0x4000 len 1 is outside guest "
		     "memory (0x4 pages)") == 0);
	/* Device pages above RAM are guest memory too. */
	d = one(3 * 4096, 100);
	CHECK_EQ(g2g(&d, NULL), 0);
	/* Wraparound: 0xFFFFF000 + 0x1000 is 0 in 32 bits. */
	d = one(0xFFFFF000, 4096);
	CHECK_EQ(g2g(&d, NULL), -1);
}

static void test_device_range(void)
{
	struct lguest_dma d = one(PAGES * 4096 - 17, 16);

	CHECK_EQ(dev(&d, NULL), 0);
	/* Strictly below the top: ending exactly at it is refused, as the
	 * 2.6.23 Launcher did. */
	d = one(PAGES * 4096 - 16, 16);
	CHECK_EQ(dev(&d, NULL), -1);
	CHECK(strcmp(err, "DMA section 0: addr 0x3ff0 len 16 does not end "
		     "below the top of guest memory (0x4 pages)") == 0);
	d = one(0xFFFFFFFF, 2); /* wraps to 1 in 32 bits */
	CHECK_EQ(dev(&d, NULL), -1);
	d = one(0xFFFFF000, 0xFFFF);
	CHECK_EQ(dev(&d, NULL), -1);
	/* The error names the failing section's index. */
	struct lguest_dma two = one(0, 10);
	two.addr[1] = PAGES * 4096;
	two.len[1] = 1;
	CHECK_EQ(dev(&two, NULL), -1);
	CHECK(strncmp(err, "DMA section 1: addr 0x4000 len 1", 32) == 0);
}

static void test_totals(void)
{
	struct lguest_dma d;
	uint32_t total = 0;
	static uint8_t big[0x110000];
	struct gmem bg = { .base = big, .ram_bytes = sizeof(big), .pfnlimit = sizeof(big) / 4096 };

	memset(&d, 0, sizeof(d));
	for (unsigned i = 0; i < 16; i++) {
		d.addr[i] = i * 0x10000;
		d.len[i] = 0xFFFF;
	}
	CHECK_EQ(check_dma_sections(&d, &bg, false, &total, err, sizeof(err)),
		 0);
	CHECK_EQ(total, 16u * 0xFFFF);
	total = 7; /* a failed check leaves the total alone */
	CHECK_EQ(check_dma_sections(&d, &bg, true, &total, err, sizeof(err)),
		 -1);
	CHECK_EQ(total, 7);
}

int main(void)
{
	RUN(test_list_end);
	RUN(test_g2g_length_and_crossing);
	RUN(test_g2g_range);
	RUN(test_device_range);
	RUN(test_totals);
	return CHECK_DONE();
}
