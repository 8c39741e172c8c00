/*
 * host/backends/virtio_net.c: legacy virtio-net over PCI (host/backends/virtio_net.h).
 *
 * Start-up is the legacy sequence host/backends/virtio_blk.c uses too, with two
 * queues: 0 receives, 1 transmits. Every receive buffer is posted at
 * start and handed back as soon as its frame is taken, so the device
 * always has the whole queue to fill. Transmit buffers are taken from a
 * free stack, and come back when the device says it is done with them
 * (we look whenever we need one; a transmit never interrupts).
 */
#include <string.h>

#include "arch/clock.h"
#include "arch/log.h"
#include "arch/palloc.h"
#include "arch/pic.h"
#include "backends/virtio_net.h"
#include "backends/virtio_pci.h"
#include "arch/x86.h"

#define HDR_BYTES ((uint32_t)sizeof(struct virtio_net_hdr))
#define TX_WAIT_NS 1000000u	/* for a free transmit buffer, at most */

static struct vnet nics[VNET_MAX_NICS];
static unsigned nnics;

unsigned vnet_count(void)
{
	return nnics;
}

struct vnet *vnet_nic(unsigned n)
{
	return n < nnics ? &nics[n] : NULL;
}

static uint8_t *buffer(const struct vnet_queue *q, unsigned id)
{
	return q->bufs + id * VNET_BUF_BYTES;
}

/* Queue `index`: the ring where the device wants it, and our buffers. The
 * legacy ring size is the device's choice; any power of two will do. */
static int setup_queue(struct vnet *n, uint16_t index, struct vnet_queue *q)
{
	outw(n->io + VIRTIO_PCI_QUEUE_SEL, index);
	q->size = inw(n->io + VIRTIO_PCI_QUEUE_NUM);
	if (q->size == 0 || (q->size & (q->size - 1))) {
		hlog("virtio-net %u: queue %u has size %u (need a power of "
		     "two)\n", n->index, index, q->size);
		return -1;
	}
	q->nbufs = q->size < VNET_MAX_BUFS ? q->size : VNET_MAX_BUFS;
	uint8_t *ring = palloc_contiguous(vring_legacy_size(q->size));
	q->bufs = palloc_contiguous((uint32_t)q->nbufs * VNET_BUF_BYTES);
	if (!ring || !q->bufs) {
		hlog("virtio-net %u: out of memory for queue %u\n", n->index,
		     index);
		return -1;
	}
	vring_legacy_layout(ring, q->size, &q->desc, &q->avail, &q->used);
	q->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	for (unsigned i = 0; i < q->nbufs; i++) {
		q->desc[i].addr = virtio_phys(buffer(q, i));
		q->desc[i].len = VNET_BUF_BYTES;
		q->desc[i].flags = 0;
		q->desc[i].next = 0;
	}
	outl(n->io + VIRTIO_PCI_QUEUE_PFN, virtio_phys(ring) >> 12);
	return 0;
}

/* The MAC from the configuration space, or a made-up locally
 * administered one, 02:00:00:00:ff:<index>, if the device offers none. */
static void read_mac(struct vnet *n, uint32_t offered)
{
	static const uint8_t made_up[VNET_MAC_LEN] = { 0x02, 0, 0, 0, 0xFF, 0 };

	n->mac_from_device = offered & (1u << VIRTIO_NET_F_MAC);
	for (unsigned i = 0; i < VNET_MAC_LEN; i++)
		n->mac[i] = n->mac_from_device
			? inb((uint16_t)(n->io + VIRTIO_PCI_CONFIG +
					 VIRTIO_NET_CFG_MAC + i))
			: made_up[i];
	if (!n->mac_from_device)
		n->mac[5] = (uint8_t)n->index;
}

/*H:800 A virtio-net NIC, for the guests' --tunnet devices. The same
 * legacy walk as a disk (H:600): I/O BAR0, bus mastering, reset,
 * ACKNOWLEDGE, DRIVER. Of the many features QEMU offers we take only the
 * MAC address: no checksum offload, no segmentation, no mergeable
 * buffers, no control queue. Then every frame is a plain Ethernet frame
 * behind a 10-byte header of zeroes, which is exactly what an lguest
 * guest sends and expects (docs/abi.md §8.3). The receive queue is filled
 * with buffers before DRIVER_OK, so nothing that arrives is lost for want
 * of one. :*/
