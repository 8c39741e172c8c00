/*
 * host/core/dma.c: BIND_DMA, SEND_DMA and GETDMA (docs/abi.md §6).
 * Bindings live in a fixed table per guest. A send to a key in memory
 * shared with other guests goes to one of them (host/core/dma_peer.c);
 * any other goes to whichever of the sender's devices owns the key. In
 * lgref the host is also the Launcher, so device sends are served here,
 * and their used_len is final before the hypercall returns, as the ABI
 * promises (a block request's result may follow later, with its IRQ).
 */
#include <string.h>

#include "arch/hot.h"
#include "arch/log.h"
#include "core/devices.h"
#include "core/dma.h"
#include "core/dma_peer.h"
#include "rules/check.h"

uint32_t dma_bind(struct guest *g, uint32_t key, uint32_t array_gpa,
		  uint32_t ecx)
{
	unsigned count, irq;

	switch (check_bind_dma_args(key, ecx, &count, &irq)) {
	case BIND_RETURN_0:
		return 0;
	case BIND_KILL:
		guest_kill(g, "BIND_DMA: bad dma key %#x (not a multiple of 4)",
			   key);
		return 0;
	case BIND_OK:
		break;
	}
	char err[128];
	if (check_dma_key_in(&g->mem, key, err, sizeof(err))) {
		guest_kill(g, "BIND_DMA: bad dma key: %s", err);
		return 0;
	}
	if (irq == 0) {
		/* Unbind: only live bindings match (docs/abi.md §14). */
		for (unsigned i = 0; i < LGUEST_MAX_DMA; i++) {
			struct dma_binding *b = &g->dma[i];
			if (b->irq && gpa_val(b->key) == key &&
			    gpa_val(b->array) == array_gpa) {
				memset(b, 0, sizeof(*b));
				return 1;
			}
		}
		return 0;
	}
	for (unsigned i = 0; i < LGUEST_MAX_DMA; i++) {
		struct dma_binding *b = &g->dma[i];
		if (b->irq)
			continue;
		memset(b, 0, sizeof(*b));
		b->key = gpa(key);
		b->array = gpa(array_gpa);
		b->count = (uint16_t)count;
		b->irq = (uint8_t)irq;
		b->next = 0;
		b->serial = dma_peer_new_serial();
		b->identity = dma_peer_identity(g, gpa(key));
		g->dma_binds++;
		return 1;
	}
	return 0;
}

/* The newest live binding of this guest at `key`, or NULL. A block
 * device asks for its key on every request, so the last answer is kept
 * (struct guest's dma_memo): bindings only come by dma_bind(), which
 * counts them, and only go by being cleared (irq 0), so while the guest
 * has made none since, a binding still live with the key and serial it
 * had is still the newest live one at that key. Removing another binding
 * cannot make a different one newer. */
DMA_HOT_TEXT static struct dma_binding *find_binding(struct guest *g, gpa_t key)
{
	struct dma_binding *best = g->dma_memo;

	if (best && best->irq && gpa_val(best->key) == gpa_val(key) &&
	    best->serial == g->dma_memo_serial &&
	    g->dma_memo_binds == g->dma_binds)
		return best;
	best = NULL;
	for (unsigned i = 0; i < LGUEST_MAX_DMA; i++) {
		struct dma_binding *b = &g->dma[i];
		if (b->irq && gpa_val(b->key) == gpa_val(key) &&
		    (!best || b->serial > best->serial))
			best = b;
	}
	if (best) {
		g->dma_memo = best;
		g->dma_memo_serial = best->serial;
		g->dma_memo_binds = g->dma_binds;
	}
	return best;
}

bool dma_has_binding(struct guest *g, gpa_t key)
{
	return find_binding(g, key) != NULL;
}

/*H:410 GETDMA: a free buffer of the newest binding at `key`. A guest may
 * bind 65535 buffers and keep them all full, and the host asks at every
 * exit of every guest while input waits, so each search is bounded: at
 * most DMA_SCAN_MAX entries, from index 0 for an array that short (the
 * 2.6.23 rule, the first free one), else from where the last search of
 * it stopped; and once every entry has been seen full, none is read again
 * until the owner has run (only it can empty one). :*/
