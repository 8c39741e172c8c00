/*
 * tests/unit/net_ipv4_test.c: IPv4 input (lib/ipv4.c): every malformed
 * header bumps its own counter and reaches nothing above it (truncated,
 * version, IHL, total length both ways, checksum, fragments, bad source,
 * not for us, unknown protocol); options and Ethernet padding are fine;
 * the header we send is well-formed; the broadcast and next-hop rules.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ipv4.h"
#include "net_fixture.h"
#include "udp.h"

static struct fx f;
static uint8_t frame[1600];
static unsigned delivered;

static void count_handler(struct netstack *ns, void *ctx,
			  const struct udp_rx *d)
{
	(void)ns;
	(void)ctx;
	(void)d;
	delivered++;
}

/* A good UDP datagram to port 9 in frame; returns the frame length. */
static size_t good_frame(void)
{
	fx_init(&f, false);
	delivered = 0;
	CHECK_EQ(udp_bind(&f.ns, 9, count_handler, NULL), 0);
	return fx_udp_frame(frame, 5555, 9, "abcd", 4);
}

static uint8_t *ip_hdr(void)
{
	return frame + NET_ETH_HLEN;
}

/* Feed; expect exactly one more drop, counter *c up by one, no delivery
 * and nothing sent. */
static void expect_drop(size_t len, const uint32_t *c)
{
	uint32_t before = *c, drops = fx_all_drops(&f.ns);

	netstack_input(&f.ns, frame, len);
	CHECK_EQ(*c, before + 1);
	CHECK_EQ(fx_all_drops(&f.ns), drops + 1);
	CHECK_EQ(delivered, 0);
	CHECK_EQ(f.nsent, 0);
	CHECK(fx_accounted(&f.ns));
}

static void test_good_packet_is_delivered(void)
{
	size_t n = good_frame();
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(delivered, 1);
	CHECK_EQ(f.ns.cnt.ip_in, 1);
	CHECK_EQ(fx_all_drops(&f.ns), 0);
}

static void test_truncated(void)
{
	good_frame();
	expect_drop(14 + 19, &f.ns.cnt.ip_truncated);
}

static void test_bad_version(void)
{
	size_t n = good_frame();
	ip_hdr()[0] = 0x65;
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_bad_version);
}

static void test_bad_ihl(void)
{
	size_t n = good_frame();
	ip_hdr()[0] = 0x44; /* 16 bytes: below the minimum */
	expect_drop(n, &f.ns.cnt.ip_bad_hdr_len);
	ip_hdr()[0] = 0x4F; /* 60 bytes: past this 32-byte packet */
	expect_drop(14 + 32, &f.ns.cnt.ip_bad_hdr_len);
}

static void test_bad_total_length(void)
{
	size_t n = good_frame();
	net_put16(ip_hdr() + 2, (uint16_t)(n - 14 + 1)); /* past the frame */
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_bad_len);
	net_put16(ip_hdr() + 2, 19);                    /* inside the header */
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_bad_len);
	net_put16(ip_hdr() + 2, 0xFFFF);
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_bad_len);
}

static void test_bad_checksum(void)
{
	size_t n = good_frame();
	ip_hdr()[8] = 63; /* TTL changed, checksum not */
	expect_drop(n, &f.ns.cnt.ip_bad_csum);
	/* NOCSUM does not excuse the IPv4 header. */
	f.ns.cfg.skip_rx_csum = true;
	expect_drop(n, &f.ns.cnt.ip_bad_csum);
}

static void test_fragments(void)
{
	size_t n = good_frame();
	net_put16(ip_hdr() + 6, 0x2000);      /* more fragments */
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_fragment);
	net_put16(ip_hdr() + 6, 0x0001);      /* offset 8 */
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_fragment);
	net_put16(ip_hdr() + 6, 0x4000);      /* DF alone is fine */
	fx_ip_fix_csum(ip_hdr());
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(delivered, 1);
}

static void test_bad_source(void)
{
	static const uint32_t bad[] = {
		0, 0xFFFFFFFF, 0x0A0000FF, 0xE0000001, FX_IP,
	};
	size_t n = good_frame();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		net_put32(ip_hdr() + 12, bad[i]);
		fx_ip_fix_csum(ip_hdr());
		expect_drop(n, &f.ns.cnt.ip_bad_src);
	}
}

static void test_not_for_us(void)
{
	size_t n = good_frame();
	net_put32(ip_hdr() + 16, 0x0A000009);
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_not_for_us);
	net_put32(ip_hdr() + 16, 0xE0000001); /* multicast: not joined */
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_not_for_us);
}

