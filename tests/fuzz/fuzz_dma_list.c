/*
 * tests/fuzz/fuzz_dma_list.c: check_dma_sections() (host/rules/check.c) in
 * both modes on two guest-supplied struct lguest_dma, over two small fake
 * guest memories, each with up to two of its pages replaced by pages
 * shared with other guests (--sharenet pages, host/rules/gmem.h); and
 * dma_gather() (host/rules/dma_copy.c) on every pair the guest-to-guest
 * rules accept. The property: every section either rule set accepts is
 * reachable through the walk, all of it and nothing else (fuzz_reach.h),
 * and a gather copies exactly the smaller total.
 *
 * Input: 100 bytes source lguest_dma, 100 bytes destination, one byte
 * picking each guest's size in pages (1..4), one byte picking its shared
 * pages, then guest memory bytes.
 *
 * Security: host memory and CPU | any two DMA section lists, with shared pages, under both rule sets | every accepted section reachable through the walk, all of it; a copy moves exactly the smaller total
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rules/check.h"
#include "rules/dma_copy.h"
#include "fuzz_expect.h"
#include "fuzz_reach.h"

#define MAX_PAGES 4
static uint8_t ma[MAX_PAGES * 4096], mb[MAX_PAGES * 4096];
static uint8_t lan[2][4096];	/* shared pages, both guests may have them */

/* Every section the rules accept is reachable, all of it. */
static void reach_sections(const struct gmem *g, const struct lguest_dma *d)
{
	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && d->len[i]; i++)
		expect_reachable(g, d->addr[i], d->len[i]);
}

/* Bits 0-2 of `pick`: share page (bits & 3) with lan[0] if bit 2 is set;
 * bits 3-5 the same with lan[1]. gmem_share_page() refuses a page twice
 * or past pfnlimit, which is fine: the refusal is part of what runs. */
static void share_pages(struct gmem *g, uint8_t pick)
{
	for (unsigned k = 0; k < 2; k++, pick >>= 3)
		if (pick & 4)
			gmem_share_page(g, pick & 3, lan[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lguest_dma src, dst;
	struct gmem ga = { .base = ma }, gb = { .base = mb };
	uint32_t ts, td, tdev;
	char err[192];

	if (size < 2 * sizeof(struct lguest_dma) + 2)
		return 0;
	memcpy(&src, data, sizeof(src));
	memcpy(&dst, data + sizeof(src), sizeof(dst));
	ga.pfnlimit = 1 + (data[200] & 3);
	gb.pfnlimit = 1 + ((data[200] >> 2) & 3);
	ga.ram_bytes = ga.pfnlimit * 4096;
	gb.ram_bytes = gb.pfnlimit * 4096;
	share_pages(&ga, data[201]);
	share_pages(&gb, (uint8_t)(data[201] >> 6 | data[201] << 2));
	size -= 202;
	memset(ma, 0, sizeof(ma));
	memcpy(ma, data + 202, size < sizeof(ma) ? size : sizeof(ma));
	memset(mb, 0xEE, sizeof(mb));

	if (check_dma_sections(&src, &ga, false, &tdev, err, sizeof(err)) == 0)
		reach_sections(&ga, &src);
	if (check_dma_sections(&dst, &gb, false, &tdev, err, sizeof(err)) == 0)
		reach_sections(&gb, &dst);
	if (check_dma_sections(&src, &ga, true, &ts, err, sizeof(err)) ||
	    check_dma_sections(&dst, &gb, true, &td, err, sizeof(err)))
		return 0;
	reach_sections(&ga, &src);
	reach_sections(&gb, &dst);
	EXPECT(dma_gather(&gb, &dst, &ga, &src) == (ts < td ? ts : td));
	/* Same guest, overlapping lists: still exactly min(totals). */
	EXPECT(dma_gather(&ga, &src, &ga, &src) == ts);
	return 0;
}
