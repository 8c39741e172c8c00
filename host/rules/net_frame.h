/*
 * host/rules/net_frame.h: the rules for one frame of a --tunnet device
 * (docs/abi.md §8.3), as pure functions over copies, like
 * host/rules/blk_request.h for block requests: what a guest may send to the
 * outside, whether a receive buffer it bound is usable, and the copy of a
 * received frame into that buffer. host/dev/tunnet.c copies the guest's
 * lguest_dma once and calls these; the unit test and the fuzzer call the
 * same functions. No NIC and no guest state here.
 */
#ifndef LGREF_HOST_NET_FRAME_H
#define LGREF_HOST_NET_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include <lguest/launcher.h>

#include "rules/gmem.h"

/* One piece of a frame in guest memory, in order. */
struct net_frame_seg {
	gpa_t gpa;
	uint32_t len;
};

/* A send that passed every check. */
struct net_frame_send {
	uint32_t bytes;		/* frame length: sum of seg[].len */
	unsigned nseg;		/* 1..16 */
	struct net_frame_seg seg[LGUEST_MAX_DMA_SECTIONS];
};

/*
 * A guest's SEND_DMA to the outside (dma is the host's copy). Rules, in
 * this order:
 *  1. the sections lie in guest memory by the Launcher rule of
 *     docs/abi.md §6.2 (addr and addr + len strictly below the top;
 *     sections may cross pages);
 *  2. the frame holds at least an Ethernet header (14 bytes);
 *  3. and at most 14 + MTU 1500 = 1514 bytes, what any lguest guest can
 *     receive (LGUEST_NET_BUF_SIZE).
 * A section may run from a page shared with other guests into the next,
 * as the 2.6.23 Launcher's memory allowed: the sender walks it in pieces
 * (host/rules/gmem.h).
 * Returns 0 and fills *out, or -1 with err naming the rule and value.
 */
int net_frame_check_send(const struct lguest_dma *dma, const struct gmem *g,
			 struct net_frame_send *out, char *err, size_t errlen);

/*
 * A receive buffer the guest bound (dma is the host's copy): its sections
 * must lie in guest memory by the same Launcher rule. *capacity gets the
 * bytes they hold (0 is possible: such a buffer takes no frame). Returns
 * 0, or -1 with err.
 */
int net_frame_check_buffer(const struct lguest_dma *dma, const struct gmem *g,
			   uint32_t *capacity, char *err, size_t errlen);

/*
 * Copy len bytes of frame into the sections of dma (which passed
 * net_frame_check_buffer() with capacity >= len), in order. Returns the
 * bytes copied: len, or fewer only if a section is (still) outside g,
 * where the copy stops. Does not touch used_len.
 */
uint32_t net_frame_scatter(const struct gmem *g, const struct lguest_dma *dma,
			   const uint8_t *frame, uint32_t len);

#endif
