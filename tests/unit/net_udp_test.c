/*
 * tests/unit/net_udp_test.c: UDP (lib/udp.c): delivery to a bound port
 * with the right addresses, ports and data; an echo handler replying from
 * inside the call; the length and checksum drops, a zero checksum, NOCSUM;
 * unbound ports; binding and unbinding rules; the checksum we send.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "net_fixture.h"
#include "udp.h"

static struct fx f;
static uint8_t frame[1600];
static struct udp_rx got;
static uint8_t got_data[1500];
static unsigned ngot;

static void keep(struct netstack *ns, void *ctx, const struct udp_rx *d)
{
	(void)ns;
	CHECK(ctx == &got);
	got = *d;
	memcpy(got_data, d->data, d->len);
	ngot++;
}

static void echo(struct netstack *ns, void *ctx, const struct udp_rx *d)
{
	(void)ctx;
	CHECK_EQ(udp_send(ns, d->src_ip, d->dst_port, d->src_port, d->data,
			  d->len), 0);
}

static void setup(void)
{
	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	ngot = 0;
	CHECK_EQ(udp_bind(&f.ns, 9, keep, &got), 0);
	CHECK_EQ(udp_bind(&f.ns, 7, echo, NULL), 0);
}

static void test_delivery(void)
{
	setup();
	size_t n = fx_udp_frame(frame, 40000, 9, "hello", 5);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(ngot, 1);
	CHECK_EQ(got.src_ip, FX_PEER_IP);
	CHECK_EQ(got.dst_ip, FX_IP);
	CHECK_EQ(got.src_port, 40000);
	CHECK_EQ(got.dst_port, 9);
	CHECK_EQ(got.len, 5);
	CHECK(memcmp(got_data, "hello", 5) == 0);
	CHECK_EQ(f.ns.cnt.udp_delivered, 1);
	CHECK(fx_accounted(&f.ns));
}

static void test_echo_from_inside_handler(void)
{
	char big[1472];

	setup();
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	size_t n = fx_udp_frame(frame, 40000, 7, big, sizeof(big));
	CHECK_EQ(n, 1514);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.nsent, 1);
	CHECK_EQ(f.sent_len[0], 1514);
	const uint8_t *r = f.sent[0];
	CHECK(memcmp(r, fx_peer_mac, 6) == 0);
	CHECK_EQ(inet_csum(r + 14, 20), 0);
	CHECK_EQ(net_get32(r + 14 + 16), FX_PEER_IP);
	const uint8_t *u = r + 34;
	CHECK_EQ(net_get16(u), 7);
	CHECK_EQ(net_get16(u + 2), 40000);
	CHECK_EQ(net_get16(u + 4), 8 + sizeof(big));
	CHECK(memcmp(u + 8, big, sizeof(big)) == 0);
	/* The checksum, pseudo-header included, verifies. */
	uint32_t s = inet_csum_pseudo(FX_IP, FX_PEER_IP, 17, 8 + sizeof(big));
	CHECK_EQ(inet_csum_fold(inet_csum_add(s, u, 8 + sizeof(big))), 0);
}

static void test_bad_lengths(void)
{
	setup();
	size_t n = fx_udp_frame(frame, 1, 9, "abcdef", 6);
	uint8_t *u = frame + 34;

	net_put16(u + 4, 7);          /* below the header */
	netstack_input(&f.ns, frame, n);
	net_put16(u + 4, 15);         /* one past the IPv4 payload */
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.udp_bad_len, 2);
	/* IPv4 says 4 bytes of UDP. */
	net_put16(frame + 14 + 2, 24);
	fx_ip_fix_csum(frame + 14);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.udp_truncated, 1);
	CHECK_EQ(ngot, 0);
	CHECK_EQ(f.nsent, 0);
	CHECK(fx_accounted(&f.ns));
}

static void test_shorter_udp_length_trims(void)
{
	setup();
	size_t n = fx_udp_frame(frame, 1, 9, "abcdef", 6);
	uint8_t *u = frame + 34;
	/* UDP says 3 bytes of data, IPv4 carries 6: the rest is not data. */
	net_put16(u + 4, 11);
	net_put16(u + 6, 0);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(ngot, 1);
	CHECK_EQ(got.len, 3);
}

static void test_checksums(void)
{
	setup();
	size_t n = fx_udp_frame(frame, 1, 9, "abcdef", 6);
	frame[n - 1] ^= 1;
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.udp_bad_csum, 1);
	CHECK_EQ(ngot, 0);
	/* No checksum (0) is allowed in IPv4. */
	net_put16(frame + 34 + 6, 0);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(ngot, 1);
	/* A wrong one is fine on a NOCSUM LAN. */
	net_put16(frame + 34 + 6, 0x1234);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.udp_bad_csum, 2);
	f.ns.cfg.skip_rx_csum = true;
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(ngot, 2);
	CHECK(fx_accounted(&f.ns));
}

