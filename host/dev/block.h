/*
 * host/dev/block.h: the Launcher's block device (docs/abi.md §8.2), served
 * by the host from a virtio-blk disk. Each --block=FILE option of a guest
 * becomes one lguest block device (type 3, one page, features 0x8000);
 * the n-th --block option of the whole host, counting through the guest
 * modules in order, is backed by the n-th virtio-blk PCI disk. Requests
 * are checked by blk_request_check() and then move straight between guest
 * pages and the disk; a bad one completes with result 2 and the guest
 * goes on (docs/abi.md §14.1).
 */
#ifndef LGREF_HOST_DEV_BLOCK_H
#define LGREF_HOST_DEV_BLOCK_H

#include "core/device.h"

/* Host command-line words: "blkcache=writethrough|flush|unsafe" (how
 * writes are made durable, default writethrough), "blkspin=MICROSECONDS"
 * (how long SEND_DMA spins for the disk, default 1000),
 * "blkstall=MILLISECONDS" (how long a request may stay at the disk before
 * it fails and the disk counts as stalled, default 20000, 0 never),
 * "blktrace" (a BLKREQ and a BLKACK line per request, for
 * scripts/blk_durability.py). */
extern const struct device_ops block_device;

#endif
