/*
 * apps/netapp.c: the network programs (apps/netapp.h): UDP echo,
 * ping and the `net` listing, and what the other network commands
 * (apps/udpecho.c, udpblast.c, udpdiscard.c) share. They run on the
 * stack of each interface (lib/netstack.h) and, like the driver, touch
 * it only with interrupts disabled: the driver's interrupt handler is in
 * there too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../drivers/net.h"
#include "../kernel/clock.h"
#include "../kernel/irq.h"
#include "../kernel/kprintf.h"
#include "../kernel/x86.h"
#include "../lib/arp.h"
#include "../lib/icmp.h"
#include "../lib/netaddr.h"
#include "../lib/netargs.h"
#include "../lib/udp.h"
#include "netapp.h"
#include "progress.h"
#include "udpdiscard.h"
#include "../lib/hot.h"

#define PING_DEFAULT_COUNT 4
#define PING_MAX_COUNT 1000
#define PING_TIMEOUT_NS 1000000000ull
#define PING_DATA_LEN 56
#define PING_ID_BASE 0x4C47 /* "LG" */

GUEST_HOT_DATA static volatile uint32_t netapp_echoed;

/* The request ping is waiting for, and what the handler saw. */
static struct {
	bool active;
	uint32_t dst;
	uint16_t id, seq;
	uint8_t data[PING_DATA_LEN];
	volatile bool got;
	bool data_ok;
	uint64_t sent_ns, reply_ns;
	size_t reply_len;
	uint32_t stray; /* replies to other requests (late, duplicate) */
	uint32_t dup;   /* ... a second reply to one request */
	uint32_t late;  /* ... the first reply to one that timed out */
	uint8_t seen[(PING_MAX_COUNT + 8) / 8]; /* seqs that had a reply */
} ping;

/*D:290 The echo service (RFC 862): whatever arrives on UDP port 7 goes
 * back to where it came from. It runs inside the driver's interrupt
 * handler, so an echo leaves before the interrupt returns. Datagrams
 * from port 7 are not answered: two echo servers would otherwise play
 * catch with one packet for ever. :*/
GUEST_HOT_TEXT
static void netapp_udp_echo(struct netstack *ns, void *ctx,
			    const struct udp_rx *d)
{
	(void)ctx;
	if (d->src_port == NETAPP_ECHO_PORT || d->src_port == 0)
		return;
	if (udp_send(ns, d->src_ip, NETAPP_ECHO_PORT, d->src_port, d->data,
		     d->len) == 0)
		netapp_echoed++;
}
/*:*/

void netapp_start(void)
{
	for (unsigned i = 0; i < net_count(); i++) {
		struct net_if *nif = net_get(i);
		uint32_t flags = irq_save();
		int rc = udp_bind(net_stack(nif), NETAPP_ECHO_PORT,
				  netapp_udp_echo, NULL);
		irq_restore(flags);
		if (rc != 0)
			kprintf("%s: cannot start the UDP echo server (%d)\n",
				net_name(nif), rc);
	}
	udpdiscard_start();
}

/* Called from the driver's interrupt handler for each echo reply. */
static void netapp_echo_reply(struct netstack *ns, void *ctx,
			      const struct icmp_echo_rx *e)
{
	(void)ns;
	(void)ctx;
	if (!ping.active || e->id != ping.id || e->src_ip != ping.dst)
		return;
	if (e->seq != ping.seq || ping.got) {
		/* A reply to another request than the one in flight: a
		 * second reply (duplicate), or the first to one that timed
		 * out (late). */
		ping.stray++;
		if (e->seq >= 1 && e->seq <= PING_MAX_COUNT &&
		    e->seq <= ping.seq) {
			uint8_t bit = (uint8_t)(1u << (e->seq % 8));
			if (ping.seen[e->seq / 8] & bit)
				ping.dup++;
			else
				ping.late++;
			ping.seen[e->seq / 8] |= bit;
		}
		return;
	}
	ping.seen[e->seq / 8] |= (uint8_t)(1u << (e->seq % 8));
	ping.reply_ns = clock_now_ns();
	ping.reply_len = e->len;
	ping.data_ok = e->len == PING_DATA_LEN &&
		       memcmp(e->data, ping.data, PING_DATA_LEN) == 0;
	ping.got = true;
}

const char *netapp_strerror(int rc)
{
	switch (rc) {
	case NET_ENOROUTE: return "no route to host";
	case NET_ETOOBIG: return "message too long";
	case NET_ETX: return "no peer took the frame";
	default: return "error";
	}
}

uint16_t netapp_ephemeral_port(void)
{
	static uint32_t state;

	if (state == 0)
		state = (uint32_t)x86_rdtsc() | 1;
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return (uint16_t)(NETAPP_EPHEMERAL_FIRST +
			  state % (65536u - NETAPP_EPHEMERAL_FIRST));
}

