/*
 * host/dev/console.c: the console device of docs/abi.md §8.1 on COM1.
 *
 * Output: every guest's console output goes to COM1 unchanged.
 * Input: bytes typed on COM1 are kept in a 64 KiB host buffer and handed,
 * GETDMA-style, to the receive buffer the console guest bound at key 0,
 * raising its console IRQ. Unlike the 2.6.23 Launcher we wait for the guest
 * to re-arm its buffer instead of overwriting unread input, so a burst of
 * typing is not lost (docs/abi.md §14). While that guest has no buffer
 * bound at key 0 at all, input is discarded, as the 2.6.23 Launcher did —
 * see console_poll().
 *
 * Which guest: the lowest-numbered live one at start, until the user picks
 * another with an escape (Ctrl-A and a guest number, host/rules/console_escape.h)
 * or that guest stops, when input moves to the lowest-numbered live guest.
 * Every move is announced on the diagnostic channel; input typed for the
 * old guest that it had not yet taken is dropped, not handed to the new.
 */
#include <stdio.h>
#include "arch/hot.h"
#include <string.h>

#include "arch/log.h"
#include "arch/pic.h"
#include "arch/serial.h"
#include "dev/console.h"
#include "rules/check.h"
#include "rules/console_escape.h"

#define INPUT_BUFFER 65536u

static uint8_t input[INPUT_BUFFER];
static uint32_t input_head, input_tail;	/* free-running counters */
/* input_head - input_tail, kept by input_moved(): the core polls us only
 * while it is non-zero (device_ops poll_hint). */
static unsigned input_queued EXIT_HOT_DATA;

static void input_moved(void)
{
	input_queued = input_head - input_tail;
}
static uint32_t input_dropped;

/* Each guest's console, by guest id; NULL when it has none. */
static struct device *consoles[MAX_LGUEST_GUESTS];

static int console_reserve(struct device *d, const char *value, char *err,
			   size_t errlen)
{
	unsigned id = guest_id(d->g);

	(void)value;
	if (id >= MAX_LGUEST_GUESTS || consoles[id]) {
		snprintf(err, errlen, "console: guest %u has one already", id);
		return -1;
	}
	consoles[id] = d;
	d->features = 0;
	d->num_pages = 0;
	return 0;
}

/* Console output a guest may write in one exit (its SEND_DMAs, the async
 * ring's included). Every byte to COM1 is a port write, slow under QEMU
 * (about 1.7 us), and the host writes it with every guest stopped: one
 * exit's 64 queued sends of 1 MiB each held the host for two minutes
 * (tests/poc/attack_console_hog). Guests write 256 bytes at a time (the
 * hvc chunk, docs/abi.md §8.1), so 4 KiB is sixteen of those. */
#define CONSOLE_BYTES_PER_EXIT 4096u

/* How much each guest wrote in its current exit. */
static struct {
	uint64_t exit;		/* guest_exits() when counting started */
	uint32_t bytes;
} budget[MAX_LGUEST_GUESTS];

/* How many of `want` bytes g may write now. */
static uint32_t allowance(struct guest *g, uint32_t want)
{
	unsigned id = guest_id(g);
	uint64_t exit = guest_exits(g);

	if (budget[id].exit != exit) {
		budget[id].exit = exit;
		budget[id].bytes = 0;
	}
	uint32_t left = CONSOLE_BYTES_PER_EXIT - budget[id].bytes;
	uint32_t n = want < left ? want : left;
	budget[id].bytes += n;
	return n;
}

/*H:490 Console output: the sections of the SEND_DMA, to COM1 as they are.
 * Each section is walked in pieces of host memory (host/rules/gmem.h), so
 * one that runs from the guest's own pages into a page shared with other
 * guests is written whole, as the 2.6.23 Launcher's writev() did. At most
 * CONSOLE_BYTES_PER_EXIT bytes per exit: what is over is not written, and
 * used_len says how much was (docs/abi.md §14.1). :*/
