/*
 * lib/icmp.c: ICMP echo (lib/icmp.h). An echo message is type, code,
 * checksum, identifier, sequence number, then data; a reply is the
 * request with type 0 and a new checksum.
 */
#include <string.h>

#include "icmp.h"
#include "inet_csum.h"
#include "netbytes.h"

/*D:270 Ping's other half. An echo request addressed to us comes back
 * as a reply with the same identifier, sequence number and data: we copy
 * the message, flip the type, checksum it again and send it to whoever
 * asked. Echo requests to a broadcast address are ignored, as most
 * hosts do, lest one packet summon the whole LAN. Replies to our own
 * requests go to the echo handler, which is how `ping` hears back. :*/
void icmp_input(struct netstack *ns, const struct ipv4_rx *ip,
		const uint8_t *msg, size_t len)
{
	ns->cnt.icmp_in++;
	if (len < NET_ICMP_HLEN) {
		ns->cnt.icmp_truncated++;
		return;
	}
	if (!ns->cfg.skip_rx_csum && inet_csum(msg, len) != 0) {
		ns->cnt.icmp_bad_csum++;
		return;
	}
	uint8_t type = msg[0], code = msg[1];
	if (type == ICMP_ECHO_REQUEST && code == 0 && ip->unicast) {
		ns->cnt.icmp_echo_requests++;
		uint8_t *out = ipv4_tx_payload(ns);
		memmove(out, msg, len);
		out[0] = ICMP_ECHO_REPLY;
		net_put16(out + 2, 0);
		net_put16(out + 2, inet_csum(out, len));
		ipv4_send(ns, ip->src, NET_IP_PROTO_ICMP, len);
	} else if (type == ICMP_ECHO_REPLY && code == 0) {
		ns->cnt.icmp_echo_replies++;
		struct icmp_echo_rx e = {
			ip->src, net_get16(msg + 4), net_get16(msg + 6),
			msg + NET_ICMP_HLEN, len - NET_ICMP_HLEN,
		};
		if (ns->echo_handler)
			ns->echo_handler(ns, ns->echo_ctx, &e);
	} else {
		ns->cnt.icmp_ignored++;
	}
}
/*:*/

int icmp_send_echo(struct netstack *ns, uint32_t dst, uint16_t id,
		   uint16_t seq, const void *data, size_t len)
{
	if (len > NET_ICMP_MAX_DATA) {
		ns->cnt.tx_too_big++;
		return NET_ETOOBIG;
	}
	uint8_t *m = ipv4_tx_payload(ns);
	m[0] = ICMP_ECHO_REQUEST;
	m[1] = 0;
	net_put16(m + 2, 0);
	net_put16(m + 4, id);
	net_put16(m + 6, seq);
	if (len)
		memcpy(m + NET_ICMP_HLEN, data, len);
	net_put16(m + 2, inet_csum(m, NET_ICMP_HLEN + len));
	return ipv4_send(ns, dst, NET_IP_PROTO_ICMP, NET_ICMP_HLEN + len);
}

void icmp_set_echo_handler(struct netstack *ns, icmp_echo_handler_t handler,
			   void *ctx)
{
	ns->echo_handler = handler;
	ns->echo_ctx = ctx;
}
