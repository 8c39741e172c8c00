/*
 * host/dev/tunnet.h: the Launcher's tun network device (docs/abi.md §8.3,
 * "--tunnet"), served by the host from a virtio-net NIC. Each --tunnet=X
 * option of a guest becomes one lguest network device (type 2, one
 * private page, features 1 | 0x8000: the guest is slot 1); the n-th
 * --tunnet of the whole host, counting through the guest modules in
 * order, is backed by the n-th virtio-net PCI NIC. Slot 0 of the page
 * holds the NIC's MAC with the promiscuous bit set, so the guest sends
 * every frame to key page + 0, which goes out on the NIC; frames from the
 * NIC go into the buffers the guest bound at page + 4 (slot 1).
 *
 * Bad DMA is handled as the block device handles a bad request: nothing moves,
 * one line on the host's log says why, and the guest goes on (a send's
 * used_len stays 0, a bad receive buffer is handed back unfilled). The
 * 2.6.23 Launcher exited instead. docs/host-design.md "Network (tunnet)"
 * has the whole story.
 */
#ifndef LGREF_HOST_DEV_TUNNET_H
#define LGREF_HOST_DEV_TUNNET_H

#include "core/device.h"

extern const struct device_ops tunnet_device;

#endif
