/*
 * host/core/dma_peer.h: SEND_DMA between guests (docs/abi.md §6.4 b). A key in
 * a page that several guests share (a --sharenet network page) is matched
 * by the host memory it names, not by its number: our form of the 2.6.23
 * host's "futex trick", which compared the file page behind the address.
 */
#ifndef LGREF_HOST_DMA_PEER_H
#define LGREF_HOST_DMA_PEER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/guest.h"

/* A serial number for a new binding. Bindings are numbered in creation
 * order across all guests, so that "newest first" means the same for a
 * guest's own lookups and for a guest-to-guest send; and a sender's memo
 * of its receiver holds only while no binding was made since. */
uint32_t dma_peer_new_serial(void);

/* Where `key` of guest g lives in host memory if it lies in a shared page,
 * else 0: the identity two guests' keys are compared by (a number, never
 * dereferenced). */
uintptr_t dma_peer_identity(const struct guest *g, gpa_t key);

/* g sent *dma (a host copy of the lguest_dma at dma_gpa) to a key in a
 * shared page: deliver it to another guest's binding, or do nothing.
 * Kills whichever guest's section list breaks the §6.2 rules. */
void dma_peer_send(struct guest *g, uintptr_t identity, gpa_t dma_gpa,
		   const struct lguest_dma *dma);

/* net-reorder (host/core/inject.c): deliver the guest-to-guest frame held
 * back if it has waited long enough. */
void dma_peer_poll_held(void);

#endif
