/*
 * host/arch/pci.h: just enough PCI for the host's virtio-blk driver: type-1
 * configuration access through ports 0xCF8/0xCFC and a depth-first scan
 * of the buses behind the host bridge. No resource assignment: the
 * firmware (SeaBIOS under QEMU) has already given every device its BARs
 * and its interrupt line, and we use what it chose.
 */
#ifndef LGREF_HOST_PCI_H
#define LGREF_HOST_PCI_H

#include <stdint.h>

/* Configuration-space offsets we use (PCI local bus spec, type 0 header). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_CLASS_REVISION 0x08	/* class << 8 | revision */
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0 0x10
#define PCI_SECONDARY_BUS 0x19	/* type 1 (bridge) header */
#define PCI_INTERRUPT_LINE 0x3C

#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MASTER 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_BAR_IO 0x1
#define PCI_CLASS_BRIDGE_PCI 0x0604

/* One function's address. */
struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
};

uint32_t pci_read32(const struct pci_dev *d, unsigned offset);
uint16_t pci_read16(const struct pci_dev *d, unsigned offset);
uint8_t pci_read8(const struct pci_dev *d, unsigned offset);
void pci_write16(const struct pci_dev *d, unsigned offset, uint16_t value);

/*
 * Every function with this vendor and device id, in scan order (bus 0
 * by device and function number, a bridge's buses where the bridge is
 * found). Fills at most max entries of out; returns how many were found
 * in total (which may be more than max).
 */
unsigned pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out,
		  unsigned max);

#endif
