/*
 * tests/unit/net_icmp_test.c: ICMP echo (lib/icmp.c): a request to us is
 * answered with the same identifier, sequence and data and a right
 * checksum, or waits for ARP if we do not know the asker; requests to a
 * broadcast and other types are ignored; short or corrupt messages are
 * dropped unless NOCSUM; our requests are well-formed and replies reach
 * the echo handler.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "icmp.h"
#include "net_fixture.h"

static struct fx f;
static uint8_t frame[1600];
static const char data[] = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";

static struct icmp_echo_rx got;
static unsigned ngot;
static uint8_t got_data[1500];

static void echo_handler(struct netstack *ns, void *ctx,
			 const struct icmp_echo_rx *e)
{
	CHECK(ns == &f.ns);
	CHECK(ctx == &got);
	got = *e;
	memcpy(got_data, e->data, e->len);
	ngot++;
}

static void test_request_is_answered(void)
{
	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	size_t n = fx_ping_frame(frame, ICMP_ECHO_REQUEST, 3, data, 56);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.icmp_echo_requests, 1);
	CHECK_EQ(f.nsent, 1);
	const uint8_t *r = f.sent[0];
	CHECK_EQ(f.sent_len[0], n);
	CHECK(memcmp(r, fx_peer_mac, 6) == 0);
	const uint8_t *ip = r + 14, *m = r + 34;
	CHECK_EQ(inet_csum(ip, 20), 0);
	CHECK_EQ(ip[9], 1);
	CHECK_EQ(net_get32(ip + 12), FX_IP);
	CHECK_EQ(net_get32(ip + 16), FX_PEER_IP);
	CHECK_EQ(net_get16(ip + 2), 20 + 8 + 56);
	CHECK_EQ(m[0], ICMP_ECHO_REPLY);
	CHECK_EQ(m[1], 0);
	CHECK_EQ(net_get16(m + 4), 0x77);
	CHECK_EQ(net_get16(m + 6), 3);
	CHECK(memcmp(m + 8, data, 56) == 0);
	CHECK_EQ(inet_csum(m, 8 + 56), 0);
	CHECK(fx_accounted(&f.ns));
}

static void test_request_from_unknown_waits_for_arp(void)
{
	fx_init(&f, false);
	size_t n = fx_ping_frame(frame, ICMP_ECHO_REQUEST, 1, data, 8);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.nsent, 1);
	CHECK_EQ(net_get16(f.sent[0] + 12), 0x0806); /* who is 10.0.0.2? */
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	CHECK_EQ(f.ns.cnt.tx_frames, 3); /* request, the reply, ARP reply */
}

static void test_empty_and_padded_request(void)
{
	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	size_t n = fx_ping_frame(frame, ICMP_ECHO_REQUEST, 9, data, 0);
	memset(frame + n, 0x33, 60 - n); /* Ethernet padding */
	netstack_input(&f.ns, frame, 60);
	CHECK_EQ(f.nsent, 1);
	CHECK_EQ(net_get16(f.sent[0] + 14 + 2), 28); /* no data came back */
	CHECK_EQ(inet_csum(f.sent[0] + 34, 8), 0);
}

static void test_truncated_and_corrupt(void)
{
	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	size_t n = fx_ping_frame(frame, ICMP_ECHO_REQUEST, 1, data, 16);
	/* IPv4 says 7 bytes of ICMP. */
	net_put16(frame + 14 + 2, 27);
	fx_ip_fix_csum(frame + 14);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.icmp_truncated, 1);

	n = fx_ping_frame(frame, ICMP_ECHO_REQUEST, 1, data, 16);
	frame[n - 1] ^= 0x40;
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.icmp_bad_csum, 1);
	CHECK_EQ(f.nsent, 0);
	CHECK_EQ(f.ns.cnt.icmp_echo_requests, 0);

	/* On a NOCSUM LAN the same message is answered. */
	f.ns.cfg.skip_rx_csum = true;
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.icmp_echo_requests, 1);
	CHECK_EQ(f.nsent, 1);
	CHECK_EQ(inet_csum(f.sent[0] + 34, 8 + 16), 0); /* ours is right */
	CHECK(fx_accounted(&f.ns));
}

static void test_ignored(void)
{
	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	size_t n = fx_ping_frame(frame, ICMP_ECHO_REQUEST, 1, data, 8);
	/* To the broadcast address. */
	net_put32(frame + 14 + 16, 0xFFFFFFFF);
	fx_ip_fix_csum(frame + 14);
	memcpy(frame, fx_bcast, 6);
	netstack_input(&f.ns, frame, n);
	/* Destination unreachable (type 3). */
	n = fx_ping_frame(frame, 3, 1, data, 8);
	netstack_input(&f.ns, frame, n);
	/* An echo request with code 1. */
	n = fx_ping_frame(frame, ICMP_ECHO_REQUEST, 1, data, 8);
	frame[34 + 1] = 1;
	net_put16(frame + 34 + 2, 0);
	net_put16(frame + 34 + 2, inet_csum(frame + 34, 16));
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.icmp_ignored, 3);
	CHECK_EQ(f.nsent, 0);
	CHECK(fx_accounted(&f.ns));
}

static void test_send_echo_and_get_reply(void)
{
	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	icmp_set_echo_handler(&f.ns, echo_handler, &got);
	CHECK_EQ(icmp_send_echo(&f.ns, FX_PEER_IP, 0x4C47, 5, data, 56), 0);
	CHECK_EQ(f.nsent, 1);
	const uint8_t *m = f.sent[0] + 34;
	CHECK_EQ(m[0], ICMP_ECHO_REQUEST);
	CHECK_EQ(net_get16(m + 4), 0x4C47);
	CHECK_EQ(net_get16(m + 6), 5);
	CHECK_EQ(inet_csum(m, 64), 0);

	ngot = 0;
	size_t n = fx_ping_frame(frame, ICMP_ECHO_REPLY, 5, data, 56);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(ngot, 1);
	CHECK_EQ(got.src_ip, FX_PEER_IP);
	CHECK_EQ(got.id, 0x77);
	CHECK_EQ(got.seq, 5);
	CHECK_EQ(got.len, 56);
	CHECK(memcmp(got_data, data, 56) == 0);
	CHECK_EQ(f.ns.cnt.icmp_echo_replies, 1);
	CHECK_EQ(f.nsent, 1); /* a reply is not answered */

	/* Without a handler a reply is still counted, and harmless. */
	icmp_set_echo_handler(&f.ns, NULL, NULL);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(ngot, 1);
	CHECK_EQ(f.ns.cnt.icmp_echo_replies, 2);

	CHECK_EQ(icmp_send_echo(&f.ns, FX_PEER_IP, 1, 1, data,
				NET_ICMP_MAX_DATA + 1), NET_ETOOBIG);
}

int main(void)
{
	RUN(test_request_is_answered);
	RUN(test_request_from_unknown_waits_for_arp);
	RUN(test_empty_and_padded_request);
	RUN(test_truncated_and_corrupt);
	RUN(test_ignored);
	RUN(test_send_echo_and_get_reply);
	return CHECK_DONE();
}
