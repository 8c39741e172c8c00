/*
 * host/dev/console.h: the Launcher's console device (docs/abi.md §8.1),
 * backed by COM1: every guest gets one, its output goes straight to COM1,
 * and bytes typed on COM1 go into the bound receive buffer of the guest
 * that has input (Ctrl-A and a guest number picks it).
 */
#ifndef LGREF_HOST_DEV_CONSOLE_H
#define LGREF_HOST_DEV_CONSOLE_H

#include "core/device.h"

extern const struct device_ops console_device;

#endif