static int start_nic(struct vnet *n)
{
	if (virtio_pci_begin(&n->pci, "virtio-net", &n->io, &n->irq))
		return -1;
	uint32_t offered = inl(n->io + VIRTIO_PCI_HOST_FEATURES);
	outl(n->io + VIRTIO_PCI_GUEST_FEATURES,
	     offered & (1u << VIRTIO_NET_F_MAC));
	read_mac(n, offered);
	if (setup_queue(n, VIRTIO_NET_Q_RX, &n->rx) ||
	    setup_queue(n, VIRTIO_NET_Q_TX, &n->tx)) {
		virtio_pci_set_status(n->io, VIRTIO_STATUS_FAILED);
		return -1;
	}
	for (unsigned i = 0; i < n->rx.nbufs; i++) {
		n->rx.desc[i].flags = VRING_DESC_F_WRITE;
		n->rx.avail->ring[i] = (uint16_t)i;
	}
	n->rx.avail_idx = n->rx.nbufs;
	n->rx.avail->idx = n->rx.avail_idx;	/* kicked after DRIVER_OK */
	n->tx.avail->flags = VRING_AVAIL_F_NO_INTERRUPT;	/* for good */
	for (unsigned i = 0; i < n->tx.nbufs; i++)
		n->tx_free[i] = (uint16_t)(n->tx.nbufs - 1 - i);
	n->tx_nfree = n->tx.nbufs;
	virtio_pci_set_status(n->io, VIRTIO_STATUS_DRIVER_OK);
	/* Frames QEMU queued while the driver was not ready go out now. */
	outw(n->io + VIRTIO_PCI_QUEUE_NOTIFY, VIRTIO_NET_Q_RX);
	return 0;
}

unsigned vnet_init(void)
{
	struct pci_dev found[VNET_MAX_NICS];
	unsigned n = pci_find(VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_NET_LEGACY,
			      found, VNET_MAX_NICS);

	if (n > VNET_MAX_NICS) {
		hlog("virtio-net: %u NICs found, using the first %u\n", n,
		     VNET_MAX_NICS);
		n = VNET_MAX_NICS;
	}
	for (unsigned i = 0; i < n; i++) {
		struct vnet *nic = &nics[nnics];
		memset(nic, 0, sizeof(*nic));
		nic->pci = found[i];
		nic->index = nnics;
		if (start_nic(nic))
			continue;	/* the next NIC gets its number */
		nnics++;
		if (nic->irq != VNET_NO_IRQ)
			pic_unmask_level(nic->irq);
		const uint8_t *m = nic->mac;
		hlog("virtio-net %u: PCI %02x:%02x.%x, io %#x, irq %d, MAC "
		     "%02x:%02x:%02x:%02x:%02x:%02x%s, queues %u/%u, %u/%u "
		     "buffers\n", nic->index, nic->pci.bus, nic->pci.dev,
		     nic->pci.fn, nic->io,
		     nic->irq == VNET_NO_IRQ ? -1 : nic->irq, m[0], m[1], m[2],
		     m[3], m[4], m[5],
		     nic->mac_from_device ? "" : " (made up: none offered)",
		     nic->rx.size, nic->tx.size, nic->rx.nbufs, nic->tx.nbufs);
	}
	return nnics;
}

/* Take back the transmit buffers the device has finished with. */
static void reap_tx(struct vnet *n)
{
	struct vnet_queue *q = &n->tx;

	while (q->used->idx != q->used_idx) {
		mb();
		uint32_t id = q->used->ring[q->used_idx & (q->size - 1)].id;
		q->used_idx++;
		if (id >= q->nbufs || !n->tx_busy[id]) {
			n->bad_used++;	/* never ours: ignore it */
			continue;
		}
		n->tx_busy[id] = false;
		n->tx_free[n->tx_nfree++] = (uint16_t)id;
	}
}

bool vnet_drain_tx(struct vnet *n, uint64_t timeout_ns)
{
	uint64_t end = rdtsc() + clock_ns_to_tsc(timeout_ns);

	for (;;) {
		reap_tx(n);
		if (n->tx_nfree == n->tx.nbufs)
			return true;
		if (rdtsc() > end)
			return false;
		cpu_relax();
	}
}

/* A free transmit buffer's id, waiting up to TX_WAIT_NS; -1 if none. */
static int take_tx(struct vnet *n)
{
	uint64_t end = 0;

	for (;;) {
		reap_tx(n);
		if (n->tx_nfree)
			break;
		if (!end)
			end = rdtsc() + clock_ns_to_tsc(TX_WAIT_NS);
		else if (rdtsc() > end)
			return -1;
		cpu_relax();
	}
	unsigned id = n->tx_free[--n->tx_nfree];
	n->tx_busy[id] = true;
	return (int)id;
}

