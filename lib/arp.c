/*
 * lib/arp.c: ARP (lib/arp.h). The cache is a handful of entries searched
 * in order; when it is full the entry touched longest ago goes.
 */
#include <string.h>

#include "arp.h"
#include "netbytes.h"
#include "hot.h"

#define ARP_HTYPE_ETHERNET 1

/* Offsets in an ARP packet. */
#define ARP_OFF_OP 6
#define ARP_OFF_SHA 8
#define ARP_OFF_SPA 14
#define ARP_OFF_THA 18
#define ARP_OFF_TPA 24

GUEST_HOT_TEXT
static struct arp_entry *arp_lookup(struct netstack *ns, uint32_t ip)
{
	for (unsigned i = 0; i < NET_ARP_CACHE_SIZE; i++)
		if (ns->arp[i].state != ARP_FREE && ns->arp[i].ip == ip)
			return &ns->arp[i];
	return NULL;
}

const struct arp_entry *arp_find(const struct netstack *ns, uint32_t ip)
{
	return arp_lookup((struct netstack *)ns, ip);
}

/* A fresh pending entry for ip: a free one, or the stalest. */
static struct arp_entry *arp_alloc(struct netstack *ns, uint32_t ip)
{
	struct arp_entry *e = NULL;

	for (unsigned i = 0; i < NET_ARP_CACHE_SIZE && !e; i++)
		if (ns->arp[i].state == ARP_FREE)
			e = &ns->arp[i];
	if (!e) {
		e = &ns->arp[0];
		for (unsigned i = 1; i < NET_ARP_CACHE_SIZE; i++)
			if (ns->arp[i].stamp_ms < e->stamp_ms)
				e = &ns->arp[i];
		ns->cnt.arp_evictions++;
	}
	memset(e, 0, sizeof(*e));
	e->ip = ip;
	e->state = ARP_PENDING;
	return e;
}

/* Build an ARP packet in ns->tx and send it. */
static void arp_send(struct netstack *ns, uint16_t op,
		     const uint8_t eth_dst[NET_ETH_ALEN],
		     const uint8_t tha[NET_ETH_ALEN], uint32_t tpa)
{
	uint8_t *p = ns->tx + NET_ETH_HLEN;

	net_put16(p, ARP_HTYPE_ETHERNET);
	net_put16(p + 2, NET_ETHERTYPE_IPV4);
	p[4] = NET_ETH_ALEN;
	p[5] = 4;
	net_put16(p + ARP_OFF_OP, op);
	memcpy(p + ARP_OFF_SHA, ns->cfg.mac, NET_ETH_ALEN);
	net_put32(p + ARP_OFF_SPA, ns->cfg.ip);
	memcpy(p + ARP_OFF_THA, tha, NET_ETH_ALEN);
	net_put32(p + ARP_OFF_TPA, tpa);
	netstack_eth_send(ns, eth_dst, NET_ETHERTYPE_ARP, ARP_PACKET_LEN);
}

static void arp_request(struct netstack *ns, struct arp_entry *e,
			uint64_t now)
{
	static const uint8_t any[NET_ETH_ALEN] = {0};
	static const uint8_t all[NET_ETH_ALEN] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	};

	e->stamp_ms = now;
	if (e->requests < 0xFF)
		e->requests++;
	ns->cnt.arp_requests_sent++;
	arp_send(ns, ARP_OP_REQUEST, all, any, e->ip);
}

/* We know e's MAC now: note it, and send what was waiting for it. */
static void arp_learn(struct netstack *ns, struct arp_entry *e,
		      const uint8_t *mac)
{
	memcpy(e->mac, mac, NET_ETH_ALEN);
	e->state = ARP_RESOLVED;
	e->requests = 0;
	e->stamp_ms = ns->ops->now_ms(ns->ctx);
	if (e->queued_len) {
		size_t len = e->queued_len;
		e->queued_len = 0;
		memcpy(ns->tx + NET_ETH_HLEN, ns->arp_queued[e - ns->arp], len);
		netstack_eth_send(ns, e->mac, NET_ETHERTYPE_IPV4, len);
	}
}

/*D:250 ARP, the question every IPv4 host on an Ethernet asks: "who has
 * 10.0.0.2? tell 10.0.0.1". On the lguest LAN the answer could be read
 * straight from the device page (a MAC says which guest), but peers like
 * Linux or the outside world through the tun device expect the real
 * thing, and it costs little. We follow RFC 826: refresh anyone we know,
 * learn anyone who asks for us, and answer them. A sender claiming our
 * own address is a conflict, counted but not believed. :*/
void arp_input(struct netstack *ns, const uint8_t *pkt, size_t len)
{
	ns->cnt.arp_in++;
	if (len < ARP_PACKET_LEN) {
		ns->cnt.arp_truncated++;
		return;
	}
	if (net_get16(pkt) != ARP_HTYPE_ETHERNET ||
	    net_get16(pkt + 2) != NET_ETHERTYPE_IPV4 ||
	    pkt[4] != NET_ETH_ALEN || pkt[5] != 4) {
		ns->cnt.arp_bad_format++;
		return;
	}
	uint16_t op = net_get16(pkt + ARP_OFF_OP);
	if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY) {
		ns->cnt.arp_bad_op++;
		return;
	}
	const uint8_t *sha = pkt + ARP_OFF_SHA;
	uint32_t spa = net_get32(pkt + ARP_OFF_SPA);
	uint32_t tpa = net_get32(pkt + ARP_OFF_TPA);
	if (ns->cfg.ip != 0 && spa == ns->cfg.ip) {
		ns->cnt.arp_conflict++;
		return;
	}
	/* Only a plausible sender is remembered: a unicast MAC, an address
	 * that is neither 0 (a probe) nor a broadcast. */
	bool learnable = !(sha[0] & 1) && spa != 0 && spa != NET_IP_BROADCAST;
	struct arp_entry *e = learnable ? arp_lookup(ns, spa) : NULL;
	if (e)
		arp_learn(ns, e, sha);
	if (ns->cfg.ip == 0 || tpa != ns->cfg.ip)
		return; /* not about us: nothing more to do */
	if (!learnable)
		return; /* no one we could answer */
	if (!e)
		arp_learn(ns, arp_alloc(ns, spa), sha);
	if (op == ARP_OP_REQUEST) {
		ns->cnt.arp_replies_sent++;
		arp_send(ns, ARP_OP_REPLY, sha, sha, spa);
	}
}
/*:*/

GUEST_HOT_TEXT
int arp_output(struct netstack *ns, uint32_t next_hop, size_t len)
{
	uint64_t now = ns->ops->now_ms(ns->ctx);
	struct arp_entry *e = arp_lookup(ns, next_hop);

	if (e && e->state == ARP_RESOLVED) {
		if (now - e->stamp_ms < NET_ARP_TTL_MS)
			return netstack_eth_send(ns, e->mac, NET_ETHERTYPE_IPV4,
						 len);
		e->state = ARP_PENDING; /* stale: ask again */
		e->requests = 0;
	}
	if (!e)
		e = arp_alloc(ns, next_hop);
	if (e->queued_len)
		ns->cnt.arp_queue_replaced++;
	memcpy(ns->arp_queued[e - ns->arp], ns->tx + NET_ETH_HLEN, len);
	e->queued_len = (uint16_t)len;
	if (e->requests == 0 || now - e->stamp_ms >= NET_ARP_RETRY_MS)
		arp_request(ns, e, now);
	return 0;
}
