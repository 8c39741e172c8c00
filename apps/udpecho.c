/*
 * apps/udpecho.c: the `udpecho` command (apps/udpecho.h). It works
 * like ping (apps/netapp.c): one datagram in flight, a handler in the
 * driver's interrupt handler that compares the echo with what was sent,
 * and the round trip from just before the send to that handler. An echo
 * of the datagram before, which timed out, may still come back while the
 * next one is in flight: it is recognised, counted as late and ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../drivers/net.h"
#include "../kernel/clock.h"
#include "../kernel/irq.h"
#include "../kernel/kprintf.h"
#include "../kernel/x86.h"
#include "../lib/netaddr.h"
#include "../lib/pattern.h"
#include "../lib/stats.h"
#include "../lib/udp.h"
#include "netapp.h"
#include "progress.h"
#include "udpecho.h"

#define UDPECHO_TIMEOUT_NS 1000000000ull

/* The datagram in flight, and what the handler saw. */
static struct {
	bool active;
	uint32_t peer;
	uint8_t data[UDPECHO_MAX_LEN];
	size_t len;
	uint64_t sent_ns;
	volatile bool got;      /* an echo came back ... */
	bool got_final;         /* ... in time (the handler leaves it) */
	bool same;              /* ... equal to data[0..len) */
	uint64_t reply_ns;
	uint8_t prev[UDPECHO_MAX_LEN]; /* the last datagram that timed out */
	size_t prev_len;        /* 0: none, or its echo came late */
	uint32_t late;          /* ... echoes of it */
} ue;

static void udpecho_rx(struct netstack *ns, void *ctx, const struct udp_rx *d)
{
	(void)ns;
	(void)ctx;
	if (!ue.active || d->src_ip != ue.peer ||
	    d->src_port != NETAPP_ECHO_PORT)
		return;
	if (ue.got)
		return; /* a duplicate */
	bool same = d->len == ue.len && memcmp(d->data, ue.data, ue.len) == 0;
	if (!same && ue.prev_len && d->len == ue.prev_len &&
	    memcmp(d->data, ue.prev, ue.prev_len) == 0) {
		ue.prev_len = 0;
		ue.late++;
		return;
	}
	ue.reply_ns = clock_now_ns();
	ue.same = same;
	ue.got = true;
}

/* Fill ue.data with len pseudo-random bytes. */
static void udpecho_fill(uint32_t *rng, size_t len)
{
	for (size_t i = 0; i < len; i += 4) {
		uint32_t r = pattern_rand(rng);
		for (size_t j = 0; j < 4 && i + j < len; j++)
			ue.data[i + j] = (uint8_t)(r >> (8 * j));
	}
}

/* Send a new datagram of 1..maxlen bytes from `port` and wait for its
 * echo. Returns the send's error (NET_ENOROUTE, NET_ETOOBIG: give up) or
 * 0 / NET_ETX (then ue.got_final says whether it came back). */
static int udpecho_one(struct netstack *ns, uint16_t port, uint32_t *rng,
		       unsigned maxlen)
{
	uint32_t flags = irq_save();

	ue.len = 1 + pattern_rand(rng) % maxlen;
	udpecho_fill(rng, ue.len);
	ue.got = false;
	ue.sent_ns = clock_now_ns();
	int rc = udp_send(ns, ue.peer, port, NETAPP_ECHO_PORT, ue.data, ue.len);
	if (rc == 0 || rc == NET_ETX)
		while (!ue.got &&
		       clock_now_ns() - ue.sent_ns < UDPECHO_TIMEOUT_NS)
			irq_wait();
	if (!ue.got) {
		/* Its echo may still come, while the next one is out. */
		memcpy(ue.prev, ue.data, ue.len);
		ue.prev_len = ue.len;
	}
	ue.got_final = ue.got;
	irq_restore(flags);
	return rc;
}

