/*
 * apps/udpblast.c: the `udpblast` command (apps/udpblast.h). Each
 * datagram is one udp_send(), so one SEND_DMA per receiving peer; a send
 * a peer took is in its receive buffer when the hypercall returns. On a
 * guest-to-guest LAN the receiver only empties its eight buffers when the
 * host runs it, and the host keeps running us until we stop, so after a
 * send nobody took we nap (drivers/timer.h) rather than spin.
 */
#include <stdio.h>
#include <string.h>

#include "../drivers/net.h"
#include "../drivers/timer.h"
#include "../kernel/clock.h"
#include "../kernel/irq.h"
#include "../kernel/kprintf.h"
#include "../lib/arp.h"
#include "../lib/ipv4.h"
#include "../lib/netaddr.h"
#include "../lib/stats.h"
#include "../lib/udp.h"
#include "netapp.h"
#include "udpblast.h"
#include "udpdiscard.h"

#define UDPBLAST_ARP_WAIT_NS 1000000000ull

static uint8_t udpblast_data[UDPBLAST_MAX_LEN];

/*D:310 Flow control, lguest style. A guest-to-guest send lands in one
 * of the receiver's eight buffers, or nowhere: there is no queue in
 * between, and used_len is all the sender hears. A host need not run
 * the receiver while we keep the CPU busy sending (the 2.6.23 host did
 * not, within a time slice; lgref's runs a halted receiver as soon as a
 * send wakes it, host/core/run.c H:145, so there the ring is rarely
 * full). So after a send nobody took we halt, with the timer set to
 * wake us shortly; the host then runs the receiver, which empties its
 * buffers and halts in turn, and by the time we wake there is room
 * again. :*/
static int udpblast_send(struct netstack *ns, uint32_t dst, uint16_t port,
			 size_t len)
{
	uint32_t flags = irq_save();
	int rc = udp_send(ns, dst, port, UDPDISCARD_PORT, udpblast_data, len);
	if (rc == NET_ETX) {
		timer_nap(UDPBLAST_NAP_NS);
		irq_wait();
	}
	irq_restore(flags);
	return rc;
}
/*:*/

/* Is the neighbour a datagram to dst goes to resolved? If not, send the
 * first datagram (it waits in the ARP entry) and wait for the answer.
 * Returns the first send's result: 1 if it was not needed, else 0,
 * NET_ETX, NET_ENOROUTE or NET_ETOOBIG, or 2 for no ARP answer. */
static int udpblast_resolve(struct netstack *ns, uint32_t dst, uint16_t port,
			    size_t len)
{
	uint32_t flags = irq_save();
	uint32_t hop = ipv4_next_hop(ns, dst);
	const struct arp_entry *e = arp_find(ns, hop);
	bool known = hop && (ipv4_is_broadcast(ns, hop) ||
			     (e && e->state == ARP_RESOLVED));
	irq_restore(flags);
	if (known)
		return 1;
	int rc = udpblast_send(ns, dst, port, len);
	if (rc != 0)
		return rc;
	flags = irq_save();
	uint64_t start = clock_now_ns();
	while (!((e = arp_find(ns, hop)) && e->state == ARP_RESOLVED) &&
	       clock_now_ns() - start < UDPBLAST_ARP_WAIT_NS)
		irq_wait();
	known = e && e->state == ARP_RESOLVED;
	irq_restore(flags);
	return known ? 0 : 2;
}

void udpblast_command(const char *args)
{
	unsigned count = UDPBLAST_DEFAULT_COUNT, len = UDPBLAST_DEFAULT_LEN;
	uint32_t dst;
	char ip[NETADDR_IP_STRLEN];

	fflush(stdout);
	struct net_if *nif = netapp_count_len_args("udpblast", args, &dst,
						   &count, &len,
						   UDPBLAST_MAX_COUNT,
						   UDPBLAST_MAX_LEN, "len");
	if (!nif)
		return;
	struct netstack *ns = net_stack(nif);
	uint16_t port = netapp_ephemeral_port();
	for (unsigned i = 0; i < len; i++)
		udpblast_data[i] = (uint8_t)(i * 7 + 1);
	netaddr_ip_str(dst, ip);
	kprintf("UDPBLAST %s port %u via %s: %u datagrams of %u bytes\n", ip,
		UDPDISCARD_PORT, net_name(nif), count, len);

	/* The datagram that went with the ARP request is not timed. */
	unsigned sent = 0, failed = 0, first = 0, timed_sent = 0;
	int rc = udpblast_resolve(ns, dst, port, len);
	if (rc == 2) {
		kprintf("udpblast: no ARP answer from %s\n", ip);
		return;
	}
	if (rc == 0)
		sent = first = 1;
	else if (rc == NET_ETX)
		failed = first = 1;
	uint64_t start = clock_now_ns();
	for (unsigned i = first; i < count && rc != NET_ENOROUTE &&
	     rc != NET_ETOOBIG; i++) {
		rc = udpblast_send(ns, dst, port, len);
		if (rc == 0)
			timed_sent++;
		else if (rc == NET_ETX)
			failed++;
	}
	sent += timed_sent;
	uint64_t ns_taken = clock_now_ns() - start;
	if (rc == NET_ENOROUTE || rc == NET_ETOOBIG) {
		kprintf("udpblast: %s\n", netapp_strerror(rc));
		return;
	}
	kprintf("UDPBLAST sent=%u failed=%u seconds=%lu.%03lu pps=%lu\n", sent,
		failed, (unsigned long)(ns_taken / 1000000000u),
		(unsigned long)(ns_taken / 1000000u % 1000u),
		(unsigned long)stats_per_second(timed_sent, ns_taken));
}
