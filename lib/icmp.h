/*
 * lib/icmp.h: the ICMP (RFC 792) we speak: echo. Requests to our address
 * are answered; replies go to whoever set an echo handler (ping, in
 * apps/netapp.c); every other type is counted and ignored.
 */
#ifndef LGREF_LIB_ICMP_H
#define LGREF_LIB_ICMP_H

#include <stddef.h>
#include <stdint.h>

#include "ipv4.h"
#include "netstack.h"

#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

/* An ICMP message (the IPv4 payload, len bytes) arrived. */
void icmp_input(struct netstack *ns, const struct ipv4_rx *ip,
		const uint8_t *msg, size_t len);

/*
 * Send an echo request to dst with this id and sequence number and len
 * bytes of data (at most NET_ICMP_MAX_DATA). Returns what ipv4_send()
 * does, or NET_ETOOBIG.
 */
int icmp_send_echo(struct netstack *ns, uint32_t dst, uint16_t id,
		   uint16_t seq, const void *data, size_t len);

/* Call handler(ns, ctx, reply) for every echo reply (NULL: no one). */
void icmp_set_echo_handler(struct netstack *ns, icmp_echo_handler_t handler,
			   void *ctx);

#endif
