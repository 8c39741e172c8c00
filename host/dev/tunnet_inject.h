/*
 * host/dev/tunnet_inject.h: a test's network faults on a --tunnet device
 * (inject=net-drop, net-dup, net-reorder; host/core/inject.c), both ways:
 * frames a guest sends out, and frames from the NIC for it. Used only by
 * host/dev/tunnet.c, and only while one of those modes is on.
 */
#ifndef LGREF_HOST_DEV_TUNNET_INJECT_H
#define LGREF_HOST_DEV_TUNNET_INJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "backends/virtio_net.h"
#include "core/device.h"

/* What became of a frame offered to the guest. */
enum tunnet_rx {
	TUNNET_RX_DELIVERED,	/* in a receive buffer, IRQ raised */
	TUNNET_RX_NO_BUFFER,	/* every buffer full: try again later */
	TUNNET_RX_DISCARDED,	/* no buffer bound, too big, bad buffer */
};
typedef enum tunnet_rx (*tunnet_deliver_fn)(void *dev, const uint8_t *frame,
					    uint32_t len);

/* One device's frames held back by net-reorder, one each way. */
struct tunnet_inject {
	struct inject_frame tx, rx;
};

/* A frame the guest sent (checked; segs in host memory, bytes in all):
 * dropped, held back, sent, or sent twice; then a held one may follow.
 * 0 if the guest should hear it went (used_len = bytes), -1 if the NIC
 * had no free buffer for it. */
int tunnet_inject_send(struct tunnet_inject *ti, struct vnet *nic,
		       const struct vnet_seg *segs, unsigned nseg,
		       uint32_t bytes);

/* A frame from the NIC (vnet_rx_fn): first is false when the same frame
 * is offered again after the guest had no free buffer (it was counted
 * then). Dropped, held back, or delivered (twice, for net-dup) through
 * deliver(dev, ...); then a held one may follow. True when done with it,
 * false to leave it in the NIC's ring. */
bool tunnet_inject_receive(struct tunnet_inject *ti, tunnet_deliver_fn deliver,
			   void *dev, const uint8_t *frame, uint32_t len,
			   bool first);

/* Every poll: held frames that waited INJECT_REORDER_MS go now. */
void tunnet_inject_poll(struct tunnet_inject *ti, struct vnet *nic,
			tunnet_deliver_fn deliver, void *dev);

#endif
