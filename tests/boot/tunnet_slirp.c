/*
 * tests/boot/tunnet_slirp.c: a --tunnet device reaches a real network
 * (spec §8.3, "Launcher variants"). The host put its NIC's MAC in slot 0
 * with the promiscuous bit; we write ours into slot 1, bind eight
 * buffers at page + 4 (the odd ones in two sections), send an ARP request
 * for the gateway 10.0.2.2 to page + 0 and wait for QEMU's user-mode
 * network to answer; then ping the gateway, small and with the largest
 * frame there is (1514 bytes), and check every reply byte and checksum.
 * Started with one --tunnet and a `-netdev user` NIC
 * (tests/boot/tunnet_slirp.expect).
 */
#include "tunnet_test.h"

static struct tn_dev dev;
static uint8_t frame[LGUEST_NET_BUF_SIZE];
static uint8_t got[LGUEST_NET_BUF_SIZE];
static uint8_t gw_mac[6];

static bool is_gateway_arp_reply(const uint8_t *f, uint32_t len,
				 const void *arg)
{
	const uint8_t *a = f + LGUEST_NET_HDR_LEN;

	(void)arg;
	return len >= 42 && tn_get16(f + 12) == TN_ETH_ARP &&
	       tn_get16(a + 6) == 2 && memcmp(a + 14, tn_gw_ip, 4) == 0 &&
	       memcmp(a + 18, dev.mac, 6) == 0 && memcmp(f, dev.mac, 6) == 0;
}

struct ping { uint16_t seq, payload; };

static bool is_pong(const uint8_t *f, uint32_t len, const void *arg)
{
	const struct ping *p = arg;

	return tn_is_pong(f, len, &dev, p->seq, p->payload);
}

static void ping(uint16_t seq, uint16_t payload)
{
	struct ping p = { seq, payload };
	uint16_t len = tn_ping(frame, &dev, gw_mac, seq, payload);
	uint32_t sent = tn_send(&dev, frame, len);

	CHECK_EQ(sent, len);
	uint32_t n = tn_wait(&dev, got, 5000, is_pong, &p);
	CHECK_EQ(n, len);
	if (n == len)
		printf("ping 10.0.2.2: %u-byte frame, reply seq %u, payload "
		       "and checksums ok\n", len, seq);
}

void app_main(void)
{
	printf("TEST tunnet_slirp START\n");
	CHECK(tn_find(&dev));
	if (!tn_find(&dev))
		goto out;
	printf("net device %u: features 0x%04x\n", dev.index, dev.features);
	CHECK_EQ(dev.features, NET_PEERNUM | LGUEST_DEVICE_F_RANDOMNESS);
	CHECK(dev.page[0] & LGUEST_NET_PROMISC);
	tn_print_mac("slot 0 (the outside): ", dev.nic_mac);
	CHECK_EQ(tn_bind(&dev, TN_BUFS, LGUEST_NET_BUF_SIZE), 1);

	/* Who has 10.0.2.2? Tell 10.0.2.15. */
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint16_t len = tn_arp(frame, bcast, 1, dev.mac, tn_my_ip, zero,
			      tn_gw_ip);
	CHECK_EQ(tn_send(&dev, frame, len), len);
	uint32_t n = tn_wait(&dev, got, 5000, is_gateway_arp_reply, NULL);
	CHECK(n >= 42);
	if (n < 42)
		goto out;
	memcpy(gw_mac, got + LGUEST_NET_HDR_LEN + 8, 6);
	tn_print_mac("arp: 10.0.2.2 is at ", gw_mac);
	CHECK(tn_irqs > 0);

	ping(1, 56);				/* 98-byte frame */
	ping(2, LGUEST_NET_MTU - 28);		/* 1514: the largest */
	ping(3, 0);				/* 42 */
out:
	if (test_failures == 0)
		printf("TEST tunnet_slirp PASS\n");
	fflush(stdout);
}
