/*
 * tests/unit/net_arp_test.c: ARP (lib/arp.c): answering requests for our
 * address and learning who asked; ignoring requests for others; the
 * malformed cases with their counters; resolving a neighbour with the
 * packet waiting in the cache, one request per second at most, expiry,
 * the gateway for off-subnet addresses, and eviction from a full cache.
 */
#include <stdint.h>
#include <string.h>

#include "arp.h"
#include "check.h"
#include "net_fixture.h"
#include "udp.h"

static struct fx f;
static uint8_t frame[128];

static void test_request_for_us_is_answered(void)
{
	fx_init(&f, false);
	size_t n = fx_arp_frame(frame, ARP_OP_REQUEST, fx_peer_mac, FX_PEER_IP,
				FX_IP);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.nsent, 1);
	CHECK_EQ(f.ns.cnt.arp_replies_sent, 1);
	const uint8_t *r = f.sent[0];
	CHECK(memcmp(r, fx_peer_mac, 6) == 0);      /* to the asker */
	CHECK(memcmp(r + 6, fx_mac, 6) == 0);
	CHECK_EQ(net_get16(r + 12), 0x0806);
	const uint8_t *a = r + 14;
	CHECK_EQ(net_get16(a), 1);
	CHECK_EQ(net_get16(a + 2), 0x0800);
	CHECK_EQ(a[4], 6);
	CHECK_EQ(a[5], 4);
	CHECK_EQ(net_get16(a + 6), ARP_OP_REPLY);
	CHECK(memcmp(a + 8, fx_mac, 6) == 0);       /* sha: us */
	CHECK_EQ(net_get32(a + 14), FX_IP);         /* spa */
	CHECK(memcmp(a + 18, fx_peer_mac, 6) == 0); /* tha */
	CHECK_EQ(net_get32(a + 24), FX_PEER_IP);    /* tpa */
	/* And the asker is learned. */
	const struct arp_entry *e = arp_find(&f.ns, FX_PEER_IP);
	CHECK(e != NULL);
	if (e) {
		CHECK_EQ(e->state, ARP_RESOLVED);
		CHECK(memcmp(e->mac, fx_peer_mac, 6) == 0);
	}
	CHECK(fx_accounted(&f.ns));
}

static void test_request_for_other_is_ignored(void)
{
	fx_init(&f, false);
	size_t n = fx_arp_frame(frame, ARP_OP_REQUEST, fx_peer_mac, FX_PEER_IP,
				0x0A000063);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.nsent, 0);
	CHECK(arp_find(&f.ns, FX_PEER_IP) == NULL); /* not learned */
	CHECK_EQ(fx_all_drops(&f.ns), 0);           /* but not a drop */
	CHECK_EQ(f.ns.cnt.arp_in, 1);
}

static void test_probe_is_not_learned(void)
{
	fx_init(&f, false);
	/* RFC 5227 probe: sender address 0. */
	size_t n = fx_arp_frame(frame, ARP_OP_REQUEST, fx_peer_mac, 0, FX_IP);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.nsent, 0);
	CHECK(arp_find(&f.ns, 0) == NULL);
}

static void test_malformed(void)
{
	fx_init(&f, false);
	size_t n = fx_arp_frame(frame, ARP_OP_REQUEST, fx_peer_mac, FX_PEER_IP,
				FX_IP);
	netstack_input(&f.ns, frame, 14 + 27); /* one byte short */
	CHECK_EQ(f.ns.cnt.arp_truncated, 1);
	netstack_input(&f.ns, frame, 14);      /* no ARP at all */
	CHECK_EQ(f.ns.cnt.arp_truncated, 2);

	frame[14 + 1] = 6;                     /* htype 6 */
	netstack_input(&f.ns, frame, n);
	frame[14 + 1] = 1;
	frame[14 + 2] = 0x86;                  /* ptype IPv6 */
	netstack_input(&f.ns, frame, n);
	frame[14 + 2] = 0x08;
	frame[14 + 4] = 8;                     /* hlen 8 */
	netstack_input(&f.ns, frame, n);
	frame[14 + 4] = 6;
	frame[14 + 5] = 16;                    /* plen 16 */
	netstack_input(&f.ns, frame, n);
	frame[14 + 5] = 4;
	CHECK_EQ(f.ns.cnt.arp_bad_format, 4);

	net_put16(frame + 14 + 6, 3);          /* RARP request */
	netstack_input(&f.ns, frame, n);
	net_put16(frame + 14 + 6, 0);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.arp_bad_op, 2);

	CHECK_EQ(f.nsent, 0);
	CHECK(arp_find(&f.ns, FX_PEER_IP) == NULL);
	CHECK(fx_accounted(&f.ns));
	CHECK_EQ(fx_all_drops(&f.ns), 8);
}

