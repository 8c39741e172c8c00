/*
 * host/rules/blk_request.h: the rules for one lguest block request (docs/abi.md
 * §8.2), as a pure function over copies: the request fields of the
 * device page, the SEND_DMA's lguest_dma and the claimed reply buffer.
 * host/dev/block.c copies those once, calls blk_request_check(), and only
 * then lets the disk touch guest memory. The unit test and the fuzzer
 * call the same function.
 */
#ifndef LGREF_HOST_BLK_REQUEST_H
#define LGREF_HOST_BLK_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lguest/launcher.h>

#include "rules/gmem.h"

/* One piece of guest memory the disk reads or writes, in order. */
struct blk_segment {
	gpa_t gpa;
	uint32_t len;
};

/* A request that passed every check. */
struct blk_request {
	bool is_write;
	uint32_t sector;	/* first sector */
	uint32_t bytes;		/* = the sum of seg[].len, a multiple of 512 */
	unsigned nseg;		/* 0 only when bytes is 0 */
	struct blk_segment seg[LGUEST_MAX_DMA_SECTIONS];
};

/* What the guest was told about the disk. */
struct blk_disk {
	uint32_t num_sectors;	/* the block page's num_sectors */
	bool read_only;
};

/*
 * Check one request. page is the guest's request (type, sector, bytes;
 * result and num_sectors are ignored), send the SEND_DMA's lguest_dma,
 * reply the reply buffer claimed GETDMA-style, or NULL when the guest has
 * none bound. The rules, in this order (the first broken one is
 * reported):
 *  1. the send's sections lie in guest memory (the Launcher rule of
 *     docs/abi.md §6.2: addr and addr + len strictly below the top; pages
 *     may be crossed), whatever the type — the 2.6.23 Launcher checked
 *     every send before looking at its key;
 *  2. type is 0 (read) or 1 (write);
 *  3. sector < num_sectors (the 2.6.23 Launcher exited here);
 *  4. a reply buffer is bound (it exited here too);
 *  5. bytes is a multiple of 512;
 *  6. the request ends at or before num_sectors (a write past the end
 *     made it exit, a read past the end was short);
 *  7. a write goes to a read-write disk;
 *  8. the data sections (a write's: the send's; a read's: the reply's, in
 *     guest memory by the rule of 1) hold exactly `bytes` bytes.
 * A bytes of 0 with no data sections passes (nothing to move; the 2.6.23
 * Launcher reported such a request as complete).
 * Returns 0 and fills *out, or -1 with one line in err naming the field
 * and the values (out is then unspecified).
 */
int blk_request_check(const struct lguest_block_page *page,
		      const struct lguest_dma *send,
		      const struct lguest_dma *reply, const struct gmem *g,
		      const struct blk_disk *disk, struct blk_request *out,
		      char *err, size_t errlen);

#endif
