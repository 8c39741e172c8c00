/*
 * lib/netstack.c: the Ethernet layer of the stack (lib/netstack.h): the
 * frame entry point, which checks the frame and hands its payload to ARP
 * or IPv4, the one function every outgoing frame goes through, and the
 * counter list. The protocols are in lib/arp.c, lib/ipv4.c, lib/icmp.c
 * and lib/udp.c.
 */
#include <string.h>

#include "arp.h"
#include "ipv4.h"
#include "netbytes.h"
#include "netstack.h"
#include "hot.h"

static const uint8_t netstack_broadcast[NET_ETH_ALEN] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

void netstack_init(struct netstack *ns, const struct netstack_config *cfg,
		   const struct netstack_ops *ops, void *ctx)
{
	memset(ns, 0, sizeof(*ns));
	ns->cfg = *cfg;
	ns->ops = ops;
	ns->ctx = ctx;
	ns->ip_id = 1;
}

/*D:240 The stack's front door. The driver has copied a frame out of its
 * receive buffer; from here on it is just bytes, and nothing about them
 * is trusted. The Ethernet header says who it is for and what it holds:
 * we take frames for our MAC or for everyone (a promiscuous interface
 * also sees its neighbours' mail), skip our own echoes, and pass ARP and
 * IPv4 up with the rest of the frame as their whole world. Anything else
 * is dropped, and counted, because a counter is the only way anyone will
 * ever learn why a ping went unanswered. :*/
GUEST_HOT_TEXT
void netstack_input(struct netstack *ns, const uint8_t *frame, size_t len)
{
	ns->cnt.rx_frames++;
	if (len < NET_ETH_HLEN) {
		ns->cnt.rx_runt++;
		return;
	}
	if (len > NET_ETH_FRAME_MAX) {
		ns->cnt.rx_oversize++;
		return;
	}
	const uint8_t *dst = frame, *src = frame + NET_ETH_ALEN;
	if (memcmp(dst, ns->cfg.mac, NET_ETH_ALEN) != 0 &&
	    memcmp(dst, netstack_broadcast, NET_ETH_ALEN) != 0) {
		ns->cnt.rx_not_for_us++;
		return;
	}
	if (memcmp(src, ns->cfg.mac, NET_ETH_ALEN) == 0) {
		ns->cnt.rx_from_us++;
		return;
	}
	const uint8_t *payload = frame + NET_ETH_HLEN;
	size_t plen = len - NET_ETH_HLEN;
	switch (net_get16(frame + 2 * NET_ETH_ALEN)) {
	case NET_ETHERTYPE_ARP:
		arp_input(ns, payload, plen);
		break;
	case NET_ETHERTYPE_IPV4:
		ipv4_input(ns, payload, plen);
		break;
	default:
		ns->cnt.rx_unknown_type++;
	}
}
/*:*/

GUEST_HOT_TEXT
int netstack_eth_send(struct netstack *ns, const uint8_t dst[NET_ETH_ALEN],
		      uint16_t ethertype, size_t len)
{
	size_t total = NET_ETH_HLEN + len;

	memcpy(ns->tx, dst, NET_ETH_ALEN);
	memcpy(ns->tx + NET_ETH_ALEN, ns->cfg.mac, NET_ETH_ALEN);
	net_put16(ns->tx + 2 * NET_ETH_ALEN, ethertype);
	if (total < NET_ETH_FRAME_MIN) {
		memset(ns->tx + total, 0, NET_ETH_FRAME_MIN - total);
		total = NET_ETH_FRAME_MIN;
	}
	if (!ns->ops->send_frame(ns->ctx, ns->tx, total)) {
		ns->cnt.tx_failed++;
		return NET_ETX;
	}
	ns->cnt.tx_frames++;
	return 0;
}

static const struct {
	const char *name, *what;
	size_t offset;
} netstack_counter_list[] = {
#define NETSTACK_COUNTER_ROW(n, w) \
	{#n, w, offsetof(struct netstack_counters, n)},
	NETSTACK_COUNTERS(NETSTACK_COUNTER_ROW)
#undef NETSTACK_COUNTER_ROW
};

#define NETSTACK_NCOUNTERS \
	(sizeof(netstack_counter_list) / sizeof(netstack_counter_list[0]))

unsigned netstack_counter_count(void)
{
	return NETSTACK_NCOUNTERS;
}

const char *netstack_counter_name(unsigned i)
{
	return i < NETSTACK_NCOUNTERS ? netstack_counter_list[i].name : NULL;
}

const char *netstack_counter_what(unsigned i)
{
	return i < NETSTACK_NCOUNTERS ? netstack_counter_list[i].what : NULL;
}

uint32_t netstack_counter_value(const struct netstack *ns, unsigned i)
{
	uint32_t v;

	if (i >= NETSTACK_NCOUNTERS)
		return 0;
	memcpy(&v, (const char *)&ns->cnt + netstack_counter_list[i].offset,
	       sizeof(v));
	return v;
}
