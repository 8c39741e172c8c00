/*
 * tests/boot/blk_tick_spin.c: a guest that only reads its disk still gets
 * its timer. With every answer given inside SEND_DMA (the host spins until
 * the disk is done, as the 2.6.23 Launcher answered before the guest ran
 * again), the SEND_DMA exits are the only ones the guest makes; the block
 * driver must make them with interrupts on, or the timer (and every other
 * interrupt) waits for ever (drivers/blk.c D:110). Reads 8 sectors at a
 * time for ms= milliseconds of the guest's clock, each checked against
 * the pattern written first, and counts timer ticks meanwhile; it wants
 * at least a tenth of what TIMER_HZ gives (a driver that sent with
 * interrupts off saw 1-3 of 300 in 3 s, so the bound is far from both).
 */
#include <stdlib.h>

#include "blk_test.h"
#include "../../drivers/timer.h"

#define AREA 1024u	/* sectors written, then read at random */
#define NSEC 8u

void app_main(void)
{
	struct blk_disk *d = blk_disk(0);
	struct blk_stats st0, st;
	uint32_t seed = blk_test_seed();
	uint8_t *w = palloc_pages(16), *r = palloc_pages(16);
	unsigned ms = cmdline_number("ms", 3000);

	printf("TEST blk_tick_spin START\n");
	CHECK(d && w && r);
	if (!d || !w || !r)
		goto out;
	for (uint32_t s = 0; s < AREA; s += 64) {
		pattern_fill(w, s, 64, seed);
		CHECK_EQ(blk_write(d, s, w, 64), 0);
	}
	blk_get_stats(d, &st0);
	uint32_t t0 = timer_ticks();
	uint64_t start = clock_now_ns(), now;
	unsigned n = 0, bad = 0;
	do {
		uint32_t s = (n * 37) % (AREA - NSEC);
		memset(r, 0xEE, NSEC * BLK_SECTOR_SIZE);
		if (blk_read(d, s, r, NSEC) != 0 ||
		    blk_test_verify("read", r, s, NSEC, seed))
			bad++;
		n++;
		now = clock_now_ns();
	} while (now - start < (uint64_t)ms * 1000000u && bad < 5);
	uint32_t ticks = timer_ticks() - t0;
	blk_get_stats(d, &st);
	printf("%u reads in %lu ms, %u bad, %lu timer ticks (%u at %u Hz); "
	       "answers: %lu at the send, %lu by the IRQ\n", n,
	       (unsigned long)((now - start) / 1000000), bad,
	       (unsigned long)ticks, ms * TIMER_HZ / 1000, TIMER_HZ,
	       (unsigned long)(st.at_send - st0.at_send),
	       (unsigned long)(st.by_irq - st0.by_irq));
	CHECK_EQ(bad, 0);
	CHECK(ticks >= ms * TIMER_HZ / 10000);
out:
	test_finish("blk_tick_spin");
}
