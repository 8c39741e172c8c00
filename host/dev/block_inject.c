/*
 * host/dev/block_inject.c: the block faults a test may ask the host for
 * (inject=blk-fail, blk-stall, blk-short; host/core/inject.c,
 * docs/host-design.md "Fault injection"), applied to a request that
 * passed every check, before it goes to the disk (block_inject()).
 *
 *  - blk-fail:N: every Nth request fails, result 2, with nothing moved;
 *    and a request just like the failed one sent right after it (a
 *    guest's retry) fails too, as a bad block would: so a guest's
 *    bounded retries end in its error message, not in success.
 *  - blk-stall:N: every Nth request with data goes to the disk as usual,
 *    but its completion is kept from the guest until the request's
 *    deadline (blkstall=), where the disk's stall path (block_queue.c
 *    H:730) answers it result 2 and, finding the disk done, puts it back
 *    in service at once: the guest sees exactly a disk that stalled.
 *  - blk-short:N: every Nth read moves only its first half, in whole
 *    sectors (none for a one-sector read), and is answered result 1
 *    with that used_len: the rest of the guest's buffer is untouched, so
 *    a guest that took the read as whole would check stale bytes.
 */
#include <stdio.h>

#include "arch/log.h"
#include "dev/block_queue.h"

/* Keep the first `bytes` bytes of segs[0..*nseg), in whole segments and
 * one cut short. */
static void trim(struct vblk_seg *segs, unsigned *nseg, uint32_t bytes)
{
	unsigned n = 0;

	while (n < *nseg && bytes) {
		if (segs[n].len > bytes)
			segs[n].len = bytes;
		bytes -= segs[n].len;
		n++;
	}
	*nseg = n;
}

static void say(const struct block_dev *b, const char *mode,
		const struct blk_req *r, const char *what)
{
	hlog("guest %u: block device %u (--block=%s): inject %s: %s of %lu "
	     "bytes at sector %lu: %s\n", guest_id(b->g), b->index, b->name,
	     mode, r->is_write ? "write" : "read", (unsigned long)r->bytes,
	     (unsigned long)r->sector, what);
}

bool block_inject(struct block_dev *b, struct blk_req *r,
		  struct vblk_seg *segs, unsigned *nseg)
{
	bool same = b->bad_set && b->bad.is_write == r->is_write &&
		b->bad.sector == r->sector && b->bad.bytes == r->bytes;

	if (same) {
		inject_note(INJECT_BLK_FAIL, 0);
		say(b, "blk-fail", r, "the same request again; result 2");
		blkq_answer(b, r, false);
		return true;
	}
	b->bad_set = false;
	if (inject_should(INJECT_BLK_FAIL, INJECT_SITE_BLOCK)) {
		b->bad = *r;
		b->bad_set = true;
		say(b, "blk-fail", r, "result 2");
		blkq_answer(b, r, false);
		return true;
	}
	if (!*nseg)
		return false;	/* moves nothing: nothing to stall or cut */
	if (blkq_stall_ms() &&
	    inject_should(INJECT_BLK_STALL, INJECT_SITE_BLOCK)) {
		r->inject_stall = true;
		say(b, "blk-stall", r, "held to its deadline");
	}
	if (!r->is_write &&
	    inject_should(INJECT_BLK_SHORT, INJECT_SITE_BLOCK)) {
		uint32_t keep = r->bytes / 2 / LGUEST_BLOCK_SECTOR_SIZE *
				LGUEST_BLOCK_SECTOR_SIZE;
		char what[48];
		snprintf(what, sizeof(what), "only %lu moved; result 1",
			 (unsigned long)keep);
		say(b, "blk-short", r, what);
		trim(segs, nseg, keep);
		r->bytes = keep;
	}
	return false;
}
