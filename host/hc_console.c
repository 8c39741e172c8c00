/*
 * host/hc_console.c: the console device of docs/abi.md §8.1 on COM1.
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
 * another with an escape (Ctrl-A and a guest number, host/console_escape.h)
 * or that guest stops, when input moves to the lowest-numbered live guest.
 * Every move is announced on the diagnostic channel; input typed for the
 * old guest that it had not yet taken is dropped, not handed to the new.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "console_escape.h"
#include "dma.h"
#include "hc_console.h"
#include "log.h"
#include "serial.h"

#define INPUT_BUFFER 65536u

static uint8_t input[INPUT_BUFFER];
static uint32_t input_head, input_tail;	/* free-running counters */
static uint32_t input_dropped;

void console_send(struct guest *g, uint32_t dma_gpa,
		  const struct lguest_dma *dma)
{
	char err[160];
	uint32_t total = 0;

	if (check_dma_sections(dma, &g->mem, false, &total, err, sizeof(err))) {
		guest_kill(g, "console SEND_DMA: %s", err);
		return;
	}
	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++)
		serial_write(SERIAL_COM1,
			     gmem_ptr(&g->mem, dma->addr[i], dma->len[i]),
			     dma->len[i]);
	gmem_write32(&g->mem, dma_gpa, total);
}

static struct console_escape escape;
static int target = -1;	/* the guest that gets input; -1: none yet */

static bool live(unsigned id)
{
	return id < MAX_LGUEST_GUESTS && guests[id].state != GUEST_FREE &&
	       !guest_dead(&guests[id]) && guests[id].console_index >= 0;
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
	target = id;
	if (unread)
		hlog("console: %sinput now goes to guest %d (%u byte%s typed "
		     "for guest %d and not yet read dropped)\n", why, id,
		     (unsigned)unread, unread == 1 ? "" : "s", old);
	else
		hlog("console: %sinput now goes to guest %d\n", why, id);
}

void console_start(void)
{
	unsigned n = 0;

	if (target < 0 || !live((unsigned)target))
		target = lowest_live();
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++)
		n += live(i);
	if (n > 1)
		hlog("console: input goes to guest %d (Ctrl-A and a guest "
		     "number 0-f picks another, Ctrl-A n the next)\n", target);
}

void console_guest_stopped(const struct guest *g)
{
	char why[32];
	int next;

	if (target != (int)g->id)
		return;
	next = lowest_live();
	if (next < 0) {
		target = -1;
		return;
	}
	snprintf(why, sizeof(why), "guest %u stopped; ", g->id);
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
void console_rx_interrupt(void)
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

/* The guest that gets input now, or NULL: none, or it has stopped and
 * console_guest_stopped() has not moved input yet (input waits). */
static struct guest *console_guest(void)
{
	return target >= 0 && live((unsigned)target) ? &guests[target] : NULL;
}

bool console_input_pending(void)
{
	return input_head != input_tail && console_guest() != NULL;
}

/* Copy buffered input into the sections of one receive buffer. */
static uint32_t fill_buffer(struct guest *g, const struct lguest_dma *dma)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++) {
		uint8_t *dst = gmem_ptr(&g->mem, dma->addr[i], dma->len[i]);
		for (uint32_t j = 0; j < dma->len[i] && input_tail != input_head; j++) {
			dst[j] = input[input_tail++ % INPUT_BUFFER];
			n++;
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
void console_poll(void)
{
	char err[160];
	struct lguest_dma dma;
	unsigned irq;
	uint32_t total;
	struct guest *g = console_guest();

	if (!g || input_head == input_tail)
		return;
	if (!g->initialised ||
	    !dma_has_binding(g, LGUEST_CONSOLE_DMA_KEY)) {
		input_dropped += input_head - input_tail;	/* as 2.6.23 did */
		input_tail = input_head;
		return;
	}
	uint32_t gpa = dma_get_buffer(g, LGUEST_CONSOLE_DMA_KEY, &irq);
	if (!gpa)
		return;
	if (gmem_read(&g->mem, gpa, &dma, sizeof(dma)) ||
	    check_dma_sections(&dma, &g->mem, false, &total, err, sizeof(err))) {
		guest_kill(g, "console receive buffer at %#x: %s", gpa,
			   "sections outside guest memory");
		return;
	}
	uint32_t n = fill_buffer(g, &dma);
	gmem_write32(&g->mem, gpa, n);
	guest_raise_irq(g, irq);
}
