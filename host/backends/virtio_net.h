/*
 * host/backends/virtio_net.h: the host's driver for legacy virtio-net PCI NICs
 * (QEMU `-device virtio-net-pci,disable-modern=on`), the outside network
 * behind the guests' --tunnet devices (host/dev/tunnet.c).
 *
 * Deliberately plain: the MAC address is the only feature we ask for, so
 * every frame, both ways, is a 10-byte all-zero virtio_net_hdr and a
 * complete Ethernet frame with its checksums done (no offloads, no
 * mergeable buffers, no control queue). Each queue gets one 2 KiB host
 * buffer per descriptor, up to VNET_MAX_BUFS whatever size QEMU chose
 * for the queue. Frames are copied: out of the caller's pieces into a
 * transmit buffer, and out of a receive buffer by the caller.
 *
 * No interrupts unless asked for: the run loop polls every NIC at every
 * guest exit, and turns a NIC's receive interrupt on only while nobody
 * would look otherwise (docs/host-design.md "Network (tunnet)").
 */
#ifndef LGREF_HOST_VIRTIO_NET_H
#define LGREF_HOST_VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/pci.h"
#include "backends/virtio.h"
#include "backends/virtio_pci.h"

#define VNET_MAX_NICS 16	/* one per --tunnet; 16 devices per guest */
#define VNET_NO_IRQ VIRTIO_NO_IRQ	/* no usable interrupt line: poll only */
#define VNET_BUF_BYTES 2048	/* one buffer: header and frame */
#define VNET_MAX_FRAME (VNET_BUF_BYTES - sizeof(struct virtio_net_hdr))
#define VNET_MAX_BUFS 256	/* buffers per queue we keep posted */
#define VNET_MAC_LEN 6

/* One split virtqueue and the host buffers behind its descriptors:
 * descriptor i always points at buffer i. */
struct vnet_queue {
	uint16_t size;		/* entries, as the device says */
	uint16_t nbufs;		/* min(size, VNET_MAX_BUFS) buffers */
	struct vring_desc *desc;
	struct vring_avail *avail;
	volatile struct vring_used *used;
	uint16_t avail_idx;	/* entries made available so far */
	uint16_t used_idx;	/* used entries consumed so far */
	uint8_t *bufs;		/* nbufs * VNET_BUF_BYTES, contiguous */
};

struct vnet {
	unsigned index;		/* position in PCI scan order */
	struct pci_dev pci;
	uint16_t io;		/* I/O BAR0 */
	uint8_t irq;		/* 8259 line, or VNET_NO_IRQ */
	uint8_t mac[VNET_MAC_LEN];
	bool mac_from_device;	/* VIRTIO_NET_F_MAC (else made up) */
	bool rx_interrupt;	/* the receive interrupt is on */
	struct vnet_queue rx, tx;

	/* Transmit buffers not in flight, as a stack of descriptor ids. */
	uint16_t tx_free[VNET_MAX_BUFS];
	uint16_t tx_nfree;
	bool tx_busy[VNET_MAX_BUFS];

	/* Counters (host/dev/tunnet.c prints them). */
	uint64_t rx_frames, rx_bytes;
	uint64_t tx_frames, tx_bytes;
	uint64_t bad_used;	/* used entries with a bad id or length */
	uint64_t tx_full;	/* sends refused: every buffer in flight */
	uint64_t tx_kicks;	/* notify port writes (QEMU may wave them) */
	uint64_t interrupts;
};

/* A piece of an outgoing frame, in host memory. */
struct vnet_seg {
	const void *data;
	uint32_t len;
};

/*
 * Called by vnet_poll() for each received frame, in arrival order: len
 * bytes at frame (without the virtio header), valid only during the call.
 * Return true when done with it (delivered or discarded), false to hold
 * it: vnet_poll() then stops, and the same frame comes first next time.
 */
typedef bool (*vnet_rx_fn)(void *ctx, const uint8_t *frame, uint32_t len);

/* Find and start every legacy virtio-net function, in PCI order, and
 * unmask their interrupt lines (the receive interrupts start off). Logs
 * one line per NIC. Returns the number ready. */
unsigned vnet_init(void);

unsigned vnet_count(void);
struct vnet *vnet_nic(unsigned n);	/* NULL if n >= vnet_count() */

/*
 * Send one frame made of nseg pieces, 1..VNET_MAX_FRAME bytes in all (the
 * caller checked). The bytes are copied before this returns, so the
 * pieces may be reused at once. Returns 0, or -1 if every transmit buffer
 * is still in flight after a short wait (the frame is not sent; counted
 * in tx_full).
 */
int vnet_send(struct vnet *n, const struct vnet_seg *segs, unsigned nseg);

/*
 * Hand received frames to rx (see vnet_rx_fn) until there are none left
 * or rx holds one; give the device back the buffers of those it took.
 * Cheap when nothing came (one memory read). Returns the frames taken.
 */
unsigned vnet_poll(struct vnet *n, vnet_rx_fn rx, void *ctx);

/* Has a frame arrived that vnet_poll() has not taken? */
bool vnet_rx_pending(const struct vnet *n);

/* Wait up to timeout_ns until the NIC has taken every frame handed to
 * vnet_send(): a frame a guest sent just before the host leaves QEMU must
 * still reach the network, since its SEND_DMA said it was sent. Returns
 * false if frames were still in flight at the deadline. */
bool vnet_drain_tx(struct vnet *n, uint64_t timeout_ns);

/* Ask for (on) or suppress (off) the interrupt for received frames. A
 * frame that arrived while it was off raises none: after turning it on,
 * look with vnet_rx_pending(). */
void vnet_set_rx_interrupt(struct vnet *n, bool on);

/* True if some NIC uses 8259 line irq. */
bool vnet_owns_irq(unsigned irq);

/* The 8259 line irq fired: acknowledge every NIC on it. The frames are
 * left for the next vnet_poll(). True if one of them had raised it (its
 * ISR was not 0). */
bool vnet_interrupt(unsigned irq);

#endif
