/*
 * host/core/dma_peer.c: SEND_DMA from one guest to another (host/core/dma_peer.h),
 * step for step as docs/abi.md §6.4 b describes the 2.6.23 host: one
 * candidate binding, the cursor, the first free buffer, the copy, the two
 * used_len writes, the IRQ even when nothing was free, and one retry.
 */
#include <string.h>

#include "arch/hot.h"
#include "rules/check.h"
#include "rules/dma_copy.h"
#include "core/dma_peer.h"
#include "arch/log.h"

/* net-reorder's frame held back (host/core/inject.c), and the LAN key it
 * was sent to. */
static struct {
	struct inject_frame f;
	uintptr_t identity;
	struct guest *sender;
} held;

static uint32_t binding_serial;	/* the newest binding's */

uint32_t dma_peer_new_serial(void)
{
	return ++binding_serial;
}

DMA_HOT_TEXT uintptr_t dma_peer_identity(const struct guest *g, gpa_t key)
{
	uintptr_t identity;

	return gmem_shared_identity(&g->mem, key, &identity) ? 0 : identity;
}

/* Is memo m still the candidate for a send to `identity`? Bindings only
 * come (with a new serial) and go (their slot is cleared, or their owner
 * dies): while no binding has been made since, the newest live one found
 * then is the newest now, if it is still live and its owner still runs. */
DMA_HOT_TEXT static bool memo_holds(const struct dma_peer_memo *m, uintptr_t identity,
		       uint32_t newest)
{
	return m->identity == identity && m->newest == newest &&
	       m->b->irq && m->b->serial == m->serial &&
	       m->b->identity == identity && m->owner->state != GUEST_FREE &&
	       !guest_dead(m->owner);
}

/*H:415 The candidate: the newest live binding, of any guest but the
 * sender, whose key names the same host memory. Only it is considered.
 * Finding it means looking at every binding of every guest, a page of
 * host memory per guest, and a LAN's sender sends to the same few keys
 * again and again: so each sender keeps a memo of its last few answers,
 * each used only while it provably still holds (memo_holds()). :*/
DMA_HOT_TEXT static struct dma_binding *candidate(struct guest *sender,
				     uintptr_t identity, struct guest **owner)
{
	struct dma_binding *best = NULL;
	uint32_t newest = binding_serial;

	for (unsigned k = 0; k < DMA_PEER_MEMOS; k++) {
		struct dma_peer_memo *m = &sender->peer_memo[k];
		if (memo_holds(m, identity, newest)) {
			*owner = m->owner;
			return m->b;
		}
	}

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
	if (best) {
		struct dma_peer_memo *m = &sender->peer_memo[
			sender->peer_memo_next++ % DMA_PEER_MEMOS];
		*m = (struct dma_peer_memo){identity, best, *owner,
					    best->serial, newest};
	}
	return best;
}

enum attempt { SENT, FAILED, NO_BUFFER, NO_PEER };

/* Raise the receiver's IRQ; if it is halted, or a guest that handed the
 * CPU on in this turn and waits to go on, the sender offers it the CPU
 * for when this hypercall is served (H:145: the run loop takes the offer
 * if the IRQ would wake it), so that a frame (or a full ring) is seen at
 * once, not at the end of the sender's slice. Never for the held frame
 * of net-reorder, whose "sender" is not running. */
DMA_HOT_TEXT static void wake_receiver(struct guest *g, struct guest *dst_g, unsigned irq,
			  bool from_sender)
{
	guest_raise_irq(dst_g, irq);
	if (from_sender && !guest_dead(dst_g) &&
	    (dst_g->state == GUEST_HALTED || dst_g->handed_off))
		g->yield_to = dst_g;
}

/*H:420 One try at a guest-to-guest send. The receiver's array is searched
 * from its cursor for a buffer with used_len 0; the cursor then moves on by
 * one from where it was, even if the buffer used lay further on (so it can
 * lag; 2.6.23 does the same). Both lists are checked (the receiver's
 * first) before a byte moves, and a bad list kills its owner. :*/
DMA_HOT_TEXT static enum attempt try_send(struct guest *g, const struct gmem *src_mem,
			     const struct lguest_dma *src, const gpa_t *used_at,
			     uintptr_t identity)
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
		} else if (check_dma_sections(src, src_mem, true, &src_total,
					      err, sizeof(err))) {
			guest_kill(g, "SEND_DMA: bad DMA buffer at %#x: %s",
				   used_at ? gpa_val(*used_at) : 0, err);
		} else {
			copied = dma_gather(&dst_g->mem, &dst, src_mem, src);
		}
		if (copied == 0 && (src_total != 0 || guest_dead(g) ||
				    guest_dead(dst_g))) {
			/* Nothing moved from something: a failure. */
			if (used_at)
				gmem_write32(&g->mem, *used_at, 0);
			return FAILED;
		}
		if (used_at)
			gmem_write32(&g->mem, *used_at, copied);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* data, then len */
		gmem_write32(&dst_g->mem, at, copied);
		b->next = (uint16_t)((b->next + 1) % b->count);
		wake_receiver(g, dst_g, b->irq, used_at != NULL);
		return SENT;
	}
	/* Nothing free: wake the receiver so that it refills. */
	wake_receiver(g, dst_g, b->irq, used_at != NULL);
	return NO_BUFFER;
}

