/*
 * host/core/dma_peer.c: SEND_DMA from one guest to another (host/core/dma_peer.h),
 * step for step as docs/abi.md §6.4 b describes the 2.6.23 host: one
 * candidate binding, the cursor, the first free buffer, the copy, the two
 * used_len writes, the IRQ even when nothing was free, and one retry.
 */
#include <string.h>

#include "rules/check.h"
#include "rules/dma_copy.h"
#include "core/dma_peer.h"
#include "arch/log.h"

uintptr_t dma_peer_identity(const struct guest *g, gpa_t key)
{
	uintptr_t identity;

	return gmem_shared_identity(&g->mem, key, &identity) ? 0 : identity;
}

/* The candidate: the newest live binding, of any guest but the sender,
 * whose key names the same host memory. Only it is considered. */
static struct dma_binding *candidate(const struct guest *sender,
				     uintptr_t identity, struct guest **owner)
{
	struct dma_binding *best = NULL;

	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		struct guest *o = &guests[i];
		if (o == sender || o->state == GUEST_FREE || guest_dead(o))
			continue;
		for (unsigned j = 0; j < LGUEST_MAX_DMA; j++) {
			struct dma_binding *b = &o->dma[j];
			if (b->irq && b->identity == identity &&
			    (!best || b->serial > best->serial)) {
				best = b;
				*owner = o;
			}
		}
	}
	return best;
}

enum attempt { SENT, FAILED, NO_BUFFER, NO_PEER };

/*H:420 One try at a guest-to-guest send. The receiver's array is searched
 * from its cursor for a buffer with used_len 0; the cursor then moves on by
 * one from where it was, even if the buffer used lay further on (so it can
 * lag; 2.6.23 does the same). Both lists are checked (the receiver's
 * first) before a byte moves, and a bad list kills its owner. :*/
static enum attempt try_send(struct guest *g, gpa_t dma_gpa,
			     const struct lguest_dma *src, uintptr_t identity)
{
	struct guest *dst_g = NULL;
	struct dma_binding *b = candidate(g, identity, &dst_g);
	char err[160];

	if (!b)
		return NO_PEER;
	/* At most DMA_SCAN_MAX entries from the cursor (our bound on the
	 * receiver's array, docs/abi.md §14.1: a sender pays for them). */
	unsigned look = b->count < DMA_SCAN_MAX ? b->count : DMA_SCAN_MAX;
	for (unsigned n = 0; n < look; n++) {
		unsigned i = (b->next + n) % b->count;
		gpa_t at = gpa_add(b->array, i * (uint32_t)sizeof(*src));
		struct lguest_dma dst;
		if (gmem_read(&dst_g->mem, at, &dst, sizeof(dst))) {
			guest_kill(dst_g, "bad receive DMA array entry at %#x "
				   "(key %#x)", gpa_val(at), gpa_val(b->key));
			return FAILED;	/* the sender's used_len untouched */
		}
		if (dst.used_len != 0)
			continue;

		uint32_t src_total = 0, copied = 0;
		if (check_dma_sections(&dst, &dst_g->mem, true, NULL, err,
				       sizeof(err))) {
			guest_kill(dst_g, "bad receive DMA buffer at %#x: %s",
				   gpa_val(at), err);
		} else if (check_dma_sections(src, &g->mem, true, &src_total,
					      err, sizeof(err))) {
			guest_kill(g, "SEND_DMA: bad DMA buffer at %#x: %s",
				   gpa_val(dma_gpa), err);
		} else {
			copied = dma_gather(&dst_g->mem, &dst, &g->mem, src);
		}
		if (copied == 0 && (src_total != 0 || guest_dead(g) ||
				    guest_dead(dst_g))) {
			/* Nothing moved from something: a failure. */
			gmem_write32(&g->mem, dma_gpa, 0);
			return FAILED;
		}
		gmem_write32(&g->mem, dma_gpa, copied);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* data, then len */
		gmem_write32(&dst_g->mem, at, copied);
		b->next = (uint16_t)((b->next + 1) % b->count);
		guest_raise_irq(dst_g, b->irq);
		return SENT;
	}
	/* Nothing free: wake the receiver so that it refills. */
	guest_raise_irq(dst_g, b->irq);
	return NO_BUFFER;
}

void dma_peer_send(struct guest *g, uintptr_t identity, gpa_t dma_gpa,
		   const struct lguest_dma *dma)
{
	/* Tried twice when no buffer was free: the 2.6.23 host dropped its
	 * locks in between so that another CPU could refill. With one CPU
	 * nothing changes meanwhile, but the second try is cheap and keeps
	 * the rule. */
	for (int attempt = 0; attempt < 2; attempt++)
		if (try_send(g, dma_gpa, dma, identity) != NO_BUFFER)
			return;
	if (g->args.verbose)
		hlog("guest %u: SEND_DMA: no free buffer at the peer; "
		     "dropped\n", g->id);
}
