/*
 * drivers/bus_drivers.c: the drivers the bus binds (drivers/bus.h), one
 * line per device type. Adding a device is one driver file and one line
 * here; the bus core (drivers/bus.c) never names a device, so the drivers
 * depend on the bus and not the other way round.
 */
#include <stddef.h>

#include "blk.h"
#include "bus.h"
#include "console.h"
#include "net.h"

const struct bus_driver bus_drivers[] = {
	{LGUEST_DEVICE_T_CONSOLE, console_probe, NULL},
	{LGUEST_DEVICE_T_BLOCK, blk_probe, blk_describe},
	{LGUEST_DEVICE_T_NET, net_probe, net_describe},
};

const size_t bus_driver_count = sizeof(bus_drivers) / sizeof(bus_drivers[0]);
