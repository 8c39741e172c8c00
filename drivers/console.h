/*
 * drivers/console.h: the lguest console (spec §8.1). Output is the
 * kernel's early console (kernel/early_console.h), so it works from the
 * moment LGUEST_INIT is done, before the bus is scanned; input needs the
 * driver bound to the console device (console_probe, from drivers/bus.c).
 */
#ifndef LGREF_DRIVERS_CONSOLE_H
#define LGREF_DRIVERS_CONSOLE_H

#include <stddef.h>

#include "../lib/kapi.h" /* console_write(), console_read() */
#include "bus.h"

/*
 * Bind the input buffer at key 0 with the device's IRQ. Returns 0, or -1
 * (then the bus marks the device FAILED). Only one console is driven.
 */
int console_probe(const struct bus_device *dev);

#endif
