/*
 * tests/unit/net_eth_test.c: the stack's Ethernet layer (lib/netstack.c):
 * frames too short or too long, for someone else, from ourselves or of
 * an unknown type are dropped with their own counter and answered by
 * nothing; short frames we send are padded to 60 bytes; a send no peer
 * takes counts as failed; the counter list matches the struct.
 */
#include <stdint.h>
#include <string.h>

#include "arp.h"
#include "check.h"
#include "ipv4.h"
#include "net_fixture.h"
#include "netstack.h"

static struct fx f;
static uint8_t frame[2048];

/* Feed len bytes of frame; exactly one drop happens, nothing is sent. */
static void feed_expect_drop(size_t len)
{
	uint32_t drops = fx_all_drops(&f.ns);

	netstack_input(&f.ns, frame, len);
	CHECK_EQ(fx_all_drops(&f.ns), drops + 1);
	CHECK_EQ(f.nsent, 0);
	CHECK(fx_accounted(&f.ns));
}

static void test_runts(void)
{
	fx_init(&f, false);
	memset(frame, 0xFF, sizeof(frame));
	feed_expect_drop(0);
	feed_expect_drop(1);
	feed_expect_drop(13);
	CHECK_EQ(f.ns.cnt.rx_runt, 3);
	CHECK_EQ(f.ns.cnt.rx_frames, 3);
	netstack_input(&f.ns, NULL, 0); /* never dereferenced */
	CHECK_EQ(f.ns.cnt.rx_runt, 4);
}

static void test_oversize(void)
{
	fx_init(&f, false);
	fx_eth(frame, fx_bcast, fx_peer_mac, 0x0800);
	feed_expect_drop(1515);
	feed_expect_drop(sizeof(frame));
	CHECK_EQ(f.ns.cnt.rx_oversize, 2);
}

static void test_not_for_us(void)
{
	const uint8_t other[6] = {0x02, 0, 9, 0, 0, 0};
	const uint8_t mcast[6] = {0x01, 0x00, 0x5E, 0, 0, 1};

	fx_init(&f, false);
	memset(frame, 0, sizeof(frame));
	fx_eth(frame, other, fx_peer_mac, 0x0800);
	feed_expect_drop(60);
	fx_eth(frame, mcast, fx_peer_mac, 0x0800);
	feed_expect_drop(60);
	CHECK_EQ(f.ns.cnt.rx_not_for_us, 2);
	CHECK_EQ(f.ns.cnt.ip_in, 0);
}

static void test_from_us(void)
{
	fx_init(&f, false);
	memset(frame, 0, sizeof(frame));
	fx_eth(frame, fx_bcast, fx_mac, 0x0806);
	feed_expect_drop(60);
	CHECK_EQ(f.ns.cnt.rx_from_us, 1);
	CHECK_EQ(f.ns.cnt.arp_in, 0);
}

static void test_unknown_type(void)
{
	fx_init(&f, false);
	memset(frame, 0, sizeof(frame));
	fx_eth(frame, fx_mac, fx_peer_mac, 0x86DD); /* IPv6 */
	feed_expect_drop(60);
	fx_eth(frame, fx_mac, fx_peer_mac, 0x8100); /* VLAN tag */
	feed_expect_drop(60);
	fx_eth(frame, fx_mac, fx_peer_mac, 0x0800);
	/* Exactly a header, ethertype IPv4: reaches IPv4, which drops it. */
	netstack_input(&f.ns, frame, 14);
	CHECK_EQ(f.ns.cnt.rx_unknown_type, 2);
	CHECK_EQ(f.ns.cnt.ip_truncated, 1);
	CHECK(fx_accounted(&f.ns));
}

static void test_send_pads_and_fills_header(void)
{
	fx_init(&f, false);
	uint8_t *p = f.ns.tx + NET_ETH_HLEN;
	memset(f.ns.tx, 0xAA, sizeof(f.ns.tx)); /* stale bytes */
	memset(p, 0x11, 10);
	CHECK_EQ(netstack_eth_send(&f.ns, fx_peer_mac, 0x1234, 10), 0);
	CHECK_EQ(f.nsent, 1);
	CHECK_EQ(f.sent_len[0], 60);
	CHECK(memcmp(f.sent[0], fx_peer_mac, 6) == 0);
	CHECK(memcmp(f.sent[0] + 6, fx_mac, 6) == 0);
	CHECK_EQ(net_get16(f.sent[0] + 12), 0x1234);
	CHECK_EQ(f.sent[0][14 + 9], 0x11);
	for (unsigned i = 24; i < 60; i++)
		CHECK_EQ(f.sent[0][i], 0); /* padding is zeros */
	CHECK_EQ(f.ns.cnt.tx_frames, 1);

	/* A full-size payload is not padded or cut. */
	CHECK_EQ(netstack_eth_send(&f.ns, fx_peer_mac, 0x0800, 1500), 0);
	CHECK_EQ(f.sent_len[1], 1514);
}

static void test_send_fails(void)
{
	fx_init(&f, false);
	f.wire_ok = false;
	CHECK_EQ(netstack_eth_send(&f.ns, fx_bcast, 0x0806, 28), NET_ETX);
	CHECK_EQ(f.ns.cnt.tx_failed, 1);
	CHECK_EQ(f.ns.cnt.tx_frames, 0);
}

static void test_counter_list(void)
{
	fx_init(&f, false);
	unsigned n = netstack_counter_count();
	CHECK_EQ(n * sizeof(uint32_t), sizeof(struct netstack_counters));
	CHECK(strcmp(netstack_counter_name(0), "rx_frames") == 0);
	CHECK(netstack_counter_name(n) == NULL);
	CHECK(netstack_counter_what(n) == NULL);
	CHECK_EQ(netstack_counter_value(&f.ns, n), 0);
	f.ns.cnt.ip_bad_csum = 42;
	unsigned found = 0;
	for (unsigned i = 0; i < n; i++) {
		CHECK(netstack_counter_what(i) != NULL);
		if (strcmp(netstack_counter_name(i), "ip_bad_csum") == 0) {
			CHECK_EQ(netstack_counter_value(&f.ns, i), 42);
			found++;
		}
	}
	CHECK_EQ(found, 1);
}

int main(void)
{
	RUN(test_runts);
	RUN(test_oversize);
	RUN(test_not_for_us);
	RUN(test_from_us);
	RUN(test_unknown_type);
	RUN(test_send_pads_and_fills_header);
	RUN(test_send_fails);
	RUN(test_counter_list);
	return CHECK_DONE();
}