/* Parse "a.b.c.d [count]". */
static bool netapp_ping_args(const char *args, uint32_t *dst, unsigned *count)
{
	unsigned long n[1] = {PING_DEFAULT_COUNT};

	if (netargs_parse(args, dst, n, 1) < 0 || n[0] < 1 ||
	    n[0] > PING_MAX_COUNT)
		return false;
	*count = (unsigned)n[0];
	return true;
}

/*D:300 ping, from the sending side. One echo request at a time: with
 * interrupts off we note the time and send, then sleep until the
 * interrupt handler has seen the matching reply, or a second has passed.
 * The round trip runs from just before our SEND_DMA to the moment the
 * driver's handler met the reply, so it includes the ARP exchange for
 * the first packet, the peer's whole path, and the host's work in
 * between, but not the time it takes us to print. :*/
static bool netapp_ping_one(struct netstack *ns, uint16_t seq, int *rc,
			    uint32_t *rtt_us)
{
	uint32_t flags = irq_save();

	ping.seq = seq;
	ping.got = false;
	ping.sent_ns = clock_now_ns();
	*rc = icmp_send_echo(ns, ping.dst, ping.id, seq, ping.data,
			     PING_DATA_LEN);
	if (*rc == NET_ENOROUTE || *rc == NET_ETOOBIG) {
		irq_restore(flags);
		return false;
	}
	while (!ping.got && clock_now_ns() - ping.sent_ns < PING_TIMEOUT_NS)
		irq_wait();
	bool got = ping.got;
	*rtt_us = (uint32_t)((ping.reply_ns - ping.sent_ns) / 1000u);
	irq_restore(flags);
	return got;
}
/*:*/

void netapp_ping(const char *args)
{
	static uint16_t runs;
	uint32_t dst;
	unsigned count, sent = 0, received = 0;
	uint32_t min = 0xFFFFFFFFu, max = 0;
	uint64_t sum = 0;
	char ip[NETADDR_IP_STRLEN];

	fflush(stdout);
	if (!netapp_ping_args(args, &dst, &count)) {
		kprintf("ping: usage: ping <a.b.c.d> [count 1..%u]\n",
			PING_MAX_COUNT);
		return;
	}
	struct net_if *nif = net_route(dst);
	if (!nif) {
		kprintf("ping: no network interface\n");
		return;
	}
	struct netstack *ns = net_stack(nif);
	uint32_t flags = irq_save();
	icmp_set_echo_handler(ns, netapp_echo_reply, NULL);
	ping.dst = dst;
	ping.id = (uint16_t)(PING_ID_BASE + runs++);
	for (unsigned i = 0; i < PING_DATA_LEN; i++)
		ping.data[i] = (uint8_t)(i + ping.id);
	ping.stray = ping.dup = ping.late = 0;
	memset(ping.seen, 0, sizeof(ping.seen));
	ping.active = true;
	irq_restore(flags);

	netaddr_ip_str(dst, ip);
	kprintf("PING %s via %s: %u data bytes\n", ip, net_name(nif),
		PING_DATA_LEN);
	for (unsigned seq = 1; seq <= count; seq++) {
		int rc;
		uint32_t rtt;
		bool got = netapp_ping_one(ns, (uint16_t)seq, &rc, &rtt);
		if (rc == NET_ENOROUTE || rc == NET_ETOOBIG) {
			kprintf("ping: %s\n", netapp_strerror(rc));
			break;
		}
		sent++;
		if (!got) {
			kprintf("PING timeout seq=%u%s%s\n", seq,
				rc ? " " : "", rc ? netapp_strerror(rc) : "");
			continue;
		}
		received++;
		sum += rtt;
		min = rtt < min ? rtt : min;
		max = rtt > max ? rtt : max;
		kprintf("PING reply from=%s seq=%u bytes=%u rtt_us=%lu%s\n", ip,
			seq, (unsigned)ping.reply_len, (unsigned long)rtt,
			ping.data_ok ? "" : " (data differs)");
	}
	ping.active = false;
	if (sent == 0)
		return;
	unsigned loss = (sent - received) * 100 / sent;
	if (received)
		kprintf("PING summary sent=%u received=%u loss=%u%% rtt_us "
			"min=%lu avg=%lu max=%lu\n", sent, received, loss,
			(unsigned long)min, (unsigned long)(sum / received),
			(unsigned long)max);
	else
		kprintf("PING summary sent=%u received=0 loss=100%%\n", sent);
	if (ping.dup || ping.late)
		kprintf("PING also: %lu duplicate replies, %lu late replies (to "
			"a request that had timed out)\n",
			(unsigned long)ping.dup, (unsigned long)ping.late);
}

