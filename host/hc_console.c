/*
 * host/hc_console.c: the console device of docs/abi.md §8.1 on COM1.
 *
 * Output: every guest's console output goes to COM1 unchanged.
 * Input: bytes typed on COM1 are kept in a 64 KiB host buffer and handed,
 * GETDMA-style, to the receive buffer the console guest bound at key 0,
 * raising its console IRQ. Unlike the 2.6.23 Launcher we wait for the guest
 * to re-arm its buffer instead of overwriting unread input, so a burst of
 * typing is not lost (docs/abi.md §14). Input goes to the lowest-numbered
 * live guest; while that guest has no buffer bound at key 0 at all, input
 * is discarded, as the 2.6.23 Launcher did — see console_poll().
 */
#include <string.h>

#include "check.h"
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

void console_rx_interrupt(void)
{
	int c;

	while ((c = serial_getc(SERIAL_COM1)) >= 0) {
		if (input_head - input_tail >= INPUT_BUFFER) {
			input_dropped++;
			continue;
		}
		input[input_head++ % INPUT_BUFFER] = (uint8_t)c;
	}
}

static struct guest *console_guest(void)
{
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++)
		if (guests[i].state != GUEST_FREE && !guest_dead(&guests[i]) &&
		    guests[i].console_index >= 0)
			return &guests[i];
	return NULL;
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
