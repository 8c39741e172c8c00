/*
 * host/dma.c: BIND_DMA, SEND_DMA and GETDMA (docs/abi.md §6). Bindings live
 * in a fixed table per guest. A send goes to the device that owns the key;
 * in lgref the host is also the launcher, so device sends are served here,
 * and their used_len is final before the hypercall returns, as the ABI
 * promises (a block request's result may follow later, with its IRQ).
 */
#include <string.h>

#include "check.h"
#include "dma.h"
#include "dma_peer.h"
#include "hc_block.h"
#include "hc_console.h"
#include "hc_tunnet.h"
#include "log.h"

/* Bindings are numbered in creation order across all guests, so that
 * "newest first" means the same for a guest's own lookups and for a
 * guest-to-guest send. */
static uint32_t binding_serial;

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
			if (b->irq && b->key == key && b->array_gpa == array_gpa) {
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
		b->key = key;
		b->array_gpa = array_gpa;
		b->count = (uint16_t)count;
		b->irq = (uint8_t)irq;
		b->next = 0;
		b->serial = ++binding_serial;
		b->identity = dma_peer_identity(g, key);
		return 1;
	}
	return 0;
}

/* The newest live binding of this guest at `key`, or NULL. */
static struct dma_binding *find_binding(struct guest *g, uint32_t key)
{
	struct dma_binding *best = NULL;

	for (unsigned i = 0; i < LGUEST_MAX_DMA; i++) {
		struct dma_binding *b = &g->dma[i];
		if (b->irq && b->key == key && (!best || b->serial > best->serial))
			best = b;
	}
	return best;
}

bool dma_has_binding(struct guest *g, uint32_t key)
{
	return find_binding(g, key) != NULL;
}

uint32_t dma_get_buffer(struct guest *g, uint32_t key, unsigned *irq)
{
	struct dma_binding *b = find_binding(g, key);

	if (!b || b->count == 0)
		return 0;
	for (unsigned i = 0; i < b->count; i++) {
		uint32_t gpa = b->array_gpa + i * (uint32_t)sizeof(struct lguest_dma);
		uint32_t used_len;
		if (gmem_read32(&g->mem, gpa, &used_len)) {
			guest_kill(g, "bad registered DMA buffer at %#x (key %#x)",
				   gpa, key);
			return 0;
		}
		if (used_len == 0) {
			gmem_write32(&g->mem, gpa, b->irq);
			*irq = b->irq;
			return gpa;
		}
	}
	return 0;
}

/*H:400 SEND_DMA. The key says where the data goes: key 0 is the console,
 * a key in a page shared with other guests goes to one of them
 * (host/dma_peer.c), a block device's page is that block device
 * (host/hc_block.c), and slot 0 of a tun network page is the outside
 * network (host/hc_tunnet.c). The
 * lguest_dma is copied into host memory once, then checked, then used (no
 * double fetch). An unknown key is not an error: nothing happens and
 * used_len stays as it was. :*/
void dma_send(struct guest *g, uint32_t key, uint32_t dma_gpa)
{
	struct lguest_dma dma;

	char err[128];

	if (check_dma_key_in(&g->mem, key, err, sizeof(err))) {
		guest_kill(g, "SEND_DMA: bad sending DMA key: %s", err);
		return;
	}
	if (gmem_read(&g->mem, dma_gpa, &dma, sizeof(dma))) {
		guest_kill(g, "SEND_DMA: lguest_dma at %#x is outside guest "
			   "memory", dma_gpa);
		return;
	}
	if (key == LGUEST_CONSOLE_DMA_KEY && g->console_index >= 0) {
		console_send(g, dma_gpa, &dma);
		return;
	}
	const uint8_t *identity = dma_peer_identity(g, key);
	if (identity) {
		dma_peer_send(g, identity, dma_gpa, &dma);
		return;
	}
	if (hc_block_send(g, key, dma_gpa, &dma))
		return;
	if (hc_tunnet_send(g, key, dma_gpa, &dma))
		return;
	if (g->args.verbose)
		hlog("guest %u: SEND_DMA to unknown key %#x ignored\n", g->id, key);
}

void dma_unbind_all(struct guest *g)
{
	memset(g->dma, 0, sizeof(g->dma));
}
