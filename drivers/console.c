/*
 * drivers/console.c: the lguest console, both directions (spec §8.1).
 *
 * Output is the kernel's early console (kernel/early_console.c), which
 * works before this driver is bound and needs nothing of it. Input is one
 * 256-byte buffer bound at key 0: the launcher fills it and raises our
 * IRQ, and the handler moves the bytes into a ring for console_read() and
 * re-arms the buffer.
 */
#include <stdbool.h>
#include <string.h>

#include <lguest/launcher.h>

#include "../kernel/early_console.h"
#include "../kernel/hcall.h"
#include "../kernel/irq.h"
#include "../kernel/mm.h"
#include "../kernel/x86.h"
#include "../lib/bytering.h"
#include "console.h"

#define CONSOLE_RING_SIZE 4096 /* input the program has not read yet */

/* DMA buffers must not cross a page: align them to their (rounded) size. */
static char console_in_buf[LGUEST_CONSOLE_IN_BUF_SIZE]
	__attribute__((aligned(LGUEST_CONSOLE_IN_BUF_SIZE)));
static volatile struct lguest_dma console_in_dma __attribute__((aligned(128)));

static uint8_t console_ring_buf[CONSOLE_RING_SIZE];
static struct bytering console_ring =
	BYTERING_INIT(console_ring_buf, CONSOLE_RING_SIZE);
static bool console_bound;
static bool console_rearm_pending; /* buffer held back: ring too full */

/*D:010 The console driver. Output needs no driver at all: it is the
 * kernel's early console (kernel/early_console.c), a SEND_DMA to key 0
 * that works from LGUEST_INIT on, and the driver's output is just that.
 * What the driver adds is input, which needs a buffer bound at key 0 and
 * an interrupt. :*/
void console_write(const void *buf, size_t len)
{
	early_console_write(buf, len);
}
/*:*/

/* Hand the input buffer (back) to the launcher: section first, then
 * used_len = 0, which is what marks it free (spec §6.3). */
static void console_arm(void)
{
	console_in_dma.addr[0] = gpa_val(virt_to_gpa(console_in_buf));
	console_in_dma.len[0] = sizeof(console_in_buf);
	console_in_dma.len[1] = 0;
	x86_barrier();
	console_in_dma.used_len = 0;
}

/* Flow control: hand the buffer back only when the ring can take a full
 * buffer more. Until then the launcher keeps the input (and, behind it,
 * the terminal), so a burst typed faster than we read is not lost. */
static void console_arm_if_room(void)
{
	if (CONSOLE_RING_SIZE - bytering_used(&console_ring) >=
	    sizeof(console_in_buf)) {
		console_rearm_pending = false;
		console_arm();
	} else {
		console_rearm_pending = true;
	}
}

/*D:040 Keyboard input! The launcher read up to 256 bytes into our buffer,
 * wrote their number into used_len and raised our IRQ. We copy them into
 * the ring for console_read() and re-arm the buffer straight away: if the
 * launcher finds it still full next time, it overwrites it (spec §8.1),
 * and those bytes would be lost. A used_len of 0 means end of input. :*/
static void console_irq(unsigned irq)
{
	uint32_t n = console_in_dma.used_len;

	(void)irq;
	if (n == 0)
		return;
	if (n > sizeof(console_in_buf))
		n = sizeof(console_in_buf);
	/* All n fit: the buffer is only handed out while the ring has room
	 * for a whole one (console_arm_if_room). */
	bytering_put(&console_ring, console_in_buf, n);
	console_arm_if_room();
}
/*:*/

/*D:030 The console driver proper only matters for input. We offer the
 * launcher a single 256-byte buffer, as an array of one struct lguest_dma,
 * "bound" at key 0 with the IRQ of the console's slot on the bus (slot i
 * gets IRQ i + 1). BIND_DMA is the one hypercall that answers: 1 if the
 * host took the binding. :*/
int console_probe(const struct bus_device *dev)
{
	unsigned irq = LGUEST_DEVICE_IRQ(dev->index);

	if (console_bound)
		return -1;
	console_arm();
	if (irq_register(irq, console_irq) != 0)
		return -1;
	uint32_t ok = hcall(LHCALL_BIND_DMA, LGUEST_CONSOLE_DMA_KEY,
			    gpa_val(virt_to_gpa(&console_in_dma)),
			    (1u << LHCALL_BIND_DMA_COUNT_SHIFT) | irq);
	if (ok != 1)
		goto fail_unregister;
	console_bound = true;
	return 0;

fail_unregister:
	irq_unregister(irq);
	return -1;
}
/*:*/

size_t console_read(void *buf, size_t len)
{
	size_t n;

	if (len == 0)
		return 0;
	uint32_t flags = irq_save();
	while ((n = bytering_get(&console_ring, buf, len)) == 0)
		irq_wait();
	if (console_rearm_pending)
		console_arm_if_room();
	irq_restore(flags);
	return n;
}
