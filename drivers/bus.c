/*
 * drivers/bus.c: the lguest bus. The launcher describes its devices in a
 * page at guest-physical `mem`, the first page above RAM: 16 descriptors of
 * type, features, status, page count and first page (spec §7). We scan it
 * once; there is no hot-plug in 2.6.23. Each device type's driver is one
 * file (drivers/console.c, drivers/blk.c, drivers/net.c), and this file
 * names none of them: they are listed in drivers/bus_drivers.c.
 */
#include <stddef.h>
#include <stdio.h>

#include "../kernel/bootparams.h"
#include "../kernel/kprintf.h"
#include "../kernel/vm.h"
#include "../kernel/x86.h"
#include "bus.h"

static volatile struct lguest_device_desc *bus_descs;
static gpa_t bus_page_gpa;

static const char *bus_type_name(uint16_t type)
{
	switch (type) {
	case LGUEST_DEVICE_T_CONSOLE: return "console";
	case LGUEST_DEVICE_T_NET: return "net";
	case LGUEST_DEVICE_T_BLOCK: return "block";
	default: return "unknown";
	}
}

static const struct bus_driver *bus_find_driver(uint16_t type)
{
	for (size_t i = 0; i < bus_driver_count; i++)
		if (bus_drivers[i].type == type)
			return &bus_drivers[i];
	return NULL;
}

/*D:020 Devices. There is no PCI here: the launcher wrote a page of device
 * descriptors just above the top of RAM, at the address the e820 map gives
 * as RAM's size. We map it and walk its 16 slots. Each device we see gets
 * ACKNOWLEDGE; each we have a driver for gets DRIVER, then DRIVER_OK if the
 * driver's probe worked or FAILED if not. (The 2.6.23 launcher never reads
 * these bits, but they cost nothing and show on the "devices" listing.) :*/
uint64_t bus_scan_done_tsc;

void bus_init(void)
{
	bus_page_gpa = gpa(bootparams_mem_bytes());
	bus_descs = vm_map_io(bus_page_gpa, 1);

	for (unsigned i = 0; i < LGUEST_MAX_DEVICES; i++)
		if (bus_descs[i].type != LGUEST_DEVICE_T_EMPTY)
			bus_descs[i].status |= LGUEST_DEVICE_S_ACKNOWLEDGE;

	for (unsigned i = 0; i < LGUEST_MAX_DEVICES; i++) {
		const struct bus_driver *drv = bus_find_driver(bus_descs[i].type);
		if (bus_descs[i].type == LGUEST_DEVICE_T_EMPTY || !drv)
			continue;
		struct bus_device dev = {i, &bus_descs[i]};
		bus_descs[i].status |= LGUEST_DEVICE_S_DRIVER;
		if (drv->probe(&dev) == 0)
			bus_descs[i].status |= LGUEST_DEVICE_S_DRIVER_OK;
		else
			bus_descs[i].status |= LGUEST_DEVICE_S_FAILED;
	}
	bus_scan_done_tsc = x86_rdtsc();
}
/*:*/

/* The status bits as names, e.g. "ACKNOWLEDGE|DRIVER|DRIVER_OK". */
static void bus_status_names(uint16_t status, char *out, size_t size)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} bits[] = {
		{LGUEST_DEVICE_S_ACKNOWLEDGE, "ACKNOWLEDGE"},
		{LGUEST_DEVICE_S_DRIVER, "DRIVER"},
		{LGUEST_DEVICE_S_DRIVER_OK, "DRIVER_OK"},
		{LGUEST_DEVICE_S_REMOVED, "REMOVED"},
		{LGUEST_DEVICE_S_REMOVED_ACK, "REMOVED_ACK"},
		{LGUEST_DEVICE_S_FAILED, "FAILED"},
	};
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(status & bits[i].bit))
			continue;
		int n = snprintf(out + used, size - used, "%s%s",
				 used ? "|" : "", bits[i].name);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(out, size, "-");
}

void bus_print(void)
{
	unsigned count = 0;
	char names[80];

	if (!bus_descs) {
		kprintf("devices: bus not scanned\n");
		return;
	}
	kprintf("devices (descriptor page at gpa 0x%08lx):\n",
		(unsigned long)gpa_val(bus_page_gpa));
	for (unsigned i = 0; i < LGUEST_MAX_DEVICES; i++) {
		volatile struct lguest_device_desc *d = &bus_descs[i];
		if (d->type == LGUEST_DEVICE_T_EMPTY)
			continue;
		count++;
		bus_status_names(d->status, names, sizeof(names));
		kprintf("  %2u %-7s features=0x%04x status=0x%04x %s "
			"pages=%u pfn=0x%05lx irq=%u\n",
			i, bus_type_name(d->type), d->features, d->status, names,
			d->num_pages, (unsigned long)d->pfn,
			LGUEST_DEVICE_IRQ(i));
		const struct bus_driver *drv = bus_find_driver(d->type);
		if (drv && drv->describe) {
			drv->describe(i, names, sizeof(names));
			if (names[0])
				kprintf("     %s\n", names);
		}
	}
	if (count == 0)
		kprintf("  (none)\n");
}