static void test_conflict(void)
{
	fx_init(&f, false);
	size_t n = fx_arp_frame(frame, ARP_OP_REQUEST, fx_peer_mac, FX_IP,
				FX_IP);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.arp_conflict, 1);
	CHECK_EQ(f.nsent, 0);
	CHECK(arp_find(&f.ns, FX_IP) == NULL);
}

/* Send a 4-byte UDP datagram to ip; returns udp_send()'s result. */
static int send_udp(uint32_t ip)
{
	return udp_send(&f.ns, ip, 1000, 2000, "ping", 4);
}

static void check_request(const uint8_t *r, uint32_t who)
{
	CHECK(memcmp(r, fx_bcast, 6) == 0);
	CHECK_EQ(net_get16(r + 12), 0x0806);
	CHECK_EQ(net_get16(r + 14 + 6), ARP_OP_REQUEST);
	CHECK(memcmp(r + 14 + 8, fx_mac, 6) == 0);
	CHECK_EQ(net_get32(r + 14 + 14), FX_IP);
	CHECK_EQ(net_get32(r + 14 + 24), who);
}

static void test_resolve_then_send_waiting_packet(void)
{
	fx_init(&f, false);
	CHECK_EQ(send_udp(FX_PEER_IP), 0);
	CHECK_EQ(f.nsent, 1);
	check_request(f.sent[0], FX_PEER_IP);
	const struct arp_entry *e = arp_find(&f.ns, FX_PEER_IP);
	CHECK(e && e->state == ARP_PENDING && e->queued_len == 20 + 8 + 4);

	size_t n = fx_arp_frame(frame, ARP_OP_REPLY, fx_peer_mac, FX_PEER_IP,
				FX_IP);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.nsent, 2); /* the waiting packet, now addressed */
	CHECK(memcmp(f.sent[1], fx_peer_mac, 6) == 0);
	CHECK_EQ(net_get16(f.sent[1] + 12), 0x0800);
	CHECK_EQ(net_get32(f.sent[1] + 14 + 16), FX_PEER_IP);
	CHECK(memcmp(f.sent[1] + 14 + 28, "ping", 4) == 0);
	CHECK(e && e->state == ARP_RESOLVED && e->queued_len == 0);
	CHECK_EQ(f.ns.cnt.arp_replies_sent, 0); /* a reply is not answered */

	/* Known now: straight out. */
	CHECK_EQ(send_udp(FX_PEER_IP), 0);
	CHECK_EQ(f.nsent, 3);
	CHECK(memcmp(f.sent[2], fx_peer_mac, 6) == 0);
	CHECK_EQ(f.ns.cnt.arp_requests_sent, 1);
}

static void test_retry_at_most_once_a_second(void)
{
	fx_init(&f, false);
	send_udp(FX_PEER_IP);
	f.now_ms += NET_ARP_RETRY_MS - 1;
	send_udp(FX_PEER_IP); /* replaces the waiting one, no new request */
	CHECK_EQ(f.nsent, 1);
	CHECK_EQ(f.ns.cnt.arp_queue_replaced, 1);
	f.now_ms += 1;
	send_udp(FX_PEER_IP);
	CHECK_EQ(f.nsent, 2);
	check_request(f.sent[1], FX_PEER_IP);
	CHECK_EQ(f.ns.cnt.arp_requests_sent, 2);
	CHECK_EQ(f.ns.cnt.arp_queue_replaced, 2);
	const struct arp_entry *e = arp_find(&f.ns, FX_PEER_IP);
	CHECK(e && e->requests == 2);
}

