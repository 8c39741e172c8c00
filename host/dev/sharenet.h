/*
 * host/dev/sharenet.h: --sharenet networks (docs/abi.md §8.3): every
 * guest of this host whose --sharenet has the same name shares one
 * network page, and they send to each other with guest-to-guest DMA.
 */
#ifndef LGREF_HOST_DEV_SHARENET_H
#define LGREF_HOST_DEV_SHARENET_H

#include "core/device.h"

extern const struct device_ops sharenet_device;

#endif
