/*
 * tests/boot/attack_blk_false_stall.c: can one guest make another's disk
 * fail? The deadline path (host/dev/block_queue.c blkq_poll(), run at
 * every exit) declares a request stalled when its deadline has passed,
 * without first looking whether the disk has in fact finished it. The
 * host notices a completion only when it polls the disk or takes the
 * disk's interrupt, which it does only while a guest runs or while it
 * halts. So a guest that keeps the host busy in one exit for longer than
 * the deadline (here: 2 MiB of console output in two queued SEND_DMAs,
 * written byte by byte to COM1 with every guest stopped) makes the next
 * blkq_poll() fail the other guest's read with result 2, and mark its
 * disk stalled, although the disk finished the read long before.
 *
 * Two guests on one --sharenet LAN (its page is their shared memory):
 *   role=victim (guest 0, --block, host word blkstall=1000): writes a
 *     pattern to sector 3, primes QEMU's throttle (8 KiB/s, so the next
 *     request waits about 0.5 s at QEMU: well inside the 1 s deadline),
 *     says "now" in the LAN page and reads sector 3. It must get the
 *     sector back (result 1), not an I/O error.
 *   role=hog (guest 1): spins (so the victim's SEND_DMA does not spin for
 *     the disk) until it sees "now", then at once queues `sends=` (2)
 *     console SEND_DMAs of 1 MiB each and flushes the ring. With the
 *     default deadline (20 s) sends=14 does the same on this machine.
 */
#include <stdlib.h>

#include "blk_test.h"
#include "lan_test.h"

#define PHASE_NOW 1
#define PHASE_DONE 2

static uint8_t big[4096] __attribute__((aligned(4096)));
static uint8_t buf[BLK_SECTOR_SIZE] __attribute__((aligned(512)));
static uint8_t spaces[65536] __attribute__((aligned(4096)));
static struct lguest_dma dmas[64] __attribute__((aligned(128)));

static void victim(void)
{
	struct blk_disk *d = blk_disk(0);
	uint32_t seed = blk_test_seed();

	CHECK(d != NULL);
	if (!d)
		return;
	pattern_fill(buf, 3, 1, seed);
	CHECK_EQ(blk_write(d, 3, buf, 1), 0);
	CHECK_EQ(blk_read(d, 64, big, 8), 0);	/* 4 KiB: the next waits */
	memset(buf, 0xEE, sizeof(buf));
	lan_set_phase(PHASE_NOW);
	uint64_t t0 = clock_now_ns();
	int rc = blk_read(d, 3, buf, 1);
	printf("victim: read of sector 3: %s after %lu ms\n", blk_strerror(rc),
	       (unsigned long)((clock_now_ns() - t0) / 1000000));
	fflush(stdout);
	CHECK_EQ(rc, 0);
	if (rc == 0)
		blk_test_verify("victim read", buf, 3, 1, seed);
	lan_wait_phase(PHASE_DONE);
}

static void hog(void)
{
	while (*lan_phase() != PHASE_NOW)
		;	/* runnable all along: no spin in the victim's SEND_DMA */
	const char *p = strstr(bootparams_cmdline(), "sends=");
	unsigned sends = p ? (unsigned)strtoul(p + 6, NULL, 10) : 2;

	if (sends < 1 || sends > 64)
		sends = 2;
	memset(spaces, ' ', sizeof(spaces));
	for (unsigned i = 0; i < sends; i++) {
		memset(&dmas[i], 0, sizeof(dmas[i]));
		for (unsigned s = 0; s < LGUEST_MAX_DMA_SECTIONS; s++) {
			dmas[i].addr[s] = gpa_val(virt_to_gpa(spaces));
			dmas[i].len[s] = 65535;
		}
		hcall_async(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY,
			    gpa_val(virt_to_gpa(&dmas[i])), 0);
	}
	uint64_t t0 = clock_now_ns();
	hcall_flush();
	printf("\nhog: %u MiB of console output kept the host %lu ms\n",
	       sends, (unsigned long)((clock_now_ns() - t0) / 1000000));
	fflush(stdout);
	lan_set_phase(PHASE_DONE);
}

void app_main(void)
{
	bool is_hog = strstr(bootparams_cmdline(), "role=hog") != NULL;

	printf("TEST attack_blk_false_stall %s START\n",
	       is_hog ? "hog" : "victim");
	if (lan_find() < 0) {
		printf("FAIL no --sharenet device\n");
		return;
	}
	if (is_hog)
		hog();
	else
		victim();
	test_finish(is_hog ? "attack_blk_false_stall hog"
			   : "attack_blk_false_stall victim");
}
