/*
 * lib/ipv4.c: IPv4 (lib/ipv4.h). Input is a row of checks, each with its
 * own counter, in the order the header is read; output fills in a
 * 20-byte header and leaves the choice of MAC to ARP.
 */
#include <string.h>

#include "arp.h"
#include "icmp.h"
#include "inet_csum.h"
#include "ipv4.h"
#include "netbytes.h"
#include "udp.h"
#include "hot.h"

#define IPV4_FLAG_MF 0x2000
#define IPV4_FRAG_OFFSET 0x1FFF

GUEST_HOT_TEXT
bool ipv4_is_broadcast(const struct netstack *ns, uint32_t ip)
{
	uint32_t host_bits = ~ns->cfg.netmask;

	if (ip == NET_IP_BROADCAST)
		return true;
	/* /31 and /32 have no broadcast address of their own. */
	return host_bits >= 3 && ip == (ns->cfg.ip | host_bits);
}

GUEST_HOT_TEXT
static bool ipv4_is_multicast(uint32_t ip)
{
	return (ip >> 28) == 0xE; /* 224.0.0.0/4 */
}

GUEST_HOT_TEXT
uint32_t ipv4_next_hop(const struct netstack *ns, uint32_t dst)
{
	if (dst == 0 || dst == ns->cfg.ip)
		return 0;
	if (ipv4_is_broadcast(ns, dst) ||
	    ((dst ^ ns->cfg.ip) & ns->cfg.netmask) == 0)
		return dst;
	return ns->cfg.gateway;
}

/*D:260 An IPv4 packet, checked in the order its header is read: long
 * enough for a header, version 4, a header length (IHL, in 32-bit words)
 * that fits, a total length that fits in what arrived (Ethernet pads
 * short frames, so there may be more, never less), a header checksum
 * that adds up. We do not reassemble fragments; nobody on a LAN with a
 * 1500-byte MTU should need us to. The source must be a single host we
 * could answer, and the destination us or a broadcast. :*/
GUEST_HOT_TEXT
void ipv4_input(struct netstack *ns, const uint8_t *pkt, size_t len)
{
	ns->cnt.ip_in++;
	if (len < NET_IP_HLEN) {
		ns->cnt.ip_truncated++;
		return;
	}
	if (pkt[0] >> 4 != 4) {
		ns->cnt.ip_bad_version++;
		return;
	}
	size_t ihl = (size_t)(pkt[0] & 0xF) * 4;
	if (ihl < NET_IP_HLEN || ihl > len) {
		ns->cnt.ip_bad_hdr_len++;
		return;
	}
	size_t total = net_get16(pkt + 2);
	if (total < ihl || total > len) {
		ns->cnt.ip_bad_len++;
		return;
	}
	if (inet_csum(pkt, ihl) != 0) {
		ns->cnt.ip_bad_csum++;
		return;
	}
	if (net_get16(pkt + 6) & (IPV4_FLAG_MF | IPV4_FRAG_OFFSET)) {
		ns->cnt.ip_fragment++;
		return;
	}
	struct ipv4_rx ip = {net_get32(pkt + 12), net_get32(pkt + 16), false};
	if (ip.src == 0 || ip.src == ns->cfg.ip ||
	    ipv4_is_broadcast(ns, ip.src) || ipv4_is_multicast(ip.src)) {
		ns->cnt.ip_bad_src++;
		return;
	}
	ip.unicast = ns->cfg.ip != 0 && ip.dst == ns->cfg.ip;
	if (!ip.unicast && !ipv4_is_broadcast(ns, ip.dst)) {
		ns->cnt.ip_not_for_us++;
		return;
	}
	switch (pkt[9]) {
	case NET_IP_PROTO_ICMP:
		icmp_input(ns, &ip, pkt + ihl, total - ihl);
		break;
	case NET_IP_PROTO_UDP:
		udp_input(ns, &ip, pkt + ihl, total - ihl);
		break;
	default:
		ns->cnt.ip_unknown_proto++;
	}
}
/*:*/

GUEST_HOT_TEXT
uint8_t *ipv4_tx_payload(struct netstack *ns)
{
	return ns->tx + NET_ETH_HLEN + NET_IP_HLEN;
}

GUEST_HOT_TEXT
int ipv4_send(struct netstack *ns, uint32_t dst, uint8_t proto, size_t len)
{
	static const uint8_t all[NET_ETH_ALEN] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	};

	if (len > NET_ETH_MTU - NET_IP_HLEN) {
		ns->cnt.tx_too_big++;
		return NET_ETOOBIG;
	}
	uint32_t hop = ipv4_next_hop(ns, dst);
	if (hop == 0) {
		ns->cnt.tx_no_route++;
		return NET_ENOROUTE;
	}
	uint8_t *h = ns->tx + NET_ETH_HLEN;
	size_t total = NET_IP_HLEN + len;
	h[0] = 0x45;  /* version 4, 5 words of header */
	h[1] = 0;     /* TOS */
	net_put16(h + 2, (uint16_t)total);
	net_put16(h + 4, ns->ip_id++);
	net_put16(h + 6, 0); /* flags and fragment offset */
	h[8] = IPV4_TTL;
	h[9] = proto;
	net_put16(h + 10, 0);
	net_put32(h + 12, ns->cfg.ip);
	net_put32(h + 16, dst);
	net_put16(h + 10, inet_csum(h, NET_IP_HLEN));
	if (ipv4_is_broadcast(ns, dst))
		return netstack_eth_send(ns, all, NET_ETHERTYPE_IPV4, total);
	return arp_output(ns, hop, total);
}
