/*
 * host/dev/tunnet_inject.c: net-drop, net-dup and net-reorder on a
 * --tunnet device (host/dev/tunnet_inject.h, docs/host-design.md "Fault
 * injection"). A dropped frame is one the wire lost: a send is still
 * reported sent (used_len = its length), a received frame is taken off
 * the NIC and never reaches the guest. A duplicated one goes twice, the
 * copy right after it (into a second receive buffer, if one is free). A
 * held one waits in the device's struct inject_frame until the next frame
 * the same way has gone, then goes too; or alone after INJECT_REORDER_MS.
 */
#include "dev/tunnet_inject.h"

static int send_held(struct inject_frame *f, struct vnet *nic)
{
	struct vnet_seg seg = { f->data, f->len };

	if (vnet_send(nic, &seg, 1))
		return -1;	/* the NIC is busy: stays held */
	f->full = false;
	return 0;
}

int tunnet_inject_send(struct tunnet_inject *ti, struct vnet *nic,
		       const struct vnet_seg *segs, unsigned nseg,
		       uint32_t bytes)
{
	if (inject_should(INJECT_NET_DROP, INJECT_SITE_TUNNET_TX))
		return 0;
	if (!ti->tx.full && bytes <= INJECT_FRAME_MAX &&
	    inject_should(INJECT_NET_REORDER, INJECT_SITE_TUNNET_TX)) {
		uint32_t at = 0;
		for (unsigned i = 0; i < nseg; i++) {
			const uint8_t *p = segs[i].data;
			for (uint32_t j = 0; j < segs[i].len; j++)
				ti->tx.data[at++] = p[j];
		}
		inject_frame_hold(&ti->tx, ti->tx.data, at);
		return 0;
	}
	if (vnet_send(nic, segs, nseg))
		return -1;
	if (inject_should(INJECT_NET_DUP, INJECT_SITE_TUNNET_TX) &&
	    vnet_send(nic, segs, nseg))
		inject_note(INJECT_NET_DUP, 0);
	if (ti->tx.full && send_held(&ti->tx, nic) == 0)
		inject_note(INJECT_NET_REORDER, 0);
	return 0;
}

bool tunnet_inject_receive(struct tunnet_inject *ti, tunnet_deliver_fn deliver,
			   void *dev, const uint8_t *frame, uint32_t len,
			   bool first)
{
	if (first) {
		if (inject_should(INJECT_NET_DROP, INJECT_SITE_TUNNET_RX))
			return true;
		if (!ti->rx.full && len <= INJECT_FRAME_MAX &&
		    inject_should(INJECT_NET_REORDER, INJECT_SITE_TUNNET_RX)) {
			inject_frame_hold(&ti->rx, frame, len);
			return true;
		}
	}
	enum tunnet_rx r = deliver(dev, frame, len);
	if (r == TUNNET_RX_NO_BUFFER)
		return false;
	if (r == TUNNET_RX_DELIVERED &&
	    inject_should(INJECT_NET_DUP, INJECT_SITE_TUNNET_RX) &&
	    deliver(dev, frame, len) != TUNNET_RX_DELIVERED)
		inject_note(INJECT_NET_DUP, 0);	/* no buffer for the copy */
	if (ti->rx.full && deliver(dev, ti->rx.data, ti->rx.len) ==
	    TUNNET_RX_DELIVERED) {
		ti->rx.full = false;
		inject_note(INJECT_NET_REORDER, 0);
	}
	return true;
}

void tunnet_inject_poll(struct tunnet_inject *ti, struct vnet *nic,
			tunnet_deliver_fn deliver, void *dev)
{
	if (ti->tx.full && inject_frame_due(&ti->tx) &&
	    send_held(&ti->tx, nic) == 0)
		inject_note(INJECT_NET_REORDER, 1);
	if (ti->rx.full && inject_frame_due(&ti->rx)) {
		enum tunnet_rx r = deliver(dev, ti->rx.data, ti->rx.len);
		if (r != TUNNET_RX_NO_BUFFER) {
			ti->rx.full = false;
			inject_note(INJECT_NET_REORDER,
				    r == TUNNET_RX_DELIVERED ? 1 : 2);
		}
	}
}
