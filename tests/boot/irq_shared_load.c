/*
 * tests/boot/irq_shared_load.c: the guests of scripts/irq_shared_load.py,
 * disk and network interrupts at once on one shared PCI line
 * (docs/host-design.md "Hardware interrupts").
 *
 * Both guests block their timer IRQ first, so nothing but a device
 * interrupt ever wakes them, and when both sleep the host halts until a
 * hardware interrupt comes. An interrupt the host loses is then not made
 * up for by the next tick: whoever waited for it sleeps for good, and the
 * script sees the echoes stop.
 *
 * role=net (with --tunnet=10.0.2.2): echo UDP datagrams on 10.0.2.15:7,
 * as tests/boot/tunnet_udp_echo.c does, until one that says "quit".
 * role=disk (with --block=PAD --block=BUSY): write a pattern over the
 * first sectors of BUSY, then read them back one 4 KiB request at a time,
 * checking each, `reads=N` times. PAD is never used: it only makes BUSY
 * the second disk, whose PCI slot shares its line with the NIC.
 */
#include <stdlib.h>

#include "blk_test.h"
#include "tunnet_test.h"

#define ECHO_PORT 7
static const uint16_t echo_port = ECHO_PORT;
#define SPAN 256		/* sectors written and read back */
#define PER_READ 8		/* sectors per read: 4 KiB */

static struct tn_dev dev;
static uint8_t got[LGUEST_NET_BUF_SIZE];
static uint8_t reply[LGUEST_NET_BUF_SIZE];
static uint8_t wbuf[SPAN * BLK_SECTOR_SIZE] __attribute__((aligned(4096)));
static uint8_t rbuf[PER_READ * BLK_SECTOR_SIZE] __attribute__((aligned(4096)));

/* Nothing but a device interrupt wakes us from here on. */
static void no_ticks(void)
{
	irq_unregister(LGUEST_TIMER_IRQ);
	hcall(LHCALL_SET_CLOCKEVENT, 0, 0, 0);
}



static void role_net(void)
{
	unsigned echoed = 0;

	CHECK(tn_find(&dev));
	if (!tn_find(&dev))
		return;
	CHECK_EQ(tn_bind(&dev, TN_BUFS, LGUEST_NET_BUF_SIZE), 1);
	no_ticks();
	printf("net: READY, timer off, echoing on 10.0.2.15:%u\n", ECHO_PORT);
	fflush(stdout);
	for (;;) {
		/* No timer: the wait ends with a frame or never. */
		uint32_t n = tn_wait(&dev, got, 0xFFFFFFFFu, tn_is_udp_to, &echo_port);
		if (!n)
			continue;
		const uint8_t *ip = got + LGUEST_NET_HDR_LEN;
		uint16_t udp_len = tn_get16(ip + 20 + 4);
		const uint8_t *payload = ip + 28;
		bool quit = udp_len == 8 + 4 && memcmp(payload, "quit", 4) == 0;
		uint16_t len = tn_udp_echo(reply, got, dev.mac);
		CHECK_EQ(tn_send(&dev, reply, len), len);
		if (quit)
			break;
		echoed++;
	}
	printf("net: echoed %u datagrams\n", echoed);
}

static void role_disk(void)
{
	const char *arg = strstr(bootparams_cmdline(), "reads=");
	unsigned reads = arg ? (unsigned)strtoul(arg + 6, NULL, 10) : 1000;
	struct blk_disk *d = blk_disk(1);
	uint32_t seed = blk_test_seed();
	unsigned done = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	pattern_fill(wbuf, 0, SPAN, seed);
	CHECK_EQ(blk_write(d, 0, wbuf, SPAN), 0);
	no_ticks();
	printf("disk: READY, timer off, %u reads of %u bytes\n", reads,
	       PER_READ * BLK_SECTOR_SIZE);
	fflush(stdout);
	for (unsigned i = 0; i < reads; i++) {
		uint32_t sector = (i * 37u) % (SPAN / PER_READ) * PER_READ;
		memset(rbuf, 0xEE, sizeof(rbuf));
		int rc = blk_read(d, sector, rbuf, PER_READ);
		CHECK_EQ(rc, 0);
		if (rc || blk_test_verify("disk", rbuf, sector, PER_READ, seed))
			break;
		done++;
		if (done % 1000 == 0) {
			printf("disk: %u reads\n", done);
			fflush(stdout);
		}
	}
	printf("disk: DONE, %u reads checked\n", done);
}

void app_main(void)
{
	const char *cmd = bootparams_cmdline();

	printf("TEST irq_shared_load START\n");
	if (strstr(cmd, "role=net"))
		role_net();
	else
		role_disk();
	test_finish("irq_shared_load");
}