/* The ARP cache, one line per neighbour. */
static void netapp_print_arp(const struct netstack *ns, uint64_t now_ms)
{
	char ip[NETADDR_IP_STRLEN], mac[NETADDR_MAC_STRLEN];

	for (unsigned i = 0; i < NET_ARP_CACHE_SIZE; i++) {
		const struct arp_entry *e = &ns->arp[i];
		if (e->state == ARP_FREE)
			continue;
		netaddr_ip_str(e->ip, ip);
		if (e->state == ARP_RESOLVED)
			kprintf("  arp %s is %s (%lu s ago)\n", ip,
				netaddr_mac_str(e->mac, mac),
				(unsigned long)((now_ms - e->stamp_ms) / 1000u));
		else
			kprintf("  arp %s pending: requests=%u waiting=%u "
				"bytes\n", ip, e->requests, e->queued_len);
	}
}

/* Every counter, "name=value", several to a line. */
static void netapp_print_counters(const struct netstack *ns)
{
	char line[80];
	size_t used = 0;

	for (unsigned i = 0; i < netstack_counter_count(); i++) {
		char item[48];
		int n = snprintf(item, sizeof(item), " %s=%lu",
				 netstack_counter_name(i),
				 (unsigned long)netstack_counter_value(ns, i));
		if (n < 0)
			continue;
		if (used > 0 && used + (size_t)n > 72) {
			kprintf("  stack:%s\n", line);
			used = 0;
		}
		memcpy(line + used, item, (size_t)n + 1);
		used += (size_t)n;
	}
	if (used)
		kprintf("  stack:%s\n", line);
}

void netapp_net(const char *args)
{
	char word[16] = "", value[8] = "";

	fflush(stdout);
	if (net_count() == 0) {
		kprintf("net: no network interface (start the guest with "
			"--sharenet=<name> or --tunnet=<a.b.c.d>)\n");
		return;
	}
	sscanf(args, " %15s %7s", word, value);
	if (strcmp(word, "promisc") == 0) {
		bool on = strcmp(value, "on") == 0;
		if (!on && strcmp(value, "off") != 0) {
			kprintf("net: usage: net promisc on|off\n");
			return;
		}
		for (unsigned i = 0; i < net_count(); i++)
			net_set_promisc(net_get(i), on);
	} else if (word[0]) {
		kprintf("net: usage: net [promisc on|off]\n");
		return;
	}
	uint64_t now_ms = clock_now_ns() / 1000000u;
	for (unsigned i = 0; i < net_count(); i++) {
		struct net_if *nif = net_get(i);
		uint32_t flags = irq_save();
		net_print(nif);
		netapp_print_arp(net_stack(nif), now_ms);
		netapp_print_counters(net_stack(nif));
		irq_restore(flags);
	}
	kprintf("udp echo on port %u: %lu datagrams echoed\n",
		NETAPP_ECHO_PORT, (unsigned long)netapp_echoed);
	udpdiscard_print();
}

struct net_if *netapp_count_len_args(const char *cmd, const char *args,
				     uint32_t *dst, unsigned *count,
				     unsigned *len, unsigned max_count,
				     unsigned max_len, const char *len_name)
{
	unsigned long n[2] = {*count, *len};

	if (netargs_parse(args, dst, n, 2) < 0 || n[0] < 1 ||
	    n[0] > max_count || n[1] < 1 || n[1] > max_len) {
		kprintf("%s: usage: %s <a.b.c.d> [count 1..%u] [%s 1..%u]\n",
			cmd, cmd, max_count, len_name, max_len);
		return NULL;
	}
	*count = (unsigned)n[0];
	*len = (unsigned)n[1];
	struct net_if *nif = net_route(*dst);
	if (!nif)
		kprintf("%s: no network interface\n", cmd);
	return nif;
}

void netapp_serve(const char *args)
{
	struct progress p;
	char *end;

	while (*args == ' ')
		args++;
	unsigned long seconds = strtoul(args, &end, 10);
	while (*end == ' ')
		end++;
	if (end == args || *end || seconds < 1 || seconds > PROGRESS_MAX_S) {
		printf("serve: usage: serve <seconds>, 1 to %u\n",
		       PROGRESS_MAX_S);
		return;
	}
	progress_start(&p, (uint32_t)seconds);
	progress_line("SERVE", "start: UDP echo on port %u of %u "
		      "interface%s, for %lu s", NETAPP_ECHO_PORT, net_count(),
		      net_count() == 1 ? "" : "s", seconds);
	uint32_t flags = irq_save();
	while (!progress_over(&p)) {
		irq_wait();
		if (progress_due(&p)) {
			irq_restore(flags);
			progress_line("SERVE", "t=%lu echoed=%lu",
				      (unsigned long)progress_elapsed_s(&p),
				      (unsigned long)netapp_echoed);
			flags = irq_save();
		}
	}
	irq_restore(flags);
	progress_line("SERVE", "done t=%lu echoed=%lu",
		      (unsigned long)progress_elapsed_s(&p),
		      (unsigned long)netapp_echoed);
}
