/*
 * host/backends/virtio.h: the hardware side of a legacy ("transitional", virtio
 * 0.9.5) virtio PCI device, as QEMU's `-device virtio-blk-pci,
 * disable-modern=on` (and virtio-net-pci) presents it: the register block
 * in I/O BAR0, the split virtqueue in guest-physical memory, the block
 * request format and the network packet header. Layouts are the device's,
 * so every one has its size asserted. Used by host/backends/virtio_blk.c and
 * host/backends/virtio_net.c.
 */
#ifndef LGREF_HOST_VIRTIO_H
#define LGREF_HOST_VIRTIO_H

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_PCI_VENDOR 0x1AF4
#define VIRTIO_PCI_DEVICE_BLK_LEGACY 0x1001
#define VIRTIO_PCI_DEVICE_NET_LEGACY 0x1000

/* Legacy register block, offsets into I/O BAR0 (MSI-X left disabled, so
 * the device-specific configuration starts at 20). */
#define VIRTIO_PCI_HOST_FEATURES 0	/* 32, read-only */
#define VIRTIO_PCI_GUEST_FEATURES 4	/* 32 */
#define VIRTIO_PCI_QUEUE_PFN 8		/* 32: ring address >> 12, 0 = none */
#define VIRTIO_PCI_QUEUE_NUM 12		/* 16, read-only: ring size */
#define VIRTIO_PCI_QUEUE_SEL 14		/* 16 */
#define VIRTIO_PCI_QUEUE_NOTIFY 16	/* 16: write a queue index */
#define VIRTIO_PCI_STATUS 18		/* 8 */
#define VIRTIO_PCI_ISR 19		/* 8: read to acknowledge */
#define VIRTIO_PCI_CONFIG 20		/* device-specific from here */

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_ISR_QUEUE 1		/* a used buffer was added */
#define VIRTIO_LEGACY_RING_ALIGN 4096	/* used ring starts page-aligned */

/* virtio-blk features (bit numbers) and configuration. */
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9		/* called WCE by legacy drivers */
#define VIRTIO_BLK_CFG_CAPACITY 0	/* u64, in 512-byte sectors */

/* Request types and status byte values. */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

/* Split virtqueue (little-endian; so are we). */
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2		/* the device writes this buffer */
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY 1	/* the device: no need to kick me */

struct vring_desc {
	uint64_t addr;			/* guest-physical (our host-physical) */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(sizeof(struct vring_desc) == 16, "virtio: vring_desc");

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];		/* then used_event, unused here */
};
_Static_assert(sizeof(struct vring_avail) == 4, "virtio: vring_avail");

struct vring_used_elem {
	uint32_t id;			/* head descriptor of the chain */
	uint32_t len;			/* bytes the device wrote */
};
_Static_assert(sizeof(struct vring_used_elem) == 8, "virtio: used elem");

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};
_Static_assert(sizeof(struct vring_used) == 4, "virtio: vring_used");
_Static_assert(offsetof(struct vring_used, ring) == 4, "virtio: used ring");

/* Bytes of a legacy ring of num entries: descriptors and the available
 * ring, padded to a page, then the used ring. */
static inline uint32_t vring_legacy_size(uint32_t num)
{
	uint32_t first = 16 * num + 2 * (3 + num);
	first = (first + VIRTIO_LEGACY_RING_ALIGN - 1) &
		~(VIRTIO_LEGACY_RING_ALIGN - 1);
	return first + 2 * 3 + 8 * num;
}

/* The header that starts every block request. */
struct virtio_blk_outhdr {
	uint32_t type;			/* VIRTIO_BLK_T_* */
	uint32_t ioprio;
	uint64_t sector;		/* in 512-byte units */
};
_Static_assert(sizeof(struct virtio_blk_outhdr) == 16, "virtio: blk hdr");

/* virtio-net: features (bit numbers), configuration, queues. */
#define VIRTIO_NET_F_MAC 5		/* config holds the MAC address */
#define VIRTIO_NET_CFG_MAC 0		/* u8[6] */
#define VIRTIO_NET_Q_RX 0
#define VIRTIO_NET_Q_TX 1

/* The header in front of every frame, both ways. Without
 * VIRTIO_NET_F_MRG_RXBUF it is these 10 bytes (no num_buffers); with no
 * offload negotiated the device sends and expects all zeroes. */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 10, "virtio: net hdr");

#endif
