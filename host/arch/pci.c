/*
 * host/arch/pci.c: PCI configuration mechanism #1 and a device scan. The
 * address register at 0xCF8 selects bus, device, function and dword; the
 * data register at 0xCFC reads or writes it. See host/arch/pci.h.
 */
#include <stdbool.h>

#include "arch/pci.h"
#include "arch/x86.h"

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define PCI_NO_DEVICE 0xFFFF
#define PCI_MAX_DEPTH 8		/* bridges below bridges; QEMU's pc has none */

static void select_dword(const struct pci_dev *d, unsigned offset)
{
	outl(PCI_CONFIG_ADDRESS, 0x80000000u | (uint32_t)d->bus << 16 |
	     (uint32_t)d->dev << 11 | (uint32_t)d->fn << 8 | (offset & 0xFC));
}

uint32_t pci_read32(const struct pci_dev *d, unsigned offset)
{
	select_dword(d, offset);
	return inl(PCI_CONFIG_DATA);
}

uint16_t pci_read16(const struct pci_dev *d, unsigned offset)
{
	return (uint16_t)(pci_read32(d, offset) >> ((offset & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, unsigned offset)
{
	return (uint8_t)(pci_read32(d, offset) >> ((offset & 3) * 8));
}

void pci_write16(const struct pci_dev *d, unsigned offset, uint16_t value)
{
	select_dword(d, offset);
	outw((uint16_t)(PCI_CONFIG_DATA + (offset & 2)), value);
}

/* Every function on the buses, found by one scan at the first
 * pci_find() and kept: each scan is some 120 port accesses, dear under
 * QEMU, and the disks' and the NICs' lookups would each repeat it. The
 * host never sees hot-plug. A machine with more functions than we keep
 * (real hardware, booted by GRUB) is scanned again at each lookup. */
#define PCI_MAX_SEEN 128
static struct pci_dev seen[PCI_MAX_SEEN];
static unsigned nseen;
static bool scanned, overflow;

struct scan {
	bool record;			/* into seen[], or: */
	uint16_t vendor, device;	/* hand out those */
	struct pci_dev *out;
	unsigned max, found;
};

static void scan_bus(struct scan *s, uint8_t bus, unsigned depth);

static void found_function(struct scan *s, const struct pci_dev *d)
{
	if (s->record) {
		if (nseen < PCI_MAX_SEEN)
			seen[nseen++] = *d;
		else
			overflow = true;
	} else if (d->vendor == s->vendor && d->device == s->device) {
		if (s->found < s->max)
			s->out[s->found] = *d;
		s->found++;
	}
}

static void scan_function(struct scan *s, struct pci_dev *d, unsigned depth)
{
	uint32_t id = pci_read32(d, PCI_VENDOR_ID);

	d->vendor = (uint16_t)id;
	d->device = (uint16_t)(id >> 16);
	found_function(s, d);
	if (pci_read32(d, PCI_CLASS_REVISION) >> 16 == PCI_CLASS_BRIDGE_PCI &&
	    (pci_read8(d, PCI_HEADER_TYPE) & 0x7F) == 1 &&
	    depth < PCI_MAX_DEPTH) {
		uint8_t secondary = pci_read8(d, PCI_SECONDARY_BUS);
		if (secondary > d->bus)	/* else unconfigured or a loop */
			scan_bus(s, secondary, depth + 1);
	}
}

static void scan_bus(struct scan *s, uint8_t bus, unsigned depth)
{
	for (uint8_t dev = 0; dev < 32; dev++) {
		struct pci_dev d = { bus, dev, 0, 0, 0 };
		if (pci_read16(&d, PCI_VENDOR_ID) == PCI_NO_DEVICE)
			continue;
		unsigned nfn = pci_read8(&d, PCI_HEADER_TYPE) & 0x80 ? 8 : 1;
		for (uint8_t fn = 0; fn < nfn; fn++) {
			d.fn = fn;
			if (pci_read16(&d, PCI_VENDOR_ID) != PCI_NO_DEVICE)
				scan_function(s, &d, depth);
		}
	}
}

unsigned pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out,
		  unsigned max)
{
	struct scan s = { false, vendor, device, out, max, 0 };

	if (!scanned) {
		struct scan all = { .record = true };
		scan_bus(&all, 0, 0);
		scanned = true;
	}
	if (overflow) {		/* too many to keep: scan for these */
		scan_bus(&s, 0, 0);
		return s.found;
	}
	for (unsigned i = 0; i < nseen; i++) {
		if (seen[i].vendor != vendor || seen[i].device != device)
			continue;
		if (s.found < max)
			out[s.found] = seen[i];
		s.found++;
	}
	return s.found;
}
