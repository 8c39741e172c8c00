/*
 * tests/fuzz/fuzz_reach.h: the property that protects the host from a
 * range it accepted: the walk of host/rules/gmem.h reaches every byte of
 * it, in order, and nothing else. Each piece must lie wholly inside the
 * guest's own buffer or one of its shared pages, the pieces must add up
 * to the range, and their first and last bytes are read (ASan sees any
 * byte outside the buffers). A range the validators accepted and the walk
 * refused is the hole "accepted but not reachable" (a NULL pointer, once).
 */
#ifndef LGREF_TESTS_FUZZ_FUZZ_REACH_H
#define LGREF_TESTS_FUZZ_FUZZ_REACH_H

#include <stdint.h>

#include "rules/gmem.h"
#include "fuzz_expect.h"

/* Does [p, p + len) lie inside [lo, lo + size)? */
static inline int fuzz_inside(const uint8_t *p, uint32_t len, const uint8_t *lo,
			      uint64_t size)
{
	return p >= lo && (uint64_t)(p - lo) + len <= size;
}

static inline void expect_reachable(const struct gmem *g, uint32_t at,
				    uint32_t len)
{
	struct gmem_walk w;
	struct gmem_piece p;
	uint64_t seen = 0;

	EXPECT(gmem_walk_start(&w, g, gpa(at), len) == 0);
	while (gmem_walk_next(&w, &p)) {
		int ok = fuzz_inside(p.host, p.len, g->base, gmem_limit(g));
		for (unsigned i = 0; i < g->nshared && !ok; i++)
			ok = fuzz_inside(p.host, p.len, g->shared_page[i],
					 GMEM_PAGE_SIZE);
		EXPECT(ok && p.len > 0);
		/* The piece is where the guest address says: its own page
		 * at base + gpa, or inside a shared page. */
		if (fuzz_inside(p.host, p.len, g->base, gmem_limit(g)))
			EXPECT((uint64_t)(p.host - g->base) == at + seen);
		volatile uint8_t sink = p.host[0] ^ p.host[p.len - 1];
		(void)sink;
		seen += p.len;
	}
	EXPECT(seen == len);
}

#endif
