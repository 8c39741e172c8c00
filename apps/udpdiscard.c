/*
 * apps/udpdiscard.c: the discard service and the `discard` command
 * (apps/udpdiscard.h). The handler runs in the network driver's
 * interrupt handler; the command only reads what it counted.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../drivers/net.h"
#include "../kernel/clock.h"
#include "../kernel/irq.h"
#include "../kernel/kprintf.h"
#include "../lib/udp.h"
#include "progress.h"
#include "udpdiscard.h"
#include "../lib/hot.h"

#define UDPDISCARD_MAX_IDLE_MS 600000u

GUEST_HOT_DATA static volatile uint32_t discard_datagrams;
GUEST_HOT_DATA static volatile uint64_t discard_bytes;
GUEST_HOT_DATA static volatile uint64_t discard_last_ns; /* when the latest one came */
static uint32_t discard_reported;          /* the count `discard` printed */

GUEST_HOT_TEXT
static void udpdiscard_rx(struct netstack *ns, void *ctx,
			  const struct udp_rx *d)
{
	(void)ns;
	(void)ctx;
	discard_datagrams++;
	discard_bytes += d->len;
	discard_last_ns = clock_now_ns();
}

void udpdiscard_start(void)
{
	for (unsigned i = 0; i < net_count(); i++) {
		struct net_if *nif = net_get(i);
		uint32_t flags = irq_save();
		int rc = udp_bind(net_stack(nif), UDPDISCARD_PORT,
				  udpdiscard_rx, NULL);
		irq_restore(flags);
		if (rc != 0)
			kprintf("%s: cannot start the discard service (%d)\n",
				net_name(nif), rc);
	}
}


void udpdiscard_print(void)
{
	char bytes[24];

	kprintf("udp discard on port %u: %lu datagrams (%s bytes)\n",
		UDPDISCARD_PORT, (unsigned long)discard_datagrams,
		progress_u64(discard_bytes, bytes));
}

void udpdiscard_command(const char *args)
{
	char *end;
	unsigned long idle_ms = strtoul(args, &end, 10);

	fflush(stdout);
	while (*end == ' ')
		end++;
	if (*end || (end != args && (idle_ms < 1 ||
				     idle_ms > UDPDISCARD_MAX_IDLE_MS))) {
		kprintf("discard: usage: discard [idle_ms 1..%u]\n",
			UDPDISCARD_MAX_IDLE_MS);
		return;
	}
	/* The timer tick wakes us at least every 10 ms. */
	if (idle_ms) {
		uint32_t flags = irq_save();
		uint64_t start = clock_now_ns();
		while (discard_datagrams == discard_reported &&
		       clock_now_ns() - start <
		       UDPDISCARD_FIRST_WAIT_MS * 1000000ull)
			irq_wait();
		while (discard_datagrams != discard_reported &&
		       clock_now_ns() - discard_last_ns < idle_ms * 1000000ull)
			irq_wait();
		irq_restore(flags);
	}
	char bytes[24];
	uint32_t flags = irq_save();
	uint32_t datagrams = discard_datagrams;
	uint64_t total = discard_bytes;
	irq_restore(flags);
	discard_reported = datagrams;
	kprintf("UDPDISCARD datagrams=%lu bytes=%s\n", (unsigned long)datagrams,
		progress_u64(total, bytes));
}
