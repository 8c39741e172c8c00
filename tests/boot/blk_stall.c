/*
 * tests/boot/blk_stall.c: a slow disk and an impatient guest do not stop
 * the host (docs/abi.md §14.1 "A second block request is queued", "A disk
 * that stalls"; docs/host-design.md "Block devices").
 *
 * Two guests on one --sharenet LAN, whose page they use as shared memory:
 * guest A has the disk (--block=X --sharenet=sync), guest B only the LAN.
 * QEMU throttles the disk to 8 KiB a second, which QEMU counts when it
 * lets a request through: a request that follows a 16 or 64 KiB one waits
 * 2 or 8 seconds at QEMU, while the host's request is in flight.
 *
 * role=ticker (B): prints "B: tick N" every 10 timer ticks and publishes
 * its tick count in the LAN page, until A says it is done. Its lines on
 * the console between two of A's show that B ran meanwhile.
 * role=impatient (A): a 16 KiB read (so the next request waits), then two
 * reads, of sectors 1 and 2, the second sent while the first is at the
 * disk (by hand: the driver would refuse it). The host must queue the
 * second, not wait for the first inside SEND_DMA with every guest
 * stopped: A prints "two reads sent" at once, B ticks while the first
 * waits at QEMU, and both complete, in order, each into its own reply
 * buffer, with the right data.
 * role=stall (A, host word blkstall=1000): a 64 KiB read, then a read the
 * disk holds for 8 s: after the host's 1 s deadline it fails (result 2),
 * the next read fails at once (the disk is stalled), B ticks all along,
 * and once the disk finished the stuck read a read works again.
 * role=stall-off (A, blkstall=1000): as role=stall up to the first
 * failure, then A and B power off at once, the stuck read still at the
 * disk: the host keeps A's memory for it and leaves normally.
 */
#include <stdlib.h>

#include "blk_test.h"
#include "lan_test.h"
#include "straddle_test.h"

#define PHASE_DONE 0xD0E
#define SECTORS 2048		/* the 1 MiB disk */

static uint32_t seed;
static uint8_t big[BLK_MAX_REQUEST] __attribute__((aligned(4096)));
static uint8_t junk[BLK_SECTOR_SIZE] __attribute__((aligned(512)));
static uint8_t buf1[BLK_SECTOR_SIZE] __attribute__((aligned(512)));
static uint8_t buf2[BLK_SECTOR_SIZE] __attribute__((aligned(512)));

static volatile uint32_t *b_ticks(void)
{
	return (volatile uint32_t *)(lan + 4088);
}

/* Sleep for ms milliseconds (timer ticks wake us; others run). */
static void sleep_ms(uint32_t ms)
{
	uint64_t end = clock_now_ns() + (uint64_t)ms * 1000000u;

	while (clock_now_ns() < end) {
		uint32_t flags = irq_save();
		irq_wait();
		irq_restore(flags);
	}
}

static void say(const char *fmt, unsigned a)
{
	printf(fmt, a);
	fflush(stdout);
}

static void role_ticker(void)
{
	uint32_t last = 0;

	while (*lan_phase() != PHASE_DONE) {
		uint32_t flags = irq_save();
		irq_wait();
		irq_restore(flags);
		uint32_t t = timer_ticks();
		*b_ticks() = t;
		if (t - last >= 10) {
			last = t;
			say("B: tick %u\n", (unsigned)t);
		}
	}
	say("B: A is done (%u ticks)\n", (unsigned)timer_ticks());
}

/* ---------------------------------------------- role=impatient: queueing */

static volatile unsigned disk_irqs;

static void on_disk(unsigned irq)
{
	(void)irq;
	disk_irqs++;
}

/* Our own pair of reply buffers, bound after the driver's one (the
 * newest binding is the one GETDMA takes from), and an empty "ping". */
static volatile struct lguest_dma reply[2] __attribute__((aligned(256)));
static struct lguest_dma ping __attribute__((aligned(128)));

/* A read of one sector into buf, by hand: the page's fields, then the
 * next free reply buffer's sections are set, then SEND_DMA. The host
 * copies and checks all of it before it returns, so the page may be
 * rewritten for the next request at once. */
static void raw_read(volatile struct lguest_block_page *page, uint32_t key,
		     unsigned i, uint32_t sector, void *buf)
{
	page->type = LGUEST_BLOCK_TYPE_READ;
	page->sector = sector;
	page->bytes = BLK_SECTOR_SIZE;
	page->result = LGUEST_BLOCK_RESULT_PENDING;
	memset((void *)&reply[i], 0, sizeof(reply[i]));
	reply[i].addr[0] = gpa_val(virt_to_gpa(buf));
	reply[i].len[0] = BLK_SECTOR_SIZE;
	x86_barrier();
	reply[i].used_len = 0;
	memset(&ping, 0, sizeof(ping));
	hcall(LHCALL_SEND_DMA, key, gpa_val(virt_to_gpa(&ping)), 0);
}

/* Sleep until reply buffer i holds a whole sector (used_len 512: the
 * host's answer; a claimed buffer holds the IRQ number meanwhile), at
 * most 30 s. */
