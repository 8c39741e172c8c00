/*
 * tests/boot/attack_console_hog.c: how long can one exit keep the host?
 * Console output is written to COM1 by the host itself, byte by byte
 * (serial_write(): an LSR read and a data write per byte), with
 * interrupts off and every other guest stopped. One SEND_DMA to the
 * console may carry 16 sections of 65535 bytes (1 MiB), and the async
 * ring runs up to 64 queued calls at the next exit: 64 MiB of console
 * output from one exit.
 *
 *   role=hog   queues `sends=` SEND_DMAs of 16 x 65535 zero bytes to the
 *              console key (0) in the async ring, then flushes the ring
 *              with one hypercall, and powers off.
 *   role=work  spins for `secs=` seconds reading the clock, and reports
 *              the longest time it did not run (as respawn_starve.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lguest/lguest.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "boot_check.h"

static uint8_t zeros[65536] __attribute__((aligned(4096)));
static struct lguest_dma dmas[64] __attribute__((aligned(128)));

static void hog(void)
{
	unsigned sends = cmdline_number("sends", 1);
	uint64_t t0;

	/* Let the worker start its watch first. */
	t0 = clock_now_ns();
	while (clock_now_ns() - t0 < 1000000000ull)
		;
	for (unsigned i = 0; i < sends && i < 64; i++) {
		memset(&dmas[i], 0, sizeof(dmas[i]));
		for (unsigned s = 0; s < LGUEST_MAX_DMA_SECTIONS; s++) {
			dmas[i].addr[s] = gpa_val(virt_to_gpa(zeros));
			dmas[i].len[s] = 65535;
		}
		hcall_async(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY,
			    gpa_val(virt_to_gpa(&dmas[i])), 0);
	}
	t0 = clock_now_ns();
	hcall_flush();
	printf("\nhog: %u sends of %u bytes took %lu ms\n", sends,
	       LGUEST_MAX_DMA_SECTIONS * 65535,
	       (unsigned long)((clock_now_ns() - t0) / 1000000));
}

static void work(void)
{
	uint64_t secs = cmdline_number("secs", 10);
	uint64_t limit = cmdline_number("maxgap", 200) * 1000000ull;
	uint64_t start = clock_now_ns(), last = start, max_gap = 0;

	while (last - start < secs * 1000000000ull) {
		uint64_t now = clock_now_ns();
		if (now - last > max_gap)
			max_gap = now - last;
		last = now;
	}
	printf("work: longest time without the CPU %lu ms\n",
	       (unsigned long)(max_gap / 1000000));
	CHECK(max_gap <= limit);
	test_finish("attack_console_hog");
}

void app_main(void)
{
	if (strstr(bootparams_cmdline(), "role=hog"))
		hog();
	else
		work();
}