/* Bind a free ephemeral port to our handler; 0 if none could be had. */
static uint16_t udpecho_bind(struct netstack *ns)
{
	for (unsigned tries = 0; tries < 16; tries++) {
		uint16_t port = netapp_ephemeral_port();
		uint32_t flags = irq_save();
		int rc = udp_bind(ns, port, udpecho_rx, NULL);
		irq_restore(flags);
		if (rc == 0)
			return port;
		if (rc != NET_EBUSY)
			break;
	}
	return 0;
}

static void udpecho_summary(unsigned sent, unsigned received, unsigned bad,
			    uint32_t *rtt)
{
	char late[24] = "";

	if (ue.late)
		snprintf(late, sizeof(late), " late=%lu",
			 (unsigned long)ue.late);
	if (received == 0) {
		kprintf("UDPECHO summary sent=%u received=0 bad=%u%s\n", sent,
			bad, late);
		return;
	}
	stats_sort(rtt, received);
	kprintf("UDPECHO summary sent=%u received=%u bad=%u rtt_us p50=%lu "
		"p99=%lu min=%lu max=%lu%s\n", sent, received, bad,
		(unsigned long)stats_percentile(rtt, received, 50),
		(unsigned long)stats_percentile(rtt, received, 99),
		(unsigned long)rtt[0], (unsigned long)rtt[received - 1], late);
}

void udpecho_command(const char *args)
{
	unsigned count = UDPECHO_DEFAULT_COUNT, maxlen = UDPECHO_MAX_LEN;
	uint32_t dst, seconds;
	char ip[NETADDR_IP_STRLEN], rest[128];

	fflush(stdout);
	switch (progress_take_for("udpecho", args, rest, sizeof(rest),
				  &seconds)) {
	case 1:
		udpecho_for_command(rest, seconds);
		return;
	case -1:
		return;
	}
	struct net_if *nif = netapp_count_len_args("udpecho", args, &dst,
						   &count, &maxlen,
						   UDPECHO_MAX_COUNT,
						   UDPECHO_MAX_LEN, "maxlen");
	if (!nif)
		return;
	uint32_t *rtt = malloc(count * sizeof(*rtt));
	if (!rtt) {
		kprintf("udpecho: no memory for %u samples\n", count);
		return;
	}
	struct netstack *ns = net_stack(nif);
	uint16_t port = udpecho_bind(ns);
	if (!port) {
		kprintf("udpecho: no UDP port free to send from\n");
		free(rtt);
		return;
	}
	uint32_t rng = (uint32_t)x86_rdtsc() | 1;
	ue.peer = dst;
	ue.late = 0;
	ue.prev_len = 0;
	ue.active = true;
	netaddr_ip_str(dst, ip);
	kprintf("UDPECHO %s port %u via %s: %u datagrams of 1..%u bytes from "
		"port %u\n", ip, NETAPP_ECHO_PORT, net_name(nif), count, maxlen,
		port);

	unsigned sent = 0, received = 0, bad = 0;
	for (unsigned seq = 1; seq <= count; seq++) {
		int rc = udpecho_one(ns, port, &rng, maxlen);
		if (rc == NET_ENOROUTE || rc == NET_ETOOBIG) {
			kprintf("udpecho: %s\n", netapp_strerror(rc));
			break;
		}
		sent++;
		if (!ue.got_final) {
			kprintf("UDPECHO seq=%u timeout%s%s\n", seq,
				rc ? " " : "", rc ? netapp_strerror(rc) : "");
		} else if (!ue.same) {
			bad++;
			kprintf("UDPECHO seq=%u mismatch\n", seq);
		} else {
			uint32_t us = (uint32_t)((ue.reply_ns - ue.sent_ns) /
						 1000u);
			rtt[received++] = us;
			kprintf("UDPECHO seq=%u bytes=%u rtt_us=%lu\n", seq,
				(unsigned)ue.len, (unsigned long)us);
		}
	}
	uint32_t flags = irq_save();
	ue.active = false;
	udp_unbind(ns, port);
	irq_restore(flags);
	if (sent)
		udpecho_summary(sent, received, bad, rtt);
	free(rtt);
}
