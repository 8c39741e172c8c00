/*
 * tests/boot/respawn_starve.c: does a --respawn guest that dies at once
 * take the CPU from the guests beside it? Each re-launch happens inside
 * the scheduler's loop, with every other guest stopped meanwhile, and
 * costs the host time in proportion to the guest's memory (palloc reads
 * every word of the block to find pages to zero, and zeroes those the
 * last launch wrote; the loader copies the image). Nothing limits how
 * often a guest may be re-launched, so a guest that dies at its first
 * hypercall, with a lot of memory, keeps the host re-launching it.
 *
 *   role=die   (with --respawn): a hypercall before LGUEST_INIT, which
 *              kills it; nothing else, every launch.
 *   role=work  spins for `secs=` seconds of wall-clock time reading the
 *              clock, and reports the longest time it did not run
 *              (max_gap) and the share of the time it ran, then powers
 *              off (and the --respawn guest is not re-launched again).
 * Alone, or beside any guest that takes its 10 ms slices, max_gap stays
 * near a slice; every re-launch of a large guest is one gap as long as
 * the re-launch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lguest/lguest.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "boot_check.h"

void app_before_init(void)
{
	if (strstr(bootparams_cmdline(), "role=die"))
		hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0);	/* killed here */
}

void app_main(void)
{
	uint64_t secs = cmdline_number("secs", 10);
	uint64_t limit = cmdline_number("maxgap", 200) * 1000000ull;
	uint64_t start = clock_now_ns(), last = start, max_gap = 0, away = 0;
	unsigned gaps_over = 0;

	printf("TEST respawn_starve START\n");
	fflush(stdout);
	start = last = clock_now_ns();
	while (last - start < secs * 1000000000ull) {
		uint64_t now = clock_now_ns();
		uint64_t gap = now - last;
		if (gap > 1000000)	/* 1 ms: someone else had the CPU */
			away += gap;
		if (gap > max_gap)
			max_gap = gap;
		if (gap > limit)
			gaps_over++;
		last = now;
	}
	uint64_t total = last - start;
	printf("work: %lu s: ran %lu%% of the time, longest time without "
	       "the CPU %lu ms, %u gaps over %lu ms\n",
	       (unsigned long)secs, (unsigned long)((total - away) * 100 / total),
	       (unsigned long)(max_gap / 1000000), gaps_over,
	       (unsigned long)(limit / 1000000));
	CHECK_EQ(gaps_over, 0);
	test_finish("respawn_starve");
}