static bool console_send(struct device *d, gpa_t key, gpa_t dma_gpa,
			 const struct lguest_dma *dma)
{
	struct gmem *mem = guest_mem(d->g);
	char err[160];
	uint32_t total = 0;

	if (gpa_val(key) != LGUEST_CONSOLE_DMA_KEY)
		return false;
	if (check_dma_sections(dma, mem, false, &total, err, sizeof(err))) {
		guest_kill(d->g, "console SEND_DMA: %s", err);
		return true;
	}
	uint32_t left = allowance(d->g, total), written = 0;
	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i] &&
			     written < left; i++) {
		struct gmem_walk w;
		struct gmem_piece p;
		uint32_t len = dma->len[i] < left - written ? dma->len[i]
							   : left - written;
		if (gmem_walk_start(&w, mem, gpa(dma->addr[i]), len))
			continue;	/* cannot happen: checked above */
		while (gmem_walk_next(&w, &p))
			serial_write(SERIAL_COM1, p.host, p.len);
		written += len;
	}
	gmem_write32(mem, dma_gpa, written);
	return true;
}

static struct console_escape escape;
static int target = -1;	/* the guest that gets input; -1: none yet */

static bool live(unsigned id)
{
	return id < MAX_LGUEST_GUESTS && consoles[id] &&
	       !guest_stopped(consoles[id]->g);
}

/* The lowest-numbered live guest, or -1. */
static int lowest_live(void)
{
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++)
		if (live(i))
			return (int)i;
	return -1;
}

/* Input now goes to guest `id`: drop what the old one had not taken, and
 * say so ("why" begins the line, e.g. "guest 0 stopped; "). */
static void move_input(int id, const char *why)
{
	uint32_t unread = input_head - input_tail;
	int old = target;

	input_dropped += unread;
	input_tail = input_head;
	input_moved();
	target = id;
	if (unread)
		hlog("console: %sinput now goes to guest %d (%u byte%s typed "
		     "for guest %d and not yet read dropped)\n", why, id,
		     (unsigned)unread, unread == 1 ? "" : "s", old);
	else
		hlog("console: %sinput now goes to guest %d\n", why, id);
}

/* The run loop begins: COM1's receive interrupt on, and input to the
 * lowest-numbered live guest. */
static void console_run_start(void)
{
	unsigned n = 0;

	serial_enable_rx_interrupt(SERIAL_COM1);
	pic_unmask(PIC_IRQ_COM1);
	if (target < 0 || !live((unsigned)target))
		target = lowest_live();
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++)
		n += live(i);
	if (n > 1)
		hlog("console: input goes to guest %d (Ctrl-A and a guest "
		     "number 0-f picks another, Ctrl-A n the next)\n", target);
}

/* A guest's console goes: if it had input, input moves to the
 * lowest-numbered live guest, and we say so. */
static void console_detach(struct device *d)
{
	unsigned id = guest_id(d->g);
	char why[32];
	int next;

	consoles[id] = NULL;
	budget[id].exit = 0;	/* the next launch counts its exits from 0 */
	budget[id].bytes = 0;
	if (target != (int)id)
		return;
	next = lowest_live();
	if (next < 0) {
		target = -1;
		return;
	}
	snprintf(why, sizeof(why), "guest %u stopped; ", id);
	move_input(next, why);
}

/* Ctrl-A <digit>: input to guest id, if it is there to take it. */
static void select_guest(unsigned id)
{
	if (!live(id))
		hlog("console: no live guest %u to take input; input stays "
		     "with guest %d\n", id, target);
	else if ((int)id == target)
		hlog("console: input already goes to guest %u\n", id);
	else
		move_input((int)id, "");
}

/* Ctrl-A n: the next live guest after the current one, round the table. */
static void select_next(void)
{
	for (unsigned k = 1; k < MAX_LGUEST_GUESTS; k++) {
		unsigned id = (unsigned)(target + (int)k) % MAX_LGUEST_GUESTS;
		if (live(id)) {
			move_input((int)id, "");
			return;
		}
	}
	hlog("console: no other live guest; input stays with guest %d\n",
	     target);
}

static void unknown_escape(unsigned c)
{
	char shown[8];

	if (c > 0x20 && c < 0x7F)
		snprintf(shown, sizeof(shown), "'%c'", (char)c);
	else
		snprintf(shown, sizeof(shown), "0x%02x", c);
	hlog("console: Ctrl-A %s is not an escape, ignored (Ctrl-A 0-9 or "
	     "a-f: input to that guest; Ctrl-A n: the next guest; Ctrl-A "
	     "Ctrl-A: a Ctrl-A)\n", shown);
}

/*H:510 Bytes typed on COM1 pass through the escape parser first, as they
 * arrive, so an escape acts at once even while the guest that has input
 * reads none: the way out of a guest that stopped listening. :*/
