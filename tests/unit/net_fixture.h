/*
 * tests/unit/net_fixture.h: a bench for the IPv4 stack (lib/netstack.h)
 * shared by the net*_test.c files: an interface 10.0.0.1/24 with gateway
 * 10.0.0.254, a fake wire that records every frame the stack sends, a
 * clock the test moves by hand, builders for the frames a peer would
 * send, and the accounting rule every received frame must obey.
 */
#ifndef LGREF_TESTS_NET_FIXTURE_H
#define LGREF_TESTS_NET_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "inet_csum.h"
#include "netbytes.h"
#include "netstack.h"

#define FX_IP 0x0A000001u       /* 10.0.0.1, us */
#define FX_PEER_IP 0x0A000002u  /* 10.0.0.2 */
#define FX_GW_IP 0x0A0000FEu    /* 10.0.0.254 */
#define FX_FAR_IP 0x08080808u   /* 8.8.8.8, off-subnet */
#define FX_MAX_SENT 8

static const uint8_t fx_mac[6] = {0x02, 0, 0, 0, 0, 0};
static const uint8_t fx_peer_mac[6] = {0x02, 0, 1, 0, 0, 0};
static const uint8_t fx_gw_mac[6] = {0x02, 0, 0xFE, 0, 0, 0};
static const uint8_t fx_bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

struct fx {
	struct netstack ns;
	uint64_t now_ms;
	bool wire_ok;                 /* what send_frame answers */
	unsigned nsent;               /* frames sent so far */
	uint8_t sent[FX_MAX_SENT][NET_ETH_FRAME_MAX];
	size_t sent_len[FX_MAX_SENT];
};

static inline bool fx_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct fx *f = ctx;

	CHECK(len >= NET_ETH_FRAME_MIN && len <= NET_ETH_FRAME_MAX);
	if (f->nsent < FX_MAX_SENT && len <= NET_ETH_FRAME_MAX) {
		memcpy(f->sent[f->nsent], frame, len);
		f->sent_len[f->nsent] = len;
	}
	f->nsent++;
	return f->wire_ok;
}

static inline uint64_t fx_now(void *ctx)
{
	return ((struct fx *)ctx)->now_ms;
}

static const struct netstack_ops fx_ops = {fx_send, fx_now};

/* A fresh stack; skip_csum sets NOCSUM behaviour. */
static inline void fx_init(struct fx *f, bool skip_csum)
{
	struct netstack_config cfg = {
		.ip = FX_IP, .netmask = 0xFFFFFF00u, .gateway = FX_GW_IP,
		.skip_rx_csum = skip_csum,
	};

	memcpy(cfg.mac, fx_mac, 6);
	memset(f, 0, sizeof(*f));
	f->now_ms = 1000000;
	f->wire_ok = true;
	netstack_init(&f->ns, &cfg, &fx_ops, f);
}

/* Ethernet header; returns its length. */
static inline size_t fx_eth(uint8_t *p, const uint8_t *dst,
			    const uint8_t *src, uint16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	net_put16(p + 12, type);
	return NET_ETH_HLEN;
}

/* ARP packet (28 bytes) at p. */
static inline size_t fx_arp(uint8_t *p, uint16_t op, const uint8_t *sha,
			    uint32_t spa, const uint8_t *tha, uint32_t tpa)
{
	net_put16(p, 1);
	net_put16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	net_put16(p + 6, op);
	memcpy(p + 8, sha, 6);
	net_put32(p + 14, spa);
	memcpy(p + 18, tha, 6);
	net_put32(p + 24, tpa);
	return 28;
}

/* A whole ARP frame from the peer; returns its length. */
static inline size_t fx_arp_frame(uint8_t *p, uint16_t op, const uint8_t *sha,
				  uint32_t spa, uint32_t tpa)
{
	static const uint8_t zero[6];
	size_t n = fx_eth(p, op == 1 ? fx_bcast : fx_mac, sha, 0x0806);

	return n + fx_arp(p + n, op, sha, spa, op == 1 ? zero : fx_mac, tpa);
}

/* A 20-byte IPv4 header at p with a right checksum. */
static inline size_t fx_ip(uint8_t *p, uint32_t src, uint32_t dst,
			   uint8_t proto, size_t payload_len)
{
	p[0] = 0x45;
	p[1] = 0;
	net_put16(p + 2, (uint16_t)(20 + payload_len));
	net_put16(p + 4, 0x1234);
	net_put16(p + 6, 0x4000); /* DF, as Linux sends */
	p[8] = 64;
	p[9] = proto;
	net_put16(p + 10, 0);
	net_put32(p + 12, src);
	net_put32(p + 16, dst);
	net_put16(p + 10, inet_csum(p, 20));
	return 20;
}

/* Recompute the IPv4 header checksum at p after a test changed it. */
static inline void fx_ip_fix_csum(uint8_t *p)
{
	size_t ihl = (size_t)(p[0] & 0xF) * 4;

	net_put16(p + 10, 0);
	net_put16(p + 10, inet_csum(p, ihl));
}

