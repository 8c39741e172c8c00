/*
 * host/core/devices.c: the core's loops over the device table
 * (host/core/devices.h), and the calls host/core/device.h offers devices.
 * This file, and no other of the core, knows that devices exist; it still
 * names none: the kinds are whatever host/dev/table.c lists.
 */
#include <stdio.h>
#include <string.h>

#include "arch/hot.h"
#include "arch/log.h"
#include "core/devices.h"
#include "core/guest.h"
#include "core/inject.h"
#include "core/interrupts.h"

static const char *option_names[LGUEST_MAX_DEVICES];
const char *const *device_options = option_names;
unsigned device_option_count;
static const struct device_ops *option_kind[LGUEST_MAX_DEVICES];

/* The kinds' poll() and input_pending(), copied from the table at
 * start-up onto the exit path's page (host/arch/hot.h): every exit calls
 * them, and the table and the ops structs are on other pages. */
#define MAX_KINDS 8
static void (*poll_fn[MAX_KINDS])(void) EXIT_HOT_DATA;
static bool (*input_fn[MAX_KINDS])(void) EXIT_HOT_DATA;
static const volatile unsigned *poll_hint[MAX_KINDS] EXIT_HOT_DATA;
static const volatile unsigned *input_hint[MAX_KINDS] EXIT_HOT_DATA;
static unsigned npoll EXIT_HOT_DATA, ninput EXIT_HOT_DATA;
static const unsigned always = 1;	/* a kind that gives no hint */

void devices_host_init(const char *cmdline)
{
	HOST_ASSERT(device_kind_count <= MAX_KINDS);
	for (unsigned k = 0; k < device_kind_count; k++) {
		const struct device_ops *ops = device_kinds[k];
		const volatile unsigned *hint = ops->poll_hint ? ops->poll_hint
							       : &always;
		if (ops->poll) {
			poll_hint[npoll] = hint;
			poll_fn[npoll++] = ops->poll;
		}
		if (ops->input_pending) {
			input_hint[ninput] = hint;
			input_fn[ninput++] = ops->input_pending;
		}
		if (ops->option) {
			HOST_ASSERT(device_option_count < LGUEST_MAX_DEVICES);
			option_kind[device_option_count] = ops;
			option_names[device_option_count++] = ops->option;
		} else {
			/* The loader writes the descriptor of the one kind
			 * every guest gets, last: it must be the console. */
			HOST_ASSERT(ops->type == LGUEST_DEVICE_T_CONSOLE);
		}
		if (ops->host_init)
			ops->host_init(cmdline);
	}
}

/* Reserve device `index` of g, of kind ops, for `value`. */
static int reserve_one(struct guest *g, const struct device_ops *ops,
		       const char *value, char *err, size_t errlen)
{
	struct device *d = &g->dev[g->ndevices];

	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->g = g;
	d->index = g->ndevices++;
	return ops->reserve(d, value, err, errlen);
}

int devices_reserve(struct guest *g, struct loader_device *descs, char *err,
		    size_t errlen)
{
	char first[256] = "";
	int bad = 0;

	g->ndevices = 0;
	for (unsigned i = 0; i < g->args.ndevices; i++) {
		const struct launch_device *o = &g->args.devices[i];
		char e[256];
		if (reserve_one(g, option_kind[o->option], o->value, e,
				sizeof(e)) && !bad) {
			bad = -1;	/* keep reserving, report the first */
			snprintf(first, sizeof(first), "%s", e);
		}
	}
	for (unsigned k = 0; k < device_kind_count && !bad; k++)
		if (!device_kinds[k]->option &&
		    reserve_one(g, device_kinds[k], "", first, sizeof(first)))
			bad = -1;
	if (bad) {
		devices_detach(g);
		snprintf(err, errlen, "%s", first);
		return -1;
	}
	for (unsigned i = 0; i < g->args.ndevices; i++) {
		descs[i].type = g->dev[i].ops->type;
		descs[i].features = g->dev[i].features;
		descs[i].num_pages = g->dev[i].num_pages;
	}
	return 0;
}

int devices_relaunchable(const struct guest *g, char *err, size_t errlen)
{
	for (unsigned i = 0; i < g->args.ndevices; i++) {
		const struct launch_device *o = &g->args.devices[i];
		const struct device_ops *ops = option_kind[o->option];
		if (!ops->reserve_again) {
			snprintf(err, errlen, "--%s=%s cannot be given to a "
				 "re-launch of the guest (a %s device takes the "
				 "next one of the host's each time)", ops->option,
				 o->value, ops->name);
			return -1;
		}
	}
	return 0;
}

