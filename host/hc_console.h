/*
 * host/hc_console.h: the launcher's console device (docs/abi.md §8.1),
 * backed by COM1: guest output goes straight to it, bytes typed on it go
 * into the guest's bound receive buffer.
 */
#ifndef LGREF_HOST_HC_CONSOLE_H
#define LGREF_HOST_HC_CONSOLE_H

#include "guest.h"

/* SEND_DMA to key 0: write the sections to COM1, set used_len. */
void console_send(struct guest *g, uint32_t dma_gpa,
		  const struct lguest_dma *dma);

/* Before the first guest runs: input goes to the lowest-numbered live
 * guest; with several, say so on the diagnostic channel. */
void console_start(void);

/* Guest g has stopped: if it had input, move input to the lowest-numbered
 * live guest and say so. Called once per guest, after its end is logged. */
void console_guest_stopped(const struct guest *g);

/* COM1 interrupt: every received byte goes through the escape parser
 * (host/console_escape.h); input bytes go into the host's buffer, escapes
 * move input to another guest and are announced on the diagnostic channel. */
void console_rx_interrupt(void);

/* Hand buffered input to the console guest if it has a free buffer. */
void console_poll(void);

/* Is input waiting for a guest that could take it? */
bool console_input_pending(void);

#endif