static void test_broadcast_destinations(void)
{
	size_t n = good_frame();
	/* UDP checksums cover the destination: send these without. */
	net_put16(ip_hdr() + 20 + 6, 0);
	net_put32(ip_hdr() + 16, 0xFFFFFFFF);
	fx_ip_fix_csum(ip_hdr());
	netstack_input(&f.ns, frame, n);
	net_put32(ip_hdr() + 16, 0x0A0000FF);
	fx_ip_fix_csum(ip_hdr());
	netstack_input(&f.ns, frame, n);
	CHECK_EQ(delivered, 2);
}

static void test_unknown_protocol(void)
{
	size_t n = good_frame();
	ip_hdr()[9] = 6; /* TCP */
	fx_ip_fix_csum(ip_hdr());
	expect_drop(n, &f.ns.cnt.ip_unknown_proto);
}

static void test_options_and_padding(void)
{
	size_t n = good_frame();
	uint8_t udp[12];

	/* Move the UDP datagram 4 bytes on and add a NOP option word. */
	memcpy(udp, ip_hdr() + 20, 12);
	memcpy(ip_hdr() + 24, udp, 12);
	memset(ip_hdr() + 20, 1, 4);
	ip_hdr()[0] = 0x46;
	net_put16(ip_hdr() + 2, 20 + 4 + 12);
	fx_ip_fix_csum(ip_hdr());
	netstack_input(&f.ns, frame, n + 4);
	CHECK_EQ(delivered, 1);
	/* Ethernet padding past the total length is ignored. */
	memset(frame + n + 4, 0xEE, 100);
	netstack_input(&f.ns, frame, n + 104);
	CHECK_EQ(delivered, 2);
	CHECK_EQ(fx_all_drops(&f.ns), 0);
}

static void test_sent_header(void)
{
	fx_init(&f, false);
	fx_learn_peer(&f, fx_peer_mac, FX_PEER_IP);
	uint8_t *p = ipv4_tx_payload(&f.ns);
	memset(p, 0x5A, 33);
	CHECK_EQ(ipv4_send(&f.ns, FX_PEER_IP, 200, 33), 0);
	CHECK_EQ(ipv4_send(&f.ns, FX_PEER_IP, 200, 33), 0);
	CHECK_EQ(f.nsent, 2);
	const uint8_t *h = f.sent[0] + 14;
	CHECK_EQ(h[0], 0x45);
	CHECK_EQ(net_get16(h + 2), 53);
	CHECK_EQ(net_get16(h + 6), 0);       /* not a fragment */
	CHECK_EQ(h[8], IPV4_TTL);
	CHECK_EQ(h[9], 200);
	CHECK_EQ(net_get32(h + 12), FX_IP);
	CHECK_EQ(net_get32(h + 16), FX_PEER_IP);
	CHECK_EQ(inet_csum(h, 20), 0);       /* the checksum is right */
	CHECK_EQ(h[20 + 32], 0x5A);
	/* Identification moves on. */
	CHECK(net_get16(f.sent[1] + 14 + 4) != net_get16(h + 4));
	CHECK_EQ(ipv4_send(&f.ns, FX_PEER_IP, 200, 1481), NET_ETOOBIG);
	CHECK_EQ(f.ns.cnt.tx_too_big, 1);
}

static void test_routing_rules(void)
{
	fx_init(&f, false);
	CHECK(ipv4_is_broadcast(&f.ns, 0xFFFFFFFF));
	CHECK(ipv4_is_broadcast(&f.ns, 0x0A0000FF));
	CHECK(!ipv4_is_broadcast(&f.ns, 0x0A0001FF));
	CHECK_EQ(ipv4_next_hop(&f.ns, FX_PEER_IP), FX_PEER_IP);
	CHECK_EQ(ipv4_next_hop(&f.ns, FX_FAR_IP), FX_GW_IP);
	CHECK_EQ(ipv4_next_hop(&f.ns, FX_IP), 0);
	f.ns.cfg.netmask = 0xFFFFFFFE; /* /31: no subnet broadcast */
	CHECK(!ipv4_is_broadcast(&f.ns, FX_IP | 1));
	CHECK_EQ(ipv4_next_hop(&f.ns, FX_IP ^ 1), FX_IP ^ 1);
}

int main(void)
{
	RUN(test_good_packet_is_delivered);
	RUN(test_truncated);
	RUN(test_bad_version);
	RUN(test_bad_ihl);
	RUN(test_bad_total_length);
	RUN(test_bad_checksum);
	RUN(test_fragments);
	RUN(test_bad_source);
	RUN(test_not_for_us);
	RUN(test_broadcast_destinations);
	RUN(test_unknown_protocol);
	RUN(test_options_and_padding);
	RUN(test_sent_header);
	RUN(test_routing_rules);
	return CHECK_DONE();
}
