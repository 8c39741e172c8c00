/*
 * host/hc_block.h: the Launcher's block device (docs/abi.md §8.2), served
 * by the host from a virtio-blk disk. Each --block=FILE option of a guest
 * becomes one lguest block device (type 3, one page, features 0x8000);
 * the n-th --block option of the whole host, counting through the guest
 * modules in order, is backed by the n-th virtio-blk PCI disk. Requests
 * are checked by blk_request_check() and then move straight between guest
 * pages and the disk; a bad one completes with result 2 and the guest
 * goes on (docs/abi.md §14.1).
 */
#ifndef LGREF_HOST_HC_BLOCK_H
#define LGREF_HOST_HC_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"

/* How long SEND_DMA spins for the disk before leaving completion to the
 * disk's interrupt (host command line "blkspin=MICROSECONDS"). */
extern uint32_t hc_block_spin_us;

/* Host command line "blktrace": one diagnostic line per request when it
 * reaches the disk ("BLKREQ") and when the guest is told ("BLKACK"), a
 * write's with an FNV-1a hash of its data (scripts/blk_durability.py). */
extern bool hc_block_trace;

/* The disk number the next --block option gets (0, 1, ... in module
 * order), or -1 with err if no such disk exists. Numbers are handed out
 * even when the guest then fails to start, so later guests still get the
 * disk their --block option was meant to have (a guest whose argument
 * string does not parse at all has no options to count). */
int hc_block_reserve(const char *name, char *err, size_t errlen);

/* Attach disk `disk` as descriptor `index` of g, whose device page is at
 * page number pfn: writes num_sectors into the page and logs a line.
 * Returns 0, or -1 with err. */
int hc_block_attach(struct guest *g, unsigned index, uint32_t pfn,
		    unsigned disk, const char *name, char *err, size_t errlen);

/* SEND_DMA to key: if key is one of g's block devices, serve the request
 * (dma is the caller's copy of the lguest_dma at dma_gpa) and return
 * true; false if the key is not a block device of g. */
bool hc_block_send(struct guest *g, uint32_t key, uint32_t dma_gpa,
		   const struct lguest_dma *dma);

/* The guest has stopped: print its block devices' counters. */
void hc_block_guest_done(struct guest *g);

#endif