/* ICMP echo (type 8 request or 0 reply) at p; returns its length. */
static inline size_t fx_icmp_echo(uint8_t *p, uint8_t type, uint16_t id,
				  uint16_t seq, const void *data, size_t len)
{
	p[0] = type;
	p[1] = 0;
	net_put16(p + 2, 0);
	net_put16(p + 4, id);
	net_put16(p + 6, seq);
	memcpy(p + 8, data, len);
	net_put16(p + 2, inet_csum(p, 8 + len));
	return 8 + len;
}

/* UDP datagram at p with a right checksum; returns its length. */
static inline size_t fx_udp(uint8_t *p, uint32_t src, uint32_t dst,
			    uint16_t sport, uint16_t dport, const void *data,
			    size_t len)
{
	uint16_t ulen = (uint16_t)(8 + len);

	net_put16(p, sport);
	net_put16(p + 2, dport);
	net_put16(p + 4, ulen);
	net_put16(p + 6, 0);
	memcpy(p + 8, data, len);
	uint16_t c = inet_csum_fold(inet_csum_add(
		inet_csum_pseudo(src, dst, 17, ulen), p, ulen));
	net_put16(p + 6, c ? c : 0xFFFF);
	return ulen;
}

/* A whole frame from the peer to us: Ethernet, IPv4 and an ICMP echo. */
static inline size_t fx_ping_frame(uint8_t *p, uint8_t type, uint16_t seq,
				   const void *data, size_t len)
{
	size_t n = fx_eth(p, fx_mac, fx_peer_mac, 0x0800);
	size_t m = fx_icmp_echo(p + n + 20, type, 0x77, seq, data, len);

	fx_ip(p + n, FX_PEER_IP, FX_IP, 1, m);
	return n + 20 + m;
}

/* A whole frame from the peer to us: Ethernet, IPv4 and UDP. */
static inline size_t fx_udp_frame(uint8_t *p, uint16_t sport, uint16_t dport,
				  const void *data, size_t len)
{
	size_t n = fx_eth(p, fx_mac, fx_peer_mac, 0x0800);
	size_t m = fx_udp(p + n + 20, FX_PEER_IP, FX_IP, sport, dport, data,
			  len);

	fx_ip(p + n, FX_PEER_IP, FX_IP, 17, m);
	return n + 20 + m;
}

/* Tell the stack the peer's MAC (an ARP request from it, for us) and
 * forget the reply it sent. */
static inline void fx_learn_peer(struct fx *f, const uint8_t *mac,
				 uint32_t ip)
{
	uint8_t frame[64];
	size_t n = fx_arp_frame(frame, 1, mac, ip, FX_IP);

	netstack_input(&f->ns, frame, n);
	f->nsent = 0;
}

/* Drops of one layer. */
static inline uint32_t fx_eth_drops(const struct netstack_counters *c)
{
	return c->rx_runt + c->rx_oversize + c->rx_not_for_us +
	       c->rx_from_us + c->rx_unknown_type;
}

static inline uint32_t fx_ip_drops(const struct netstack_counters *c)
{
	return c->ip_truncated + c->ip_bad_version + c->ip_bad_hdr_len +
	       c->ip_bad_len + c->ip_bad_csum + c->ip_fragment +
	       c->ip_bad_src + c->ip_not_for_us + c->ip_unknown_proto;
}

/* Every frame is accounted for exactly once, layer by layer. */
static inline bool fx_accounted(const struct netstack *ns)
{
	const struct netstack_counters *c = &ns->cnt;

	return c->rx_frames == fx_eth_drops(c) + c->arp_in + c->ip_in &&
	       c->ip_in == fx_ip_drops(c) + c->icmp_in + c->udp_in &&
	       c->icmp_in == c->icmp_truncated + c->icmp_bad_csum +
				     c->icmp_ignored + c->icmp_echo_requests +
				     c->icmp_echo_replies &&
	       c->udp_in == c->udp_truncated + c->udp_bad_len +
				    c->udp_bad_csum + c->udp_no_port +
				    c->udp_delivered &&
	       c->arp_in >= c->arp_truncated + c->arp_bad_format +
				    c->arp_bad_op + c->arp_conflict;
}

/* The sum of every drop counter: a malformed frame adds exactly one. */
static inline uint32_t fx_all_drops(const struct netstack *ns)
{
	const struct netstack_counters *c = &ns->cnt;

	return fx_eth_drops(c) + c->arp_truncated + c->arp_bad_format +
	       c->arp_bad_op + c->arp_conflict + fx_ip_drops(c) +
	       c->icmp_truncated + c->icmp_bad_csum + c->icmp_ignored +
	       c->udp_truncated + c->udp_bad_len + c->udp_bad_csum +
	       c->udp_no_port;
}

#endif
