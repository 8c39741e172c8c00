/*
 * drivers/bus.h: the lguest bus, i.e. the device descriptor page the
 * launcher puts just above RAM (spec §7), and the drivers bound to it.
 */
#ifndef LGREF_DRIVERS_BUS_H
#define LGREF_DRIVERS_BUS_H

#include <lguest/launcher.h>

/* One slot of the descriptor page that holds a device. */
struct bus_device {
	unsigned index;                          /* 0..15; IRQ is index + 1 */
	volatile struct lguest_device_desc *desc; /* in the device page */
};

/*
 * Map the descriptor page, acknowledge every device in it, and bind a
 * driver to each device we have one for, setting the status bits as the
 * 2.6.23 guest does (ACKNOWLEDGE, DRIVER, then DRIVER_OK or FAILED).
 * Call with the kernel's memory and interrupts set up.
 */
void bus_init(void);

/* TSC when the scan (and every probe) finished, for `make bench`. */
extern uint64_t bus_scan_done_tsc;

/* Print the devices as scanned, one line each, with their status bits. */
void bus_print(void);

#endif