/* The 2.6.23 send: tried twice when no buffer was free (the host dropped
 * its locks in between so that another CPU could refill). With one CPU
 * nothing changes meanwhile, but the second try is cheap and keeps the
 * rule. */
DMA_HOT_TEXT static enum attempt send_twice(struct guest *g, const struct gmem *src_mem,
			       const struct lguest_dma *dma,
			       const gpa_t *used_at, uintptr_t identity)
{
	enum attempt a = NO_BUFFER;

	for (int attempt = 0; attempt < 2 && a == NO_BUFFER; attempt++)
		a = try_send(g, src_mem, dma, used_at, identity);
	if (a == NO_BUFFER && g->args.verbose)
		hlog("guest %u: SEND_DMA: no free buffer at the peer; "
		     "dropped\n", g->id);
	return a;
}

/* The held frame as a send: its bytes are the memory of a one-page
 * "guest", one section from 0. */
static enum attempt send_held(void)
{
	struct gmem mem = { .base = held.f.data, .ram_bytes = GMEM_PAGE_SIZE,
			    .pfnlimit = 1 };
	struct lguest_dma dma;

	_Static_assert(INJECT_FRAME_MAX <= GMEM_PAGE_SIZE, "one page");
	memset(&dma, 0, sizeof(dma));
	dma.len[0] = (uint16_t)held.f.len;
	held.f.full = false;
	return send_twice(held.sender, &mem, &dma, NULL, held.identity);
}

/*H:430 A test's faults on a LAN (host/core/inject.c): the frame is
 * dropped (the sender is told it went: a wire lost it), or held back
 * until the next frame to the same key has gone, or delivered twice.
 * The sender's list is checked as for any send; a bad one still kills. :*/
static void send_injected(struct guest *g, uintptr_t identity, gpa_t dma_gpa,
			  const struct lguest_dma *dma)
{
	struct guest *owner;
	uint32_t total = 0;
	char err[160];

	if (!candidate(g, identity, &owner))
		return;		/* nobody to send to: no frame moved */
	bool drop = inject_should(INJECT_NET_DROP, INJECT_SITE_PEER);
	bool hold = !drop && !held.f.full &&
		inject_should(INJECT_NET_REORDER, INJECT_SITE_PEER);
	if (drop || hold) {
		if (check_dma_sections(dma, &g->mem, true, &total, err,
				       sizeof(err))) {
			guest_kill(g, "SEND_DMA: bad DMA buffer at %#x: %s",
				   gpa_val(dma_gpa), err);
			return;
		}
		if (hold && total > INJECT_FRAME_MAX)
			hold = false;	/* too big to hold: sent as it is */
	}
	if (hold) {
		struct gmem mem = { .base = held.f.data,
				    .ram_bytes = GMEM_PAGE_SIZE, .pfnlimit = 1 };
		struct lguest_dma to;
		memset(&to, 0, sizeof(to));
		to.len[0] = INJECT_FRAME_MAX;
		held.f.len = dma_gather(&mem, &to, &g->mem, dma);
		inject_frame_hold(&held.f, held.f.data, held.f.len);
		held.identity = identity;
		held.sender = g;
		gmem_write32(&g->mem, dma_gpa, total);	/* "it went" */
		return;
	}
	if (drop) {
		gmem_write32(&g->mem, dma_gpa, total);	/* "it went" */
	} else if (send_twice(g, &g->mem, dma, &dma_gpa, identity) == SENT &&
		   inject_should(INJECT_NET_DUP, INJECT_SITE_PEER) &&
		   send_twice(g, &g->mem, dma, &dma_gpa, identity) != SENT) {
		inject_note(INJECT_NET_DUP, 0);	/* no buffer for the copy */
	}
	if (held.f.full && held.identity == identity && !guest_dead(g))
		inject_note(INJECT_NET_REORDER, send_held() == SENT ? 0 : 2);
}

DMA_HOT_TEXT void dma_peer_send(struct guest *g, uintptr_t identity, gpa_t dma_gpa,
		   const struct lguest_dma *dma)
{
	if (inject_modes_on & INJECT_NET_MODES) {
		send_injected(g, identity, dma_gpa, dma);
		return;
	}
	send_twice(g, &g->mem, dma, &dma_gpa, identity);
}

void dma_peer_poll_held(void)
{
	if (held.f.full && inject_frame_due(&held.f))
		inject_note(INJECT_NET_REORDER, send_held() == SENT ? 1 : 2);
}