/* Put buffer `id` in q's available ring; the device sees it only after
 * publish(). */
static void post(struct vnet_queue *q, unsigned id)
{
	q->avail->ring[q->avail_idx & (q->size - 1)] = (uint16_t)id;
	q->avail_idx++;
}

/* Show the device what post() queued, and tell it unless it said it is
 * looking anyway (VRING_USED_F_NO_NOTIFY). */
static void publish(struct vnet *n, struct vnet_queue *q, uint16_t queue)
{
	mb();
	q->avail->idx = q->avail_idx;
	mb();
	if (!(q->used->flags & VRING_USED_F_NO_NOTIFY)) {
		outw(n->io + VIRTIO_PCI_QUEUE_NOTIFY, queue);
		if (queue == VIRTIO_NET_Q_TX)
			n->tx_kicks++;
	}
}

int vnet_send(struct vnet *n, const struct vnet_seg *segs, unsigned nseg)
{
	int id = take_tx(n);

	if (id < 0) {
		n->tx_full++;
		return -1;
	}
	uint8_t *buf = buffer(&n->tx, (unsigned)id);
	uint32_t len = 0;
	memset(buf, 0, HDR_BYTES);
	for (unsigned i = 0; i < nseg; i++) {
		HOST_ASSERT(segs[i].len <= VNET_MAX_FRAME - len);
		memcpy(buf + HDR_BYTES + len, segs[i].data, segs[i].len);
		len += segs[i].len;
	}
	HOST_ASSERT(len > 0);
	n->tx.desc[id].len = HDR_BYTES + len;
	n->tx.desc[id].flags = 0;
	n->tx_frames++;
	n->tx_bytes += len;
	post(&n->tx, (unsigned)id);
	publish(n, &n->tx, VIRTIO_NET_Q_TX);
	return 0;
}

bool vnet_rx_pending(const struct vnet *n)
{
	return n->rx.used->idx != n->rx.used_idx;
}

/*H:810 Received frames come off the used ring in order. The device
 * writes the header and the frame into a buffer and tells us the total
 * length; a length that does not fit the buffer, or an id we never
 * posted, is the device's bug, counted and skipped. The caller may hold a
 * frame (its guest has no free buffer yet): then we stop right there and
 * keep the buffer, and the rest waits behind it in the ring, and behind
 * that in QEMU's own queue. :*/
unsigned vnet_poll(struct vnet *n, vnet_rx_fn rx, void *ctx)
{
	struct vnet_queue *q = &n->rx;
	unsigned taken = 0, posted = 0;

	while (vnet_rx_pending(n)) {
		mb();		/* the entry and buffer after idx */
		volatile struct vring_used_elem *e =
			&q->used->ring[q->used_idx & (q->size - 1)];
		uint32_t id = e->id, len = e->len;
		bool bad = len <= HDR_BYTES || len > VNET_BUF_BYTES;
		if (id >= q->nbufs) {
			n->bad_used++;
			q->used_idx++;
			continue;
		}
		if (!bad &&
		    !rx(ctx, buffer(q, id) + HDR_BYTES, len - HDR_BYTES))
			break;
		q->used_idx++;
		if (bad) {
			n->bad_used++;
		} else {
			n->rx_frames++;
			n->rx_bytes += len - HDR_BYTES;
			taken++;
		}
		post(q, id);
		posted++;
	}
	if (posted)
		publish(n, q, VIRTIO_NET_Q_RX);
	return taken;
}

void vnet_set_rx_interrupt(struct vnet *n, bool on)
{
	if (n->rx_interrupt == on)
		return;
	n->rx_interrupt = on;
	n->rx.avail->flags = on ? 0 : VRING_AVAIL_F_NO_INTERRUPT;
	mb();
}

bool vnet_owns_irq(unsigned irq)
{
	for (unsigned i = 0; i < nnics; i++)
		if (nics[i].irq == irq)
			return true;
	return false;
}

bool vnet_interrupt(unsigned irq)
{
	bool raised = false;

	for (unsigned i = 0; i < nnics; i++) {
		if (nics[i].irq != irq)
			continue;
		/* Reading ISR lowers the line. */
		if (inb(nics[i].io + VIRTIO_PCI_ISR)) {
			nics[i].interrupts++;
			raised = true;
		}
	}
	return raised;
}