size_t devices_pages_held(void)
{
	size_t n = 0;

	for (unsigned k = 0; k < device_kind_count; k++)
		if (device_kinds[k]->pages_held)
			n += device_kinds[k]->pages_held();
	return n;
}

int devices_attach(struct guest *g, const struct loader_result *res,
		   char *err, size_t errlen)
{
	for (unsigned i = 0; i < g->ndevices; i++) {
		struct device *d = &g->dev[i];
		d->page = gpa(res->device_pfn[i] * GMEM_PAGE_SIZE);
		if (d->ops->attach && d->ops->attach(d, err, errlen))
			return -1;
		d->attached = true;
	}
	return 0;
}

/* Two passes, quiesce then detach: no device may give back memory (a
 * --sharenet page, say) while another still has a transfer in flight
 * into it. */
enum device_quiesce devices_quiesce(struct guest *g)
{
	bool busy = false, stalled = false;

	for (unsigned i = 0; i < g->ndevices; i++) {
		struct device *d = &g->dev[i];
		enum device_quiesce q = d->ops->quiesce ? d->ops->quiesce(d)
							: DEVICE_IDLE;
		busy |= q == DEVICE_BUSY;
		stalled |= q == DEVICE_STALLED;
	}
	return busy ? DEVICE_BUSY : stalled ? DEVICE_STALLED : DEVICE_IDLE;
}

void devices_detach(struct guest *g)
{
	while (g->ndevices) {
		struct device *d = &g->dev[--g->ndevices];
		if (d->ops->detach)
			d->ops->detach(d);
		memset(d, 0, sizeof(*d));
	}
}

DMA_HOT_TEXT bool devices_send(struct guest *g, gpa_t key, gpa_t dma_gpa,
		  const struct lguest_dma *dma)
{
	for (unsigned i = 0; i < g->ndevices; i++) {
		struct device *d = &g->dev[i];
		if (d->ops->send && d->ops->send(d, key, dma_gpa, dma))
			return true;
	}
	return false;
}

EXIT_HOT_TEXT bool devices_input_pending(void)
{
	for (unsigned k = 0; k < ninput; k++)
		if (*input_hint[k] && input_fn[k]())
			return true;
	return false;
}

EXIT_HOT_TEXT void devices_poll(void)
{
	for (unsigned k = 0; k < npoll; k++)	/* in table order */
		if (*poll_hint[k])
			poll_fn[k]();
	inject_poll();	/* faults a test asked for, held until now */
}

void devices_recover(void)
{
	for (unsigned k = 0; k < device_kind_count; k++)
		if (device_kinds[k]->recover)
			device_kinds[k]->recover();
}

/*H:160 A PCI line is the OR of the devices on it, and each device lowers
 * its part only when we read its ISR. Reading them one after another
 * leaves a gap: a device already read may raise the line again before we
 * read the next. So we go round until a whole round finds nobody: then
 * the line was low at the end, and the next raise is a new edge even for
 * an 8259 in edge mode (the host also puts PCI lines in level mode,
 * host/arch/pic.c, which covers a raise after the last round). :*/
unsigned devices_hw_irq(unsigned irq)
{
	unsigned rounds = 0;
	bool found;

	do {
		found = false;
		for (unsigned k = 0; k < device_kind_count; k++)
			if (device_kinds[k]->hw_irq &&
			    device_kinds[k]->hw_irq(irq))
				found = true;
	} while (found && ++rounds < DEVICES_HW_IRQ_ROUNDS);
	return rounds;
}

void devices_run_start(void)
{
	for (unsigned k = 0; k < device_kind_count; k++)
		if (device_kinds[k]->run_start)
			device_kinds[k]->run_start();
}

void devices_host_exit(void)
{
	for (unsigned k = 0; k < device_kind_count; k++)
		if (device_kinds[k]->host_exit)
			device_kinds[k]->host_exit();
}

/* ----------------------------------------- host/core/device.h for devices */

struct gmem *guest_mem(struct guest *g)
{
	return &g->mem;
}

unsigned guest_id(const struct guest *g)
{
	return g->id;
}

bool guest_stopped(const struct guest *g)
{
	return guest_dead(g);
}

bool guest_halted(const struct guest *g)
{
	return g->state == GUEST_HALTED;
}

bool guest_initialised(const struct guest *g)
{
	return g->initialised;
}

bool guest_verbose(const struct guest *g)
{
	return g->args.verbose;
}

uint64_t guest_exits(const struct guest *g)
{
	return g->exits;
}

bool guests_other_runnable(const struct guest *g)
{
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		struct guest *o = &guests[i];
		if (o == g || o->state == GUEST_FREE || guest_dead(o))
			continue;
		if (interrupts_guest_wants_cpu(o))
			return true;
	}
	return false;
}
