/*
 * host/backends/virtio_pci.h: the steps every legacy virtio PCI driver of the host
 * takes the same way (host/backends/virtio_blk.c, host/backends/virtio_net.c): bringing the
 * function up to DRIVER, status bits, and laying out a split ring.
 */
#ifndef LGREF_HOST_VIRTIO_PCI_H
#define LGREF_HOST_VIRTIO_PCI_H

#include <stdint.h>

#include "arch/pci.h"
#include "backends/virtio.h"

#define VIRTIO_NO_IRQ 0xFF	/* no usable interrupt line: poll only */

/* Host-physical address of host memory (identity-mapped). */
static inline uint32_t virtio_phys(const volatile void *p)
{
	return (uint32_t)(uintptr_t)p;
}

/*
 * The legacy walk up to feature negotiation: BAR0 must be an I/O range the
 * firmware assigned; turn on I/O decoding and bus mastering (the device
 * reads and writes our memory), read the 8259 line (VIRTIO_NO_IRQ if
 * none), reset the device and set ACKNOWLEDGE and DRIVER. `what` names the
 * driver in the message. Returns 0, or -1 after a message.
 */
int virtio_pci_begin(const struct pci_dev *pci, const char *what,
		     uint16_t *io, uint8_t *irq);

/* Set status bits, keeping the ones already set. */
void virtio_pci_set_status(uint16_t io, uint8_t bits);

/* Where a legacy ring of `size` entries, at page-aligned `ring`
 * (vring_legacy_size(size) bytes), keeps its three parts. */
void vring_legacy_layout(uint8_t *ring, uint16_t size,
			 struct vring_desc **desc, struct vring_avail **avail,
			 volatile struct vring_used **used);

#endif
