/*
 * tests/boot/tunnet_full_buffers.c: a frame for a guest whose receive
 * buffers are all full waits for a free one; nothing is overwritten
 * (docs/abi.md §14: where the 2.6.23 Launcher, through the GETDMA quirk
 * of spec §6.5, wrote over the last buffer). We bind only two buffers,
 * send three pings and read nothing: two replies fill the buffers, the
 * third waits on the host. Freeing the second buffer lets it in there,
 * while the first still holds the first reply.
 */
#include "tunnet_test.h"

static struct tn_dev dev;
static uint8_t frame[LGUEST_NET_BUF_SIZE];
static uint8_t got[LGUEST_NET_BUF_SIZE];
static uint8_t gw_mac[6];

static bool is_arp_reply(const uint8_t *f, uint32_t len, const void *arg)
{
	(void)arg;
	return len >= 42 && tn_get16(f + 12) == TN_ETH_ARP &&
	       tn_get16(f + LGUEST_NET_HDR_LEN + 6) == 2 &&
	       memcmp(f + LGUEST_NET_HDR_LEN + 14, tn_gw_ip, 4) == 0;
}

/* Sleep for ms milliseconds, or until buffer i is filled if i >= 0,
 * without taking anything. */
static void sleep_until_filled(int i, unsigned ms)
{
	uint64_t end = clock_now_ns() + (uint64_t)ms * 1000000u;

	while (clock_now_ns() < end && (i < 0 || dev.rx[i].used_len == 0)) {
		uint32_t flags = irq_save();
		irq_wait();
		irq_restore(flags);
	}
}

static bool holds_pong(unsigned i, uint16_t seq)
{
	return tn_is_pong(dev.data[i], dev.rx[i].used_len, &dev, seq, 56);
}

void app_main(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];

	printf("TEST tunnet_full_buffers START\n");
	CHECK(tn_find(&dev));
	if (!tn_find(&dev))
		goto out;
	CHECK_EQ(tn_bind(&dev, 2, LGUEST_NET_BUF_SIZE), 1);
	uint16_t len = tn_arp(frame, bcast, 1, dev.mac, tn_my_ip, zero,
			      tn_gw_ip);
	CHECK_EQ(tn_send(&dev, frame, len), len);
	CHECK(tn_wait(&dev, got, 5000, is_arp_reply, NULL) >= 42);
	memcpy(gw_mac, got + LGUEST_NET_HDR_LEN + 8, 6);

	for (uint16_t seq = 10; seq < 13; seq++) {
		len = tn_ping(frame, &dev, gw_mac, seq, 56);
		CHECK_EQ(tn_send(&dev, frame, len), len);
	}
	sleep_until_filled(-1, 500);
	CHECK(holds_pong(0, 10));
	CHECK(holds_pong(1, 11));
	printf("two buffers, three replies: buffers hold seq 10 and 11\n");

	tn_arm(&dev, 1, LGUEST_NET_BUF_SIZE);	/* free the second only */
	sleep_until_filled(1, 3000);
	CHECK(holds_pong(1, 12));
	CHECK(holds_pong(0, 10));
	if (holds_pong(1, 12) && holds_pong(0, 10))
		printf("seq 12 waited and came into the freed buffer; seq 10 "
		       "untouched\n");
	tn_arm(&dev, 0, LGUEST_NET_BUF_SIZE);
	tn_arm(&dev, 1, LGUEST_NET_BUF_SIZE);
	sleep_until_filled(-1, 200);
	CHECK_EQ(dev.rx[0].used_len, 0);	/* nothing else was waiting */
	CHECK_EQ(dev.rx[1].used_len, 0);
out:
	if (test_failures == 0)
		printf("TEST tunnet_full_buffers PASS\n");
	fflush(stdout);
}
