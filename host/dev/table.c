/*
 * host/dev/table.c: the host's device kinds, in the order their options
 * are numbered (host/core/device.h). Adding a device is one file in
 * host/dev/ and one line here (docs/host-design.md "Adding a device").
 */
#include "dev/block.h"
#include "dev/console.h"
#include "dev/sharenet.h"
#include "dev/tunnet.h"

const struct device_ops *const device_kinds[] = {
	&block_device,
	&sharenet_device,
	&tunnet_device,
	&console_device,	/* every guest's, after its other devices */
};

const unsigned device_kind_count =
	sizeof(device_kinds) / sizeof(device_kinds[0]);
