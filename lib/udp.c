/*
 * lib/udp.c: UDP (lib/udp.h). A checksum of 0 in a datagram means the
 * sender did not compute one (IPv4 allows that); we compute one except
 * where the owner said not to (skip_tx_udp_csum: the lguest NOCSUM LAN,
 * where frames are memory-to-memory copies), and send 0xFFFF for a sum
 * that comes out as 0.
 */
#include <string.h>

#include "inet_csum.h"
#include "netbytes.h"
#include "udp.h"
#include "hot.h"

/*D:280 UDP: eight bytes of header (ports, length, checksum) and the
 * data. The length must fit inside the IPv4 packet; the checksum, when
 * the sender gave one, covers a "pseudo-header" of the two addresses as
 * well, so a datagram delivered to the wrong host fails it. On the
 * lguest LAN (NOCSUM) peers may leave it unfinished, since memory-to-
 * memory copies do not flip bits, and we do not check it there. :*/
GUEST_HOT_TEXT
void udp_input(struct netstack *ns, const struct ipv4_rx *ip,
	       const uint8_t *seg, size_t len)
{
	ns->cnt.udp_in++;
	if (len < NET_UDP_HLEN) {
		ns->cnt.udp_truncated++;
		return;
	}
	size_t ulen = net_get16(seg + 4);
	if (ulen < NET_UDP_HLEN || ulen > len) {
		ns->cnt.udp_bad_len++;
		return;
	}
	if (!ns->cfg.skip_rx_csum && net_get16(seg + 6) != 0) {
		uint32_t sum = inet_csum_pseudo(ip->src, ip->dst,
						NET_IP_PROTO_UDP,
						(uint16_t)ulen);
		if (inet_csum_fold(inet_csum_add(sum, seg, ulen)) != 0) {
			ns->cnt.udp_bad_csum++;
			return;
		}
	}
	struct udp_rx d = {
		ip->src, ip->dst, net_get16(seg), net_get16(seg + 2),
		seg + NET_UDP_HLEN, ulen - NET_UDP_HLEN,
	};
	for (unsigned i = 0; i < NET_UDP_PORTS; i++) {
		if (ns->udp[i].port != 0 && ns->udp[i].port == d.dst_port) {
			ns->cnt.udp_delivered++;
			ns->udp[i].handler(ns, ns->udp[i].ctx, &d);
			return;
		}
	}
	ns->cnt.udp_no_port++;
}
/*:*/

int udp_bind(struct netstack *ns, uint16_t port, udp_handler_t handler,
	     void *ctx)
{
	int free_slot = -1;

	if (port == 0 || !handler)
		return NET_EINVAL;
	for (unsigned i = 0; i < NET_UDP_PORTS; i++) {
		if (ns->udp[i].port == port)
			return NET_EBUSY;
		if (ns->udp[i].port == 0 && free_slot < 0)
			free_slot = (int)i;
	}
	if (free_slot < 0)
		return NET_ENOSPC;
	ns->udp[free_slot].port = port;
	ns->udp[free_slot].handler = handler;
	ns->udp[free_slot].ctx = ctx;
	return 0;
}

int udp_unbind(struct netstack *ns, uint16_t port)
{
	for (unsigned i = 0; i < NET_UDP_PORTS; i++) {
		if (port != 0 && ns->udp[i].port == port) {
			ns->udp[i].port = 0;
			ns->udp[i].handler = NULL;
			ns->udp[i].ctx = NULL;
			return 0;
		}
	}
	return NET_EINVAL;
}

GUEST_HOT_TEXT
int udp_send(struct netstack *ns, uint32_t dst, uint16_t src_port,
	     uint16_t dst_port, const void *data, size_t len)
{
	if (len > NET_UDP_MAX_DATA) {
		ns->cnt.tx_too_big++;
		return NET_ETOOBIG;
	}
	uint8_t *u = ipv4_tx_payload(ns);
	uint16_t ulen = (uint16_t)(NET_UDP_HLEN + len);
	if (len)
		memmove(u + NET_UDP_HLEN, data, len);
	net_put16(u, src_port);
	net_put16(u + 2, dst_port);
	net_put16(u + 4, ulen);
	net_put16(u + 6, 0);
	if (!ns->cfg.skip_tx_udp_csum) {
		uint32_t sum = inet_csum_pseudo(ns->cfg.ip, dst,
						NET_IP_PROTO_UDP, ulen);
		uint16_t csum = inet_csum_fold(inet_csum_add(sum, u, ulen));
		net_put16(u + 6, csum ? csum : 0xFFFF);
	}
	return ipv4_send(ns, dst, NET_IP_PROTO_UDP, ulen);
}
