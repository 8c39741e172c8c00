/*
 * lib/ipv4.h: IPv4 (RFC 791) for one interface: checking what arrives
 * and handing it to ICMP or UDP, and wrapping what they send in a header
 * and routing it: on-link destinations directly, the rest through the
 * gateway, broadcasts to every MAC.
 */
#ifndef LGREF_LIB_IPV4_H
#define LGREF_LIB_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netstack.h"

#define IPV4_TTL 64

/* What the transport protocols learn about a packet that arrived. */
struct ipv4_rx {
	uint32_t src, dst;
	bool unicast;   /* dst is our own address, not a broadcast */
};

/* An IPv4 packet (the Ethernet payload, len bytes) arrived. */
void ipv4_input(struct netstack *ns, const uint8_t *pkt, size_t len);

/* Where ICMP and UDP build their message before ipv4_send(): just past
 * the Ethernet and (option-less) IPv4 headers in ns->tx. */
uint8_t *ipv4_tx_payload(struct netstack *ns);

/*
 * Send the len-byte message at ipv4_tx_payload() to dst as protocol
 * `proto`, from our address. Returns 0 (sent, or waiting for ARP),
 * NET_ETOOBIG (len > NET_ETH_MTU - 20), NET_ENOROUTE (dst is 0 or
 * ourselves, or off-subnet with no gateway) or NET_ETX.
 */
int ipv4_send(struct netstack *ns, uint32_t dst, uint8_t proto, size_t len);

/* The limited broadcast, or our subnet's broadcast address? */
bool ipv4_is_broadcast(const struct netstack *ns, uint32_t ip);

/* The neighbour a packet for dst goes to: dst itself when on-link (or a
 * broadcast), else the gateway; 0 when there is none. */
uint32_t ipv4_next_hop(const struct netstack *ns, uint32_t dst);

#endif
