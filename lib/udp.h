/*
 * lib/udp.h: UDP (RFC 768): a few bound ports, each with a handler that
 * gets every datagram addressed to it, and sending from any port.
 */
#ifndef LGREF_LIB_UDP_H
#define LGREF_LIB_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "ipv4.h"
#include "netstack.h"

/* A UDP datagram (the IPv4 payload, len bytes) arrived. */
void udp_input(struct netstack *ns, const struct ipv4_rx *ip,
	       const uint8_t *seg, size_t len);

/*
 * Deliver datagrams for `port` (not 0) to handler(ns, ctx, d), called
 * inside netstack_input(). Returns 0, NET_EBUSY (already bound),
 * NET_ENOSPC (NET_UDP_PORTS are bound) or NET_EINVAL.
 */
int udp_bind(struct netstack *ns, uint16_t port, udp_handler_t handler,
	     void *ctx);

/* Stop delivering datagrams for `port`: they count as udp_no_port again.
 * Returns 0, or NET_EINVAL if the port was not bound. */
int udp_unbind(struct netstack *ns, uint16_t port);

/*
 * Send len bytes (at most NET_UDP_MAX_DATA) from our src_port to
 * dst:dst_port, with a checksum (0, "none", if cfg.skip_tx_udp_csum).
 * data may point into the datagram being
 * handled. Returns what ipv4_send() does, or NET_ETOOBIG.
 */
int udp_send(struct netstack *ns, uint32_t dst, uint16_t src_port,
	     uint16_t dst_port, const void *data, size_t len);

#endif