static void console_rx(void)
{
	int c;
	unsigned arg;

	while ((c = serial_getc(SERIAL_COM1)) >= 0) {
		switch (console_escape_feed(&escape, (uint8_t)c, &arg)) {
		case CONSOLE_ESC_NONE:
			break;
		case CONSOLE_ESC_BYTE:
			if (input_head - input_tail >= INPUT_BUFFER)
				input_dropped++;
			else
				input[input_head++ % INPUT_BUFFER] = (uint8_t)arg;
			input_moved();
			break;
		case CONSOLE_ESC_SELECT:
			select_guest(arg);
			break;
		case CONSOLE_ESC_NEXT:
			select_next();
			break;
		case CONSOLE_ESC_UNKNOWN:
			unknown_escape(arg);
			break;
		}
	}
}

/* The console that gets input now, or NULL: none, or its guest has
 * stopped and its detach has not moved input yet (input waits). */
static struct device *console_target(void)
{
	return target >= 0 && live((unsigned)target) ? consoles[target] : NULL;
}

static bool console_input_pending(void)
{
	return input_head != input_tail && console_target() != NULL;
}

/* Copy buffered input into the sections of one receive buffer (checked
 * by the caller), through gmem_write(): a section that runs into a
 * shared page gets its bytes there, as in 2.6.23. Returns the count. */
static uint32_t fill_buffer(struct gmem *mem, const struct lguest_dma *dma)
{
	uint8_t chunk[256];
	uint32_t n = 0;

	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++) {
		uint32_t done = 0;
		while (done < dma->len[i] && input_tail != input_head) {
			uint32_t k = 0;
			while (k < sizeof(chunk) && done + k < dma->len[i] &&
			       input_tail != input_head)
				chunk[k++] = input[input_tail++ % INPUT_BUFFER];
			if (gmem_write(mem, gpa(dma->addr[i] + done), chunk, k))
				return n;	/* cannot happen: checked */
			done += k;
			n += k;
		}
		if (input_tail == input_head)
			break;
	}
	return n;
}

/*H:500 Console input. The guest bound one receive buffer at key 0; when it
 * is free we claim it as the 2.6.23 Launcher's GETDMA did, fill it with as
 * much input as fits, write the length into used_len and raise the
 * console's IRQ. The guest writes used_len = 0 when it has read the bytes,
 * which is our cue to send more. :*/
static void console_poll(void)
{
	char err[160];
	struct lguest_dma dma;
	unsigned irq;
	uint32_t total;
	gpa_t buf;
	struct device *d = console_target();

	if (!d || input_head == input_tail)
		return;
	struct guest *g = d->g;
	struct gmem *mem = guest_mem(g);
	if (!guest_initialised(g) ||
	    !dma_has_binding(g, gpa(LGUEST_CONSOLE_DMA_KEY))) {
		input_dropped += input_head - input_tail;	/* as 2.6.23 did */
		input_tail = input_head;
		input_moved();
		return;
	}
	if (dma_get_buffer(g, gpa(LGUEST_CONSOLE_DMA_KEY), &buf, &irq))
		return;
	if (gmem_read(mem, buf, &dma, sizeof(dma)) ||
	    check_dma_sections(&dma, mem, false, &total, err, sizeof(err))) {
		guest_kill(g, "console receive buffer at %#x: %s",
			   gpa_val(buf), "sections outside guest memory");
		return;
	}
	uint32_t n = fill_buffer(mem, &dma);
	input_moved();
	gmem_write32(mem, buf, n);
	guest_raise_irq(g, irq);
}

/* COM1's line is the console's alone (ISA, edge-triggered), and
 * console_rx() empties the UART, which lowers it: never another round. */
static bool console_hw_irq(unsigned irq)
{
	if (irq == PIC_IRQ_COM1)
		console_rx();
	return false;
}

const struct device_ops console_device = {
	.name = "console",
	.option = NULL,		/* every guest has one, after its others */
	.type = LGUEST_DEVICE_T_CONSOLE,
	.reserve_again = true,	/* by guest id, freed at detach */
	.reserve = console_reserve,
	.send = console_send,
	.detach = console_detach,
	.poll = console_poll,
	.input_pending = console_input_pending,
	.poll_hint = &input_queued,
	.recover = console_rx,
	.hw_irq = console_hw_irq,
	.run_start = console_run_start,
};
