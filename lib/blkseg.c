/*
 * lib/blkseg.c: request planning (lib/blkseg.h). Greedy: each section runs
 * to the end of its page or the end of the budget, whichever is first;
 * then the total is cut back to whole units from the tail.
 */
#include "blkseg.h"

uint32_t blkseg_plan(uint32_t addr, uint32_t len,
		     const struct blkseg_limits *lim, struct blkseg *segs,
		     unsigned *nsegs)
{
	uint32_t budget = len < lim->max_bytes ? len : lim->max_bytes;
	uint32_t total = 0;
	unsigned n = 0;

	*nsegs = 0;
	if (lim->unit == 0 || lim->page_size == 0)
		return 0;
	while (n < lim->max_segs && total < budget) {
		uint32_t a = addr + total;
		uint32_t room = lim->page_size - a % lim->page_size;
		uint32_t take = budget - total < room ? budget - total : room;
		segs[n].addr = a;
		segs[n].len = take;
		n++;
		total += take;
	}
	/* Whole units only: trim the tail, dropping emptied sections. */
	uint32_t excess = total % lim->unit;
	total -= excess;
	while (excess > 0) {
		if (segs[n - 1].len > excess) {
			segs[n - 1].len -= excess;
			excess = 0;
		} else {
			excess -= segs[n - 1].len;
			n--;
		}
	}
	if (total == 0)
		return 0;
	*nsegs = n;
	return total;
}
