/*
 * tests/boot/blk_test.h: what the block-device boot tests share: the
 * checks of boot_check.h, and round trips through the block API with
 * lib/pattern.c's self-describing sectors.
 */
#ifndef LGREF_TESTS_BOOT_BLK_TEST_H
#define LGREF_TESTS_BOOT_BLK_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../drivers/blk.h"
#include "../../kernel/app.h"
#include "../../kernel/clock.h"
#include "../../kernel/hcall.h"
#include "../../kernel/irq.h"
#include "../../kernel/mm.h"
#include "../../kernel/palloc.h"
#include "../../kernel/x86.h"
#include "../../lib/pattern.h"
#include "boot_check.h"

/* A seed that differs from run to run, so that data left on the image by
 * an earlier run can never pass for this run's. */
static inline uint32_t blk_test_seed(void)
{
	uint64_t t = x86_rdtsc();

	return pattern_seed_state((uint32_t)t, (uint32_t)(t >> 32));
}

/* Check count sectors read from `sector` on under `seed`; report the
 * first mismatch as a FAIL line naming `what`. Returns 0 if all match. */
static inline int blk_test_verify(const char *what, const void *buf,
				  uint32_t sector, uint32_t count,
				  uint32_t seed)
{
	struct pattern_mismatch m;

	if (pattern_check(buf, sector, count, seed, &m) == 0)
		return 0;
	printf("FAIL %s: sector %lu offset %lu: expected 0x%08lx, got "
	       "0x%08lx\n", what, (unsigned long)m.sector,
	       (unsigned long)m.offset, (unsigned long)m.expected,
	       (unsigned long)m.actual);
	fflush(stdout);
	test_failures++;
	return -1;
}

/* The pattern for [sector, sector + count) into wbuf, written to d, read
 * back into rbuf (first filled with 0xEE) and checked. */
static inline void blk_test_round_trip(const char *what, struct blk_disk *d,
				       uint32_t sector, uint32_t count,
				       void *wbuf, void *rbuf, uint32_t seed)
{
	pattern_fill(wbuf, sector, count, seed);
	memset(rbuf, 0xEE, count * BLK_SECTOR_SIZE);
	int wr = blk_write(d, sector, wbuf, count);
	int rd = blk_read(d, sector, rbuf, count);
	CHECK_EQ(wr, 0);
	CHECK_EQ(rd, 0);
	if (wr == 0 && rd == 0 &&
	    blk_test_verify(what, rbuf, sector, count, seed) == 0)
		printf("%s: %lu sectors at %lu: ok\n", what,
		       (unsigned long)count, (unsigned long)sector);
	fflush(stdout);
}

/* A read of one sector by hand, past the driver: fill the device page,
 * send the (empty) request DMA `ping` to the block key, and wait up to
 * 30 s for the result, which is returned (the reply goes to whatever
 * receive buffers the caller bound). */
static inline uint32_t blk_test_raw_read(volatile struct lguest_block_page *page,
					 uint32_t key, uint32_t sector,
					 struct lguest_dma *ping)
{
	page->type = LGUEST_BLOCK_TYPE_READ;
	page->sector = sector;
	page->bytes = BLK_SECTOR_SIZE;
	page->result = LGUEST_BLOCK_RESULT_PENDING;
	memset(ping, 0, sizeof(*ping));
	x86_barrier();
	hcall(LHCALL_SEND_DMA, key, gpa_val(virt_to_gpa(ping)), 0);

	uint64_t end = clock_now_ns() + 30000000000ull;
	uint32_t flags = irq_save();
	while (page->result == LGUEST_BLOCK_RESULT_PENDING &&
	       clock_now_ns() < end)
		irq_wait();
	irq_restore(flags);
	return page->result;
}

#endif
