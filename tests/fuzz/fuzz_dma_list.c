/*
 * tests/fuzz/fuzz_dma_list.c: check_dma_sections() (host/check.c) in both
 * modes on two guest-supplied struct lguest_dma, and dma_gather()
 * (host/dma_copy.c) on every pair the guest-to-guest rules accept, over
 * two small fake guest memories.
 *
 * Input: 100 bytes source lguest_dma, 100 bytes destination, one byte
 * picking each guest's size in pages (1..4), then guest memory bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "dma_copy.h"
#include "fuzz_expect.h"

#define MAX_PAGES 4
static uint8_t ma[MAX_PAGES * 4096], mb[MAX_PAGES * 4096];

/* Every section the device rules accept is readable through gmem. */
static void touch_sections(const struct gmem *g, const struct lguest_dma *d)
{
	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && d->len[i]; i++)
		EXPECT(gmem_ptr(g, d->addr[i], d->len[i]) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lguest_dma src, dst;
	struct gmem ga = { .base = ma }, gb = { .base = mb };
	uint32_t ts, td, tdev;
	char err[192];

	if (size < 2 * sizeof(struct lguest_dma) + 1)
		return 0;
	memcpy(&src, data, sizeof(src));
	memcpy(&dst, data + sizeof(src), sizeof(dst));
	ga.pfnlimit = 1 + (data[200] & 3);
	gb.pfnlimit = 1 + ((data[200] >> 2) & 3);
	ga.ram_bytes = ga.pfnlimit * 4096;
	gb.ram_bytes = gb.pfnlimit * 4096;
	size -= 201;
	memset(ma, 0, sizeof(ma));
	memcpy(ma, data + 201, size < sizeof(ma) ? size : sizeof(ma));
	memset(mb, 0xEE, sizeof(mb));

	if (check_dma_sections(&src, &ga, false, &tdev, err, sizeof(err)) == 0)
		touch_sections(&ga, &src);
	if (check_dma_sections(&dst, &gb, false, &tdev, err, sizeof(err)) == 0)
		touch_sections(&gb, &dst);
	if (check_dma_sections(&src, &ga, true, &ts, err, sizeof(err)) ||
	    check_dma_sections(&dst, &gb, true, &td, err, sizeof(err)))
		return 0;
	EXPECT(dma_gather(&gb, &dst, &ga, &src) == (ts < td ? ts : td));
	/* Same guest, overlapping lists: still exactly min(totals). */
	EXPECT(dma_gather(&ga, &src, &ga, &src) == ts);
	return 0;
}
