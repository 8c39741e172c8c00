/*
 * host/dma_copy.c: the guest-to-guest byte copy (see dma_copy.h). Two
 * cursors walk the source and destination section lists; each step copies
 * the largest chunk that stays inside the current section of both. All
 * guest memory is reached through gmem_ptr(), so even a list that skipped
 * validation cannot reach outside its guest.
 */
#include <string.h>

#include "dma_copy.h"

/* A position inside a section list. */
struct dma_cursor {
	const struct lguest_dma *dma;
	unsigned section;
	uint32_t offset; /* bytes already used of that section */
};

/* Bytes left in the current section; 0 when the list has ended. */
static uint32_t dma_cursor_left(struct dma_cursor *c)
{
	while (c->section < LGUEST_MAX_DMA_SECTIONS &&
	       c->dma->len[c->section] != 0) {
		if (c->offset < c->dma->len[c->section])
			return c->dma->len[c->section] - c->offset;
		c->section++;
		c->offset = 0;
	}
	return 0;
}

/* Guest-physical address of the cursor: addr + offset, mod 2^32. */
static uint32_t dma_cursor_gpa(const struct dma_cursor *c)
{
	return c->dma->addr[c->section] + c->offset;
}

uint32_t dma_gather(const struct gmem *dst_mem, const struct lguest_dma *dst,
		    const struct gmem *src_mem, const struct lguest_dma *src)
{
	struct dma_cursor s = { src, 0, 0 }, d = { dst, 0, 0 };
	uint32_t copied = 0;

	for (;;) {
		uint32_t sl = dma_cursor_left(&s), dl = dma_cursor_left(&d);
		uint32_t n = sl < dl ? sl : dl;
		const void *from;
		void *to;

		if (n == 0)
			return copied;
		/* gmem refuses chunks outside the guest; the last two tests
		 * refuse an addr + offset that wrapped past 4 GiB. */
		from = gmem_ptr(src_mem, dma_cursor_gpa(&s), n);
		to = gmem_ptr(dst_mem, dma_cursor_gpa(&d), n);
		if (!from || !to || dma_cursor_gpa(&s) < src->addr[s.section] ||
		    dma_cursor_gpa(&d) < dst->addr[d.section])
			return copied;
		memmove(to, from, n);
		copied += n;
		s.offset += n;
		d.offset += n;
	}
}