static void test_no_port(void)
{
	setup();
	size_t n = fx_udp_frame(frame, 1, 10, "x", 1);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(f.ns.cnt.udp_no_port, 1);
	CHECK_EQ(f.nsent, 0); /* no ICMP port unreachable either */
	CHECK_EQ(ngot, 0);
}

static void test_bind_rules(void)
{
	fx_init(&f, false);
	CHECK_EQ(udp_bind(&f.ns, 0, keep, NULL), NET_EINVAL);
	CHECK_EQ(udp_bind(&f.ns, 5, NULL, NULL), NET_EINVAL);
	for (unsigned i = 0; i < NET_UDP_PORTS; i++)
		CHECK_EQ(udp_bind(&f.ns, (uint16_t)(100 + i), keep, NULL), 0);
	CHECK_EQ(udp_bind(&f.ns, 100, keep, NULL), NET_EBUSY);
	CHECK_EQ(udp_bind(&f.ns, 200, keep, NULL), NET_ENOSPC);
}

static void test_unbind(void)
{
	setup();
	size_t n = fx_udp_frame(frame, 40000, 9, "a", 1);
	CHECK_EQ(udp_unbind(&f.ns, 0), NET_EINVAL);
	CHECK_EQ(udp_unbind(&f.ns, 10), NET_EINVAL);
	CHECK_EQ(udp_unbind(&f.ns, 9), 0);
	CHECK_EQ(udp_unbind(&f.ns, 9), NET_EINVAL);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(ngot, 0);
	CHECK_EQ(f.ns.cnt.udp_no_port, 1);
	/* The freed slot takes a new port; port 7 was never disturbed. */
	for (unsigned i = 0; i < NET_UDP_PORTS - 2; i++)
		CHECK_EQ(udp_bind(&f.ns, (uint16_t)(100 + i), keep, NULL), 0);
	CHECK_EQ(udp_bind(&f.ns, 9, keep, &got), 0);
	CHECK_EQ(udp_bind(&f.ns, 200, keep, NULL), NET_ENOSPC);
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(ngot, 1);
	CHECK(fx_accounted(&f.ns));
}

static void test_send_limits(void)
{
	setup();
	static char big[NET_UDP_MAX_DATA + 1];
	CHECK_EQ(udp_send(&f.ns, FX_PEER_IP, 1, 2, big, sizeof(big)),
		 NET_ETOOBIG);
	CHECK_EQ(udp_send(&f.ns, FX_PEER_IP, 1, 2, big, sizeof(big) - 1), 0);
	CHECK_EQ(udp_send(&f.ns, FX_PEER_IP, 1, 2, NULL, 0), 0);
	CHECK_EQ(f.nsent, 2);
	CHECK_EQ(net_get16(f.sent[1] + 34 + 4), 8);
	f.wire_ok = false;
	CHECK_EQ(udp_send(&f.ns, FX_PEER_IP, 1, 2, "a", 1), NET_ETX);
}

/* On a NOCSUM LAN (skip_tx_udp_csum) a datagram goes with checksum 0,
 * "none"; elsewhere with one that verifies and is never 0. The IPv4
 * header's checksum is computed either way. */
static void test_send_without_checksum(void)
{
	setup();
	CHECK_EQ(udp_send(&f.ns, FX_PEER_IP, 5, 6, "abc", 3), 0);
	f.ns.cfg.skip_tx_udp_csum = true;
	CHECK_EQ(udp_send(&f.ns, FX_PEER_IP, 5, 6, "abc", 3), 0);
	CHECK_EQ(f.nsent, 2);
	const uint8_t *with = f.sent[0] + 34, *without = f.sent[1] + 34;
	CHECK(net_get16(with + 6) != 0);
	uint32_t s = inet_csum_pseudo(FX_IP, FX_PEER_IP, 17, 8 + 3);
	CHECK_EQ(inet_csum_fold(inet_csum_add(s, with, 8 + 3)), 0);
	CHECK_EQ(net_get16(without + 6), 0);
	CHECK(memcmp(without, with, 6) == 0);
	CHECK(memcmp(without + 8, "abc", 3) == 0);
	CHECK_EQ(inet_csum(f.sent[1] + 14, 20), 0);
}

int main(void)
{
	RUN(test_delivery);
	RUN(test_echo_from_inside_handler);
	RUN(test_bad_lengths);
	RUN(test_shorter_udp_length_trims);
	RUN(test_checksums);
	RUN(test_no_port);
	RUN(test_bind_rules);
	RUN(test_unbind);
	RUN(test_send_limits);
	RUN(test_send_without_checksum);
	return CHECK_DONE();
}
