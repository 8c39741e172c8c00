/*
 * host/backends/virtio_pci.c: the legacy virtio PCI steps the host's drivers share
 * (host/backends/virtio_pci.h).
 */
#include "arch/log.h"
#include "backends/virtio_pci.h"
#include "arch/x86.h"

void virtio_pci_set_status(uint16_t io, uint8_t bits)
{
	outb(io + VIRTIO_PCI_STATUS,
	     (uint8_t)(inb(io + VIRTIO_PCI_STATUS) | bits));
}

int virtio_pci_begin(const struct pci_dev *pci, const char *what,
		     uint16_t *io, uint8_t *irq)
{
	uint32_t bar = pci_read32(pci, PCI_BAR0);

	if (!(bar & PCI_BAR_IO) || (bar & ~3u) == 0 || (bar & ~3u) > 0xFFFF) {
		hlog("%s %02x:%02x.%x: BAR0 %#x is not an assigned I/O range "
		     "(use disable-modern=on)\n", what, pci->bus, pci->dev,
		     pci->fn, (unsigned)bar);
		return -1;
	}
	*io = (uint16_t)(bar & ~3u);
	uint16_t cmd = pci_read16(pci, PCI_COMMAND);
	pci_write16(pci, PCI_COMMAND, (uint16_t)((cmd | PCI_COMMAND_IO |
		    PCI_COMMAND_MASTER) & ~PCI_COMMAND_INTX_DISABLE));
	uint8_t line = pci_read8(pci, PCI_INTERRUPT_LINE);
	*irq = line < 16 && line != 2 ? line : VIRTIO_NO_IRQ;

	outb(*io + VIRTIO_PCI_STATUS, 0);		/* reset */
	virtio_pci_set_status(*io, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_pci_set_status(*io, VIRTIO_STATUS_DRIVER);
	return 0;
}

void vring_legacy_layout(uint8_t *ring, uint16_t size,
			 struct vring_desc **desc, struct vring_avail **avail,
			 volatile struct vring_used **used)
{
	*desc = (struct vring_desc *)ring;
	*avail = (struct vring_avail *)(ring + 16u * size);
	*used = (volatile struct vring_used *)(ring +
		vring_legacy_size(size) - (6u + 8u * size));
}
