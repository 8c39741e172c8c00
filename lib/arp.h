/*
 * lib/arp.h: ARP for IPv4 over Ethernet (RFC 826), the part of the stack
 * that turns a neighbour's IP address into its MAC. A small cache (see
 * struct arp_entry in lib/netstack.h); a packet for a neighbour still
 * being resolved waits in its entry, one per neighbour, the newest
 * replacing any older one.
 */
#ifndef LGREF_LIB_ARP_H
#define LGREF_LIB_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "netstack.h"

#define ARP_PACKET_LEN 28 /* Ethernet + IPv4 ARP */
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

/* An ARP packet (the Ethernet payload, len bytes) arrived. Learns the
 * sender if it asks us or is already known, answers requests for our
 * address, and sends a packet that was waiting for the sender. */
void arp_input(struct netstack *ns, const uint8_t *pkt, size_t len);

/*
 * Send the IPv4 packet already at ns->tx + NET_ETH_HLEN (len bytes) to
 * the on-link neighbour next_hop: at once if its MAC is known and fresh,
 * else queue it in the neighbour's entry and broadcast a request (at
 * most one per NET_ARP_RETRY_MS; a later send asks again). Returns 0
 * (sent or queued) or NET_ETX.
 */
int arp_output(struct netstack *ns, uint32_t next_hop, size_t len);

/* The cache entry for ip (pending or resolved), or NULL. */
const struct arp_entry *arp_find(const struct netstack *ns, uint32_t ip);

#endif
