/*
 * host/rules/dma_copy.c: the guest-to-guest byte copy (see dma_copy.h).
 * Two cursors walk the source and destination section lists, each section
 * through a gmem walk (host/rules/gmem.h), so every byte is reached the
 * one checked way, shared pages included; each step copies the largest
 * chunk that is contiguous on both sides.
 */
#include <string.h>

#include "rules/dma_copy.h"

/* A position inside a section list. */
struct dma_cursor {
	const struct gmem *mem;
	const struct lguest_dma *dma;
	unsigned section;	/* next section to walk */
	struct gmem_walk walk;	/* the section being walked */
	struct gmem_piece piece; /* what is left of its current piece */
};

/* Make c->piece non-empty: the rest of the current piece, or the next
 * piece, or the first piece of the next section. False at the end of the
 * list, or at a section outside guest memory (the copy stops there). */
static bool cursor_fill(struct dma_cursor *c)
{
	while (c->piece.len == 0) {
		if (gmem_walk_next(&c->walk, &c->piece))
			continue;
		if (c->section >= LGUEST_MAX_DMA_SECTIONS ||
		    c->dma->len[c->section] == 0)
			return false;
		if (gmem_walk_start(&c->walk, c->mem,
				    gpa(c->dma->addr[c->section]),
				    c->dma->len[c->section]))
			return false;
		c->section++;
	}
	return true;
}

static void cursor_init(struct dma_cursor *c, const struct gmem *mem,
			const struct lguest_dma *dma)
{
	c->mem = mem;
	c->dma = dma;
	c->section = 0;
	c->walk.left = 0;	/* nothing to walk until the first section */
	c->piece.len = 0;
}

uint32_t dma_gather(const struct gmem *dst_mem, const struct lguest_dma *dst,
		    const struct gmem *src_mem, const struct lguest_dma *src)
{
	struct dma_cursor s, d;
	uint32_t copied = 0;

	cursor_init(&s, src_mem, src);
	cursor_init(&d, dst_mem, dst);
	while (cursor_fill(&s) && cursor_fill(&d)) {
		uint32_t n = s.piece.len < d.piece.len ? s.piece.len
						       : d.piece.len;
		memmove(d.piece.host, s.piece.host, n);
		s.piece.host += n;
		s.piece.len -= n;
		d.piece.host += n;
		d.piece.len -= n;
		copied += n;
	}
	return copied;
}
