/*
 * tests/boot/blk_readback.c: what is written to an lguest disk reads back
 * the same (spec §8.2), whatever the buffer: page-aligned pages that take
 * several 64 KiB requests, a heap buffer at an odd address (every section
 * cut at a page boundary, a sector split across two pages), a buffer on
 * the stack and one in the kernel image; a transfer one sector past a
 * request boundary; the last sector of the disk. Then everything is read
 * again, to show no write landed on another's sectors, and the driver's
 * counters agree. Started with one --block disk of at least 4 MiB.
 */
#include <stdlib.h>

#include "blk_test.h"

#define BIG_PAGES 64 /* 256 KiB */

static char image_buf[8192]; /* in the kernel's BSS */

/* One region written by the test, to be checked again at the end. */
struct region {
	const char *what;
	uint32_t sector, count;
};

static void test_disk(struct blk_disk *d, uint32_t *sectors)
{
	CHECK_EQ(blk_count(), 1);
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(strcmp(blk_name(d), "lgba") == 0);
	CHECK(blk_find("lgba") == d);
	CHECK(blk_find("lgbb") == NULL);
	*sectors = blk_sectors(d);
	printf("disk %s: %lu sectors, bus slot %u\n", blk_name(d),
	       (unsigned long)*sectors, blk_bus_index(d));
	CHECK(*sectors >= 8192);
}

void app_main(void)
{
	struct blk_disk *d = blk_disk(0);
	uint32_t sectors = 0, seed = blk_test_seed();
	char stack_buf[2 * BLK_SECTOR_SIZE];
	struct blk_stats st;

	printf("TEST blk_readback START\n");
	test_disk(d, &sectors);
	if (!d || sectors < 8192)
		goto out;

	uint8_t *big = palloc_pages(BIG_PAGES);
	uint8_t *big2 = palloc_pages(BIG_PAGES);
	uint8_t *heap = malloc(64 * BLK_SECTOR_SIZE + 8);
	uint8_t *heap2 = malloc(64 * BLK_SECTOR_SIZE + 8);
	CHECK(big && big2 && heap && heap2);
	if (!big || !big2 || !heap || !heap2)
		goto out;

	/* Several requests: 300 sectors = 64 + 64 + 22.5 KiB from pages. */
	blk_test_round_trip("pages", d, 10, 300, big, big2, seed);
	/* Exactly one request and one sector more. */
	blk_test_round_trip("boundary", d, 400, 129, big, big2, seed);
	/* Odd addresses: 3 and 5 bytes into the heap blocks. */
	blk_test_round_trip("heap", d, 1000, 37, heap + 3, heap2 + 5, seed);
	/* The stack: one sector out, the other one in. */
	blk_test_round_trip("stack", d, 2000, 1, stack_buf,
			    stack_buf + BLK_SECTOR_SIZE, seed);
	/* The kernel image, 511 bytes into the buffer: 15 sectors. */
	blk_test_round_trip("image", d, 3000, 15, image_buf + 511, big2, seed);
	/* The end of the disk. */
	blk_test_round_trip("last", d, sectors - 1, 1, heap, heap2, seed);
	blk_test_round_trip("last 64", d, sectors - 64, 64, big + 100, heap2,
			    seed);

	/* Read it all again into one buffer: nothing was overwritten. */
	static const struct region regions[] = {
		{"again pages", 10, 300},   {"again boundary", 400, 129},
		{"again heap", 1000, 37},   {"again stack", 2000, 1},
		{"again image", 3000, 15},
	};
	for (unsigned i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		const struct region *r = &regions[i];
		memset(big, 0, r->count * BLK_SECTOR_SIZE);
		CHECK_EQ(blk_read(d, r->sector, big, r->count), 0);
		blk_test_verify(r->what, big, r->sector, r->count, seed);
	}
	CHECK_EQ(blk_read(d, sectors - 64, big, 64), 0);
	blk_test_verify("again last 64", big, sectors - 64, 64, seed);
	printf("read again: ok\n");

	/* Every byte went through the API once out and once or twice in:
	 * 547 sectors written, read back, then all but "last" read again. */
	blk_get_stats(d, &st);
	printf("stats: %lu reads, %lu writes, %lu errors\n",
	       (unsigned long)st.reads, (unsigned long)st.writes,
	       (unsigned long)st.errors);
	/* Each answer is taken once: when the send returns, or with the
	 * IRQ. all_at_send=1 (blk_answer_at_send.expect, where the host
	 * spins until the disk is done): every one when the send returns. */
	printf("answers: %lu when the send returned, %lu with the IRQ\n",
	       (unsigned long)st.at_send, (unsigned long)st.by_irq);
	CHECK_EQ(st.errors, 0);
	CHECK_EQ(st.at_send + st.by_irq, st.reads + st.writes);
	if (cmdline_number("all_at_send", 0))
		CHECK_EQ(st.at_send, st.reads + st.writes);
	CHECK_EQ(st.written_bytes, 547 * BLK_SECTOR_SIZE);
	CHECK_EQ(st.read_bytes, (547 + 546) * BLK_SECTOR_SIZE);
	/* Write requests: pages 3, boundary 2, the others 1 each. */
	CHECK_EQ(st.writes, 3 + 2 + 1 + 1 + 1 + 1 + 1);
out:
	if (test_failures == 0)
		printf("TEST blk_readback PASS\n");
	fflush(stdout);
}
