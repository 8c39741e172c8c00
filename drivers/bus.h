/*
 * drivers/bus.h: the lguest bus, i.e. the device descriptor page the
 * launcher puts just above RAM (spec §7), and the drivers bound to it.
 */
#ifndef LGREF_DRIVERS_BUS_H
#define LGREF_DRIVERS_BUS_H

#include <stddef.h>
#include <stdint.h>

#include <lguest/launcher.h>

/* One slot of the descriptor page that holds a device. */
struct bus_device {
	unsigned index;                          /* 0..15; IRQ is index + 1 */
	volatile struct lguest_device_desc *desc; /* in the device page */
};

/* A driver for one device type. */
struct bus_driver {
	uint16_t type; /* LGUEST_DEVICE_T_* */
	/* Bring the device up: 0 (DRIVER_OK), or -1 (FAILED). */
	int (*probe)(const struct bus_device *dev);
	/* Optional: a line about the device at this slot for the listing
	 * (a disk's name and size), "" for nothing. */
	void (*describe)(unsigned index, char *out, size_t size);
};

/* The drivers this guest has, one per device type (drivers/bus_drivers.c):
 * the bus core loops over them and never names a device. */
extern const struct bus_driver bus_drivers[];
extern const size_t bus_driver_count;

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