static bool wait_reply(unsigned i)
{
	uint64_t end = clock_now_ns() + 30000000000ull;
	uint32_t flags = irq_save();

	while (reply[i].used_len != BLK_SECTOR_SIZE && clock_now_ns() < end)
		irq_wait();
	irq_restore(flags);
	return reply[i].used_len == BLK_SECTOR_SIZE;
}

static void role_impatient(struct blk_disk *d)
{
	uint32_t key = st_device_page(LGUEST_DEVICE_T_BLOCK, 0, 0, 0);
	unsigned irq = LGUEST_DEVICE_IRQ(blk_bus_index(d));
	volatile struct lguest_block_page *page = vm_map_io(gpa(key), 1);

	/* 16 KiB: QEMU holds the next request for about 2 s. */
	CHECK_EQ(blk_read(d, 64, big, 32), 0);
	irq_unregister(irq);
	CHECK_EQ(irq_register(irq, on_disk), 0);
	memset((void *)reply, 0, sizeof(reply));
	reply[0].used_len = reply[1].used_len = 1;	/* not free yet */
	CHECK_EQ(hcall(LHCALL_BIND_DMA, key, gpa_val(virt_to_gpa(reply)),
		       (2u << LHCALL_BIND_DMA_COUNT_SHIFT) | irq), 1);
	memset(buf1, 0xEE, sizeof(buf1));
	memset(buf2, 0xEE, sizeof(buf2));

	uint32_t t0 = *b_ticks();
	raw_read(page, key, 0, 1, buf1);
	raw_read(page, key, 1, 2, buf2);
	say("A: two reads sent, the second before the first was done (B at "
	    "tick %u)\n", (unsigned)t0);
	bool first = wait_reply(0);
	uint32_t t1 = *b_ticks();
	CHECK(first);
	say("A: the first read is done; B ticked %u times meanwhile\n",
	    (unsigned)(t1 - t0));
	CHECK(t1 - t0 >= 20);
	CHECK(wait_reply(1));
	say("A: the second read is done (%u disk interrupts)\n", disk_irqs);
	CHECK_EQ(page->result, LGUEST_BLOCK_RESULT_OK);
	blk_test_verify("first read", buf1, 1, 1, seed);
	blk_test_verify("second read", buf2, 2, 1, seed);
}

/* ------------------------------------------ role=stall and role=stall-off */

static void role_stall(struct blk_disk *d, bool power_off)
{
	/* 64 KiB: QEMU holds the next request for about 8 s. */
	CHECK_EQ(blk_read(d, 64, big, 128), 0);
	uint32_t t0 = *b_ticks();
	say("A: a read the disk will hold for seconds (B at tick %u)\n",
	    (unsigned)t0);
	int rc = blk_read(d, 3, junk, 1);	/* junk: it may still land */
	uint32_t ticked = *b_ticks() - t0;
	printf("A: the held read: %s; B ticked %u times meanwhile\n",
	       blk_strerror(rc), (unsigned)ticked);
	fflush(stdout);
	CHECK_EQ(rc, BLK_EIO);
	CHECK(ticked >= 20);
	if (power_off) {
		printf("A: powering off with the read still at the disk\n");
		fflush(stdout);
		return;
	}
	rc = blk_read(d, 1, buf1, 1);
	printf("A: a read while the disk is stalled: %s\n", blk_strerror(rc));
	fflush(stdout);
	CHECK_EQ(rc, BLK_EIO);
	unsigned tries = 0;
	do {
		sleep_ms(500);
		memset(buf1, 0xEE, sizeof(buf1));
		rc = blk_read(d, 1, buf1, 1);
		tries++;
	} while (rc == BLK_EIO && tries < 60);
	printf("A: after %u tries of one every 500 ms: %s\n", tries,
	       blk_strerror(rc));
	fflush(stdout);
	CHECK_EQ(rc, 0);
	if (rc == 0 && blk_test_verify("after the stall", buf1, 1, 1, seed) == 0)
		printf("A: the disk is back, and the data is right\n");
}

void app_main(void)
{
	const char *cmd = bootparams_cmdline();

	printf("TEST blk_stall START\n");
	CHECK(lan_find() >= 0);
	if (!lan)
		goto out;
	if (strstr(cmd, "role=ticker")) {
		role_ticker();
		goto out;
	}
	struct blk_disk *d = blk_disk(0);
	CHECK(d != NULL);
	if (!d)
		goto done;
	seed = blk_test_seed();
	pattern_fill(buf1, 0, 1, seed);		/* sectors 0..3 */
	CHECK_EQ(blk_write(d, 0, buf1, 1), 0);
	for (uint32_t s = 1; s < 4; s++) {
		pattern_fill(buf2, s, 1, seed);
		CHECK_EQ(blk_write(d, s, buf2, 1), 0);
	}
	if (strstr(cmd, "role=impatient"))
		role_impatient(d);
	else
		role_stall(d, strstr(cmd, "role=stall-off") != NULL);
done:
	lan_set_phase(PHASE_DONE);
out:
	test_finish("blk_stall");
}
