/*
 * host/hc_tunnet.h: the Launcher's tun network device (docs/abi.md §8.3,
 * "--tunnet"), served by the host from a virtio-net NIC. Each --tunnet=X
 * option of a guest becomes one lguest network device (type 2, one
 * private page, features 1 | 0x8000: the guest is slot 1); the n-th
 * --tunnet of the whole host, counting through the guest modules in
 * order, is backed by the n-th virtio-net PCI NIC. Slot 0 of the page
 * holds the NIC's MAC with the promiscuous bit set, so the guest sends
 * every frame to key page + 0, which goes out on the NIC; frames from the
 * NIC go into the buffers the guest bound at page + 4 (slot 1).
 *
 * Bad DMA is handled as hc_block handles a bad request: nothing moves,
 * one line on the host's log says why, and the guest goes on (a send's
 * used_len stays 0, a bad receive buffer is handed back unfilled). The
 * 2.6.23 Launcher exited instead. docs/host-design.md "Network (tunnet)"
 * has the whole story.
 */
#ifndef LGREF_HOST_HC_TUNNET_H
#define LGREF_HOST_HC_TUNNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest.h"

/* The NIC number the next --tunnet option gets (0, 1, ... in module
 * order), or -1 with err if no such NIC exists or the value does not
 * parse (host/tunnet_arg.h). As with hc_block_reserve(), a number is used
 * up even when the guest then fails to start. */
int hc_tunnet_reserve(const char *value, char *err, size_t errlen);

/* Attach NIC `nic` as descriptor `index` of g, whose device page is at
 * page number pfn: writes the NIC's MAC (promiscuous) into slot 0 and
 * logs a line. Returns 0, or -1 with err. */
int hc_tunnet_attach(struct guest *g, unsigned index, uint32_t pfn,
		     unsigned nic, const char *value, char *err,
		     size_t errlen);

/* SEND_DMA to key: if key is slot 0 of one of g's tun devices, send the
 * frame (dma is the caller's copy of the lguest_dma at dma_gpa), set its
 * used_len and return true; false if the key is not one of ours. */
bool hc_tunnet_send(struct guest *g, uint32_t key, uint32_t dma_gpa,
		    const struct lguest_dma *dma);

/* Deliver what the NICs received to their guests, and turn each NIC's
 * interrupt on exactly while its guest is halted. Cheap; the run loop
 * calls it at every guest exit and before the host halts. */
void hc_tunnet_poll_all(void);

/* The guest has stopped: print its tun devices' counters. */
void hc_tunnet_guest_done(struct guest *g);

#endif
