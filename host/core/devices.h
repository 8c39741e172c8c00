/*
 * host/core/devices.h: the core's side of the device table
 * (host/core/device.h): the loops the launch, the SEND_DMA routing, the
 * run loop and the hardware interrupt make over every device kind or
 * every device of a guest. None of them names a device.
 */
#ifndef LGREF_HOST_DEVICES_H
#define LGREF_HOST_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/device.h"
#include "rules/loader.h"

struct guest;
struct launch_args;

/* The device options every guest's launcher arguments may use, in table
 * order: launch_args_parse()'s device_options. */
extern const char *const *device_options;
extern unsigned device_option_count;

/* Host start-up: build the option list; every kind's host_init(). */
void devices_host_init(const char *cmdline);

/* Launch step 1: a device for each device option of g's arguments, in
 * order, then one of each kind without an option (the console). Each is
 * reserved, all of them even after one fails, so that every option takes
 * its place in the host's numbering (the n-th --block the n-th disk); the
 * loader's descriptors are filled in. Returns 0, or -1 with the first
 * error, every device reserved so far already detached. */
int devices_reserve(struct guest *g, struct loader_device *descs,
		    char *err, size_t errlen);

/* Can every device of g's arguments be reserved again for a re-launch
 * (device_ops.reserve_again)? 0, or -1 with err naming the first that
 * cannot and why. */
int devices_relaunchable(const struct guest *g, char *err, size_t errlen);

/* Pages every kind holds now (device_ops.pages_held). */
size_t devices_pages_held(void);

/* Launch step 2, with the loader's result: each device learns its page
 * and is attached. 0, or -1 with err (the caller detaches). */
int devices_attach(struct guest *g, const struct loader_result *res,
		   char *err, size_t errlen);

/* g stopped or its launch failed: quiesce every device of g. IDLE if
 * none has a transfer in flight; else BUSY if one has and its hardware
 * is not stalled, else STALLED. */
enum device_quiesce devices_quiesce(struct guest *g);

/* Then detach each, last first; g then has none. */
void devices_detach(struct guest *g);

/* SEND_DMA of g to key: true if one of g's devices took it. */
bool devices_send(struct guest *g, gpa_t key, gpa_t dma_gpa,
		  const struct lguest_dma *dma);

/* Would a device deliver input at the next exit? */
bool devices_input_pending(void);

/* Every kind's poll(), recover(), run_start(), host_exit(). devices_poll()
 * also lets go what a test's fault injection held until now
 * (host/core/inject.h inject_poll()). */
void devices_poll(void);
void devices_recover(void);
/* Every kind's hw_irq(irq), round after round until a whole round finds
 * no device that raised the line (at most DEVICES_HW_IRQ_ROUNDS).
 * Returns the number of rounds that found one: 0 means nobody on the
 * line had raised it. */
#define DEVICES_HW_IRQ_ROUNDS 16
unsigned devices_hw_irq(unsigned irq);
void devices_run_start(void);
void devices_host_exit(void);

#endif