static void test_expiry(void)
{
	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	f.now_ms += NET_ARP_TTL_MS - 1;
	send_udp(FX_PEER_IP);
	CHECK_EQ(f.nsent, 1);
	CHECK(memcmp(f.sent[0], fx_peer_mac, 6) == 0);
	f.now_ms += 1;
	send_udp(FX_PEER_IP); /* stale: ask again, keep the packet */
	CHECK_EQ(f.nsent, 2);
	check_request(f.sent[1], FX_PEER_IP);
}

static void test_refresh_from_known_sender(void)
{
	const uint8_t moved[6] = {0x02, 0, 7, 0, 0, 0};

	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	/* A request for someone else still updates a sender we know. */
	size_t n = fx_arp_frame(frame, ARP_OP_REQUEST, moved, FX_PEER_IP,
				0x0A000063);
	netstack_input(&f.ns, frame, n);
	const struct arp_entry *e = arp_find(&f.ns, FX_PEER_IP);
	CHECK(e && memcmp(e->mac, moved, 6) == 0);
	CHECK_EQ(f.nsent, 0);
}

static void test_gateway_and_no_route(void)
{
	fx_init(&f, false);
	CHECK_EQ(send_udp(FX_FAR_IP), 0);
	CHECK_EQ(f.nsent, 1);
	check_request(f.sent[0], FX_GW_IP); /* ask for the gateway */
	fx_learn_peer(&f, fx_gw_mac, FX_GW_IP);
	/* The waiting packet went to the gateway's MAC, for 8.8.8.8. */
	CHECK_EQ(f.ns.cnt.tx_frames, 3);

	f.nsent = 0;
	CHECK_EQ(send_udp(FX_FAR_IP), 0);
	CHECK_EQ(f.nsent, 1);
	CHECK(memcmp(f.sent[0], fx_gw_mac, 6) == 0);
	CHECK_EQ(net_get32(f.sent[0] + 14 + 16), FX_FAR_IP);

	f.ns.cfg.gateway = 0;
	f.nsent = 0;
	CHECK_EQ(send_udp(FX_FAR_IP), NET_ENOROUTE);
	CHECK_EQ(send_udp(FX_IP), NET_ENOROUTE);      /* no loopback */
	CHECK_EQ(send_udp(0), NET_ENOROUTE);
	CHECK_EQ(f.ns.cnt.tx_no_route, 3);
	CHECK_EQ(f.nsent, 0);
}

static void test_broadcast_needs_no_arp(void)
{
	fx_init(&f, false);
	CHECK_EQ(send_udp(0xFFFFFFFF), 0);
	CHECK_EQ(send_udp(0x0A0000FF), 0); /* 10.0.0.255, our subnet's */
	CHECK_EQ(f.nsent, 2);
	CHECK(memcmp(f.sent[0], fx_bcast, 6) == 0);
	CHECK(memcmp(f.sent[1], fx_bcast, 6) == 0);
	CHECK_EQ(f.ns.cnt.arp_requests_sent, 0);
}

static void test_full_cache_evicts_stalest(void)
{
	uint8_t mac[6] = {0x02, 0, 0x40, 0, 0, 0};

	fx_init(&f, false);
	for (unsigned i = 0; i < NET_ARP_CACHE_SIZE; i++) {
		mac[2] = (uint8_t)(0x40 + i);
		f.now_ms += 10;
		fx_learn_peer(&f, mac, 0x0A000010 + i);
	}
	CHECK_EQ(f.ns.cnt.arp_evictions, 0);
	f.now_ms += 10;
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	CHECK_EQ(f.ns.cnt.arp_evictions, 1);
	CHECK(arp_find(&f.ns, 0x0A000010) == NULL); /* the oldest went */
	CHECK(arp_find(&f.ns, 0x0A000011) != NULL);
	CHECK(arp_find(&f.ns, FX_PEER_IP) != NULL);
}

int main(void)
{
	RUN(test_request_for_us_is_answered);
	RUN(test_request_for_other_is_ignored);
	RUN(test_probe_is_not_learned);
	RUN(test_malformed);
	RUN(test_conflict);
	RUN(test_resolve_then_send_waiting_packet);
	RUN(test_retry_at_most_once_a_second);
	RUN(test_expiry);
	RUN(test_refresh_from_known_sender);
	RUN(test_gateway_and_no_route);
	RUN(test_broadcast_needs_no_arp);
	RUN(test_full_cache_evicts_stalest);
	return CHECK_DONE();
}