DMA_HOT_TEXT static int get_buffer(struct guest *g, gpa_t key, gpa_t *buf,
				 unsigned *irq, struct lguest_dma *copy)
{
	struct dma_binding *b = find_binding(g, key);

	if (!b || b->count == 0)
		return -1;
	if (b->full_exits != g->exits) {
		b->full_exits = g->exits;
		b->full_seen = 0;
	} else if (b->full_seen >= b->count) {
		return -1;	/* all full, and the owner has not run since */
	}
	bool long_array = b->count > DMA_SCAN_MAX;
	unsigned start = long_array ? b->scan : 0;
	unsigned n = long_array ? DMA_SCAN_MAX : b->count;
	for (unsigned k = 0; k < n; k++) {
		unsigned i = (start + k) % b->count;
		gpa_t at = gpa_add(b->array, i * (uint32_t)sizeof(struct lguest_dma));
		uint32_t used_len;
		/* With a copy wanted, the whole entry in one read; only if
		 * that fails, its used_len alone, as without (the kill and
		 * the claim do not depend on the rest of the entry). */
		bool copied = copy && gmem_read(&g->mem, at, copy,
						sizeof(*copy)) == 0;
		if (copied) {
			used_len = copy->used_len;
		} else if (gmem_read32(&g->mem, at, &used_len)) {
			guest_kill(g, "bad registered DMA buffer at %#x (key %#x)",
				   gpa_val(at), gpa_val(key));
			return -1;
		}
		if (used_len == 0) {
			gmem_write32(&g->mem, at, b->irq);
			if (copied)
				copy->used_len = b->irq; /* as written */
			if (long_array)
				b->scan = (uint16_t)((i + 1) % b->count);
			*buf = at;
			*irq = b->irq;
			return copy && !copied ? 1 : 0;
		}
		b->full_seen++;
	}
	if (long_array)
		b->scan = (uint16_t)((start + n) % b->count);
	return -1;
}

DMA_HOT_TEXT int dma_get_buffer(struct guest *g, gpa_t key, gpa_t *buf, unsigned *irq)
{
	return get_buffer(g, key, buf, irq, NULL);
}

DMA_HOT_TEXT int dma_claim_buffer(struct guest *g, gpa_t key, gpa_t *buf,
				  unsigned *irq, struct lguest_dma *copy)
{
	return get_buffer(g, key, buf, irq, copy);
}

/*H:400 SEND_DMA. The key says where the data goes: a key in a page shared
 * with other guests goes to one of them (host/core/dma_peer.c); any other
 * goes to the sender's device that owns it, say the console at key 0 or a
 * block device at its page (host/dev/). The lguest_dma is copied into host
 * memory once, then checked, then used (no double fetch). An unknown key
 * is not an error: nothing happens and used_len stays as it was. :*/
DMA_HOT_TEXT void dma_send(struct guest *g, uint32_t key, uint32_t dma_gpa)
{
	struct lguest_dma dma;
	char err[128];
	uintptr_t identity;

	if (check_dma_key_in(&g->mem, key, err, sizeof(err))) {
		guest_kill(g, "SEND_DMA: bad sending DMA key: %s", err);
		return;
	}
	if (gmem_read(&g->mem, gpa(dma_gpa), &dma, sizeof(dma))) {
		guest_kill(g, "SEND_DMA: lguest_dma at %#x is outside guest "
			   "memory", dma_gpa);
		return;
	}
	identity = dma_peer_identity(g, gpa(key));
	if (identity) {
		dma_peer_send(g, identity, gpa(dma_gpa), &dma);
		return;
	}
	if (devices_send(g, gpa(key), gpa(dma_gpa), &dma))
		return;
	if (g->args.verbose)
		hlog("guest %u: SEND_DMA to unknown key %#x ignored\n", g->id, key);
}

void dma_unbind_all(struct guest *g)
{
	memset(g->dma, 0, sizeof(g->dma));
	g->dma_memo = NULL;
}
