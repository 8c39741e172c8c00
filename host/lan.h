/*
 * host/lan.h: --sharenet networks (docs/abi.md §8.3). The 2.6.23 Launcher
 * mapped one page of a shared file over the guest's network device page
 * and took a free slot with a file lock; here a LAN is one host page,
 * named by the option's value, that every guest on it sees at its device
 * page, and the slot table is ours. Traffic does not come through here:
 * guests send to each other with SEND_DMA (host/dma_peer.c).
 */
#ifndef LGREF_HOST_LAN_H
#define LGREF_HOST_LAN_H

#include <stddef.h>

#include "guest.h"

/* LANs one host can hold (one per distinct --sharenet name). */
#define LAN_MAX 16

/* The slot a guest's device on LAN `name` will get when the guest already
 * has `taken` devices on it that have not joined yet: the (taken + 1)-th
 * lowest free one, as the Launcher's lock search found them. Returns it
 * (0..681), or -1 with a message when the LAN is full or there are too
 * many LANs. */
int lan_free_slot(const char *name, unsigned taken, char *err,
		  size_t errlen);

/* Put device `index` of g, whose page is guest page pfn, on LAN `name`
 * at `slot` (from lan_free_slot(), with nothing joined since): the LAN's
 * page replaces the guest's page. Returns 0 or -1 with a message. */
int lan_join(struct guest *g, unsigned index, uint32_t pfn, const char *name,
	     unsigned slot, char *err, size_t errlen);

/* The guest is gone: free its slots and clear its MAC from them, so that
 * the others stop sending to it (as if its interface had been closed). */
void lan_guest_done(struct guest *g);

#endif
