/*
 * tests/fuzz/fuzz_netstack.c: the guest's IPv4 stack (lib/netstack.c and
 * the protocols under it) on arbitrary received frames. Whatever arrives,
 * the stack must not read outside the frame, must account for every
 * frame exactly once in its counters, and may only send well-formed
 * frames: 60..1514 bytes, from our MAC, ARP of 28 bytes, IPv4 with a
 * right header checksum and a total length inside the frame.
 *
 * (The host's frame checks have their own target, fuzz_net_frame.c.)
 *
 * Input: one flags byte (bit 0 NOCSUM, bit 1 the wire refuses frames,
 * bit 2 a UDP packet to 10.0.0.2 waits for ARP first, bit 3 no UDP echo
 * on port 7), then frames, each a 2-byte big-endian length (mod 2048)
 * and that many bytes (cut short by the end of the input). Each frame is
 * copied to a buffer of exactly its length, so ASan sees any overread.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arp.h"
#include "icmp.h"
#include "inet_csum.h"
#include "netbytes.h"
#include "netstack.h"
#include "udp.h"
#include "fuzz_expect.h"

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0};
static struct netstack ns;
static uint64_t now_ms;
static int wire_ok;

/* Every frame the stack sends is checked here. */
static bool fuzz_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	EXPECT(len >= NET_ETH_FRAME_MIN && len <= NET_ETH_FRAME_MAX);
	EXPECT(memcmp(f + 6, our_mac, 6) == 0);
	uint16_t type = net_get16(f + 12);
	if (type == NET_ETHERTYPE_ARP) {
		EXPECT(net_get16(f + 14 + 6) == ARP_OP_REQUEST ||
		       net_get16(f + 14 + 6) == ARP_OP_REPLY);
		EXPECT(memcmp(f + 14 + 8, our_mac, 6) == 0);
	} else {
		EXPECT(type == NET_ETHERTYPE_IPV4);
		const uint8_t *ip = f + NET_ETH_HLEN;
		EXPECT(ip[0] == 0x45);
		EXPECT(inet_csum(ip, NET_IP_HLEN) == 0);
		EXPECT(net_get16(ip + 2) <= len - NET_ETH_HLEN);
		EXPECT(net_get32(ip + 12) == ns.cfg.ip);
	}
	return wire_ok;
}

static uint64_t fuzz_now(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static const struct netstack_ops fuzz_ops = {fuzz_send, fuzz_now};

static void fuzz_echo(struct netstack *s, void *ctx, const struct udp_rx *d)
{
	(void)ctx;
	EXPECT(d->len <= NET_UDP_MAX_DATA);
	udp_send(s, d->src_ip, 7, d->src_port, d->data, d->len);
}

static void fuzz_ping(struct netstack *s, void *ctx,
		      const struct icmp_echo_rx *e)
{
	(void)s;
	(void)ctx;
	volatile uint8_t sum = 0;
	for (size_t i = 0; i < e->len; i++) /* touch all of it */
		sum += e->data[i];
}

static void check_accounting(void)
{
	const struct netstack_counters *c = &ns.cnt;
	uint32_t eth = c->rx_runt + c->rx_oversize + c->rx_not_for_us +
		       c->rx_from_us + c->rx_unknown_type;
	uint32_t ip = c->ip_truncated + c->ip_bad_version + c->ip_bad_hdr_len +
		      c->ip_bad_len + c->ip_bad_csum + c->ip_fragment +
		      c->ip_bad_src + c->ip_not_for_us + c->ip_unknown_proto;

	EXPECT(c->rx_frames == eth + c->arp_in + c->ip_in);
	EXPECT(c->ip_in == ip + c->icmp_in + c->udp_in);
	EXPECT(c->icmp_in == c->icmp_truncated + c->icmp_bad_csum +
				     c->icmp_ignored + c->icmp_echo_requests +
				     c->icmp_echo_replies);
	EXPECT(c->udp_in == c->udp_truncated + c->udp_bad_len +
				    c->udp_bad_csum + c->udp_no_port +
				    c->udp_delivered);
	EXPECT(c->arp_in >= c->arp_truncated + c->arp_bad_format +
				    c->arp_bad_op + c->arp_conflict);
	for (unsigned i = 0; i < NET_ARP_CACHE_SIZE; i++)
		EXPECT(ns.arp[i].queued_len <= NET_ETH_MTU);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t flags = data[0];
	struct netstack_config cfg = {
		.ip = 0x0A000001, .netmask = 0xFFFFFF00, .gateway = 0x0A0000FE,
		.skip_rx_csum = flags & 1,
	};
	memcpy(cfg.mac, our_mac, 6);
	netstack_init(&ns, &cfg, &fuzz_ops, NULL);
	now_ms = 5000;
	wire_ok = !(flags & 2);
	icmp_set_echo_handler(&ns, fuzz_ping, NULL);
	if (!(flags & 8))
		EXPECT(udp_bind(&ns, 7, fuzz_echo, NULL) == 0);
	if (flags & 4)
		udp_send(&ns, 0x0A000002, 1234, 7, "wait", 4);

	size_t off = 1;
	while (off + 2 <= size) {
		size_t len = net_get16(data + off) % 2048;
		off += 2;
		if (len > size - off)
			len = size - off;
		uint8_t *frame = malloc(len ? len : 1);
		if (!frame)
			return 0;
		memcpy(frame, data + off, len);
		netstack_input(&ns, frame, len);
		free(frame);
		off += len;
		now_ms += 700;
		check_accounting();
	}
	return 0;
}
