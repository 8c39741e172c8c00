/*
 * apps/udpecho_for.c: `udpecho <a.b.c.d> for <seconds> [maxlen]`, the
 * long-running form of udpecho (apps/udpecho.h, apps/progress.h): one
 * datagram in flight at a time, for as long as asked, with a progress
 * line every 5 s instead of one line per datagram.
 *
 * Over minutes, "the echo of the datagram before" is not enough to tell
 * a late echo from a corrupted one, so every datagram here says which it
 * is: its first 4 bytes are its sequence number, the next 4 this run's
 * seed, and its length and the rest of its bytes follow from the two
 * (lib/pattern.h's generator). Any echo, in time or late, is checked byte
 * for byte against what that datagram was; so the counts are exact:
 *   ok       came back intact while awaited (its round trip is counted)
 *   late     came back intact after its 1 s timeout
 *   lost     timed out and never came back (by the end)
 *   bad      came back different, or names a datagram never sent
 *   dup      a second echo of one already counted
 *   refused  the send failed (NET_ETX: e.g. the peer had no free
 *            receive buffer, which the lguest network drops, and says so)
 * Before the clock starts it waits (up to 60 s) for the peer to answer
 * once: a peer still booting is not a lost datagram.
 */
#include <stdio.h>
#include <string.h>

#include "../drivers/net.h"
#include "../kernel/clock.h"
#include "../kernel/irq.h"
#include "../kernel/x86.h"
#include "../lib/netaddr.h"
#include "../lib/netargs.h"
#include "../lib/pattern.h"
#include "../lib/udp.h"
#include "netapp.h"
#include "progress.h"
#include "udpecho.h"

#define UF_TIMEOUT_NS 1000000000ull
#define UF_PEER_WAIT_S 60
#define UF_END_WAIT_S 5   /* at the end, for the echoes still missing */
#define UF_HEADER 8
#define UF_MISSING 256 /* timed-out datagrams remembered, for late ones */

static struct {
	bool active;
	uint32_t peer, seed, maxlen;
	uint32_t first;            /* sequence numbers from here count */
	uint32_t cur;              /* the last one sent */
	bool awaiting;             /* ... and its echo is awaited */
	volatile bool got_cur;
	uint64_t sent_ns, reply_ns;
	uint32_t missing[UF_MISSING]; /* timed out, not back yet (0: free) */
	uint32_t ok, late, bad, dup, timeouts, refused, sent;
	uint64_t rtt_sum_us;
	uint32_t rtt_max_us;
} uf;

/* Datagram `seq` of this run: its length, and its bytes into out. */
static size_t uf_datagram(uint32_t seq, uint8_t *out)
{
	uint32_t rng = pattern_seed_state(seq, uf.seed);
	size_t len = UF_HEADER + pattern_rand(&rng) % (uf.maxlen - UF_HEADER + 1);

	memcpy(out, &seq, 4);
	memcpy(out + 4, &uf.seed, 4);
	for (size_t i = UF_HEADER; i < len; i += 4) {
		uint32_t r = pattern_rand(&rng);
		for (size_t j = 0; j < 4 && i + j < len; j++)
			out[i + j] = (uint8_t)(r >> (8 * j));
	}
	return len;
}

/* Was seq timed out and not seen since? Forget it if so. */
static bool uf_take_missing(uint32_t seq)
{
	for (unsigned i = 0; i < UF_MISSING; i++)
		if (uf.missing[i] == seq) {
			uf.missing[i] = 0;
			return true;
		}
	return false;
}

/* In the driver's interrupt handler: sort one echo. */
static void uf_rx(struct netstack *ns, void *ctx, const struct udp_rx *d)
{
	static uint8_t want[UDPECHO_MAX_LEN];
	uint32_t seq, seed;

	(void)ns;
	(void)ctx;
	if (!uf.active || d->src_ip != uf.peer ||
	    d->src_port != NETAPP_ECHO_PORT)
		return;
	if (d->len < UF_HEADER) {
		uf.bad++;
		return;
	}
	memcpy(&seq, d->data, 4);
	memcpy(&seed, d->data + 4, 4);
	if (seed != uf.seed || seq == 0 || seq > uf.cur) {
		uf.bad++;	/* never sent: made up, or changed on the way */
		return;
	}
	size_t len = uf_datagram(seq, want);
	if (d->len != len || memcmp(d->data, want, len) != 0) {
		uf.bad++;
		return;
	}
	if (seq == uf.cur && uf.awaiting) {
		uf.reply_ns = clock_now_ns();
		uf.got_cur = true;
		uf.awaiting = false;
	} else if (seq < uf.first) {
		return;		/* an echo from the wait for the peer */
	} else if (uf_take_missing(seq)) {
		uf.late++;
	} else {
		uf.dup++;
	}
}

/* Remember a datagram that timed out, in case its echo comes late (the
 * oldest is forgotten when the table is full: should its echo come
 * after all, it counts as a dup). */
static void uf_missing(uint32_t seq)
{
	static unsigned next;

	uf.timeouts++;
	uf.missing[next++ % UF_MISSING] = seq;
}

/* Send datagram seq and wait for its echo (at most 1 s). Returns the
 * send's error; uf.got_cur says whether it came back in time, and one
 * that was sent but did not is remembered as missing, all with
 * interrupts off, so that its echo is counted once, whenever it comes. */
static int uf_one(struct netstack *ns, uint16_t port, uint32_t seq)
{
	static uint8_t data[UDPECHO_MAX_LEN];
	uint32_t flags = irq_save();

	size_t len = uf_datagram(seq, data);
	uf.cur = seq;
	uf.got_cur = false;
	uf.awaiting = true;
	uf.sent_ns = clock_now_ns();
	int rc = udp_send(ns, uf.peer, port, NETAPP_ECHO_PORT, data, len);
	if (rc == 0)
		while (!uf.got_cur &&
		       clock_now_ns() - uf.sent_ns < UF_TIMEOUT_NS)
			irq_wait();
	uf.awaiting = false;
	if (rc == 0 && !uf.got_cur && seq >= uf.first)
		uf_missing(seq);
	irq_restore(flags);
	return rc;
}

/* Timed out and never back: every timeout but those that came late. */
static uint32_t uf_lost(void)
{
	return uf.timeouts - uf.late;
}

static void uf_line(const char *what, const struct progress *p)
{
	uint32_t flags = irq_save();
	uint32_t lost = uf_lost(), avg = uf.ok ?
		(uint32_t)(uf.rtt_sum_us / uf.ok) : 0;
	progress_line("UDPECHO", "%s t=%lu sent=%lu ok=%lu late=%lu lost=%lu "
		      "bad=%lu dup=%lu refused=%lu rtt_us avg=%lu max=%lu",
		      what, (unsigned long)progress_elapsed_s(p),
		      (unsigned long)uf.sent, (unsigned long)uf.ok,
		      (unsigned long)uf.late, (unsigned long)lost,
		      (unsigned long)uf.bad, (unsigned long)uf.dup,
		      (unsigned long)uf.refused, (unsigned long)avg,
		      (unsigned long)uf.rtt_max_us);
	irq_restore(flags);
}

/* Until the peer has answered once (or UF_PEER_WAIT_S): 0 when it did. */
static int uf_wait_for_peer(struct netstack *ns, uint16_t port,
			    uint32_t *seq)
{
	uint64_t start = clock_now_ns();

	while (clock_now_ns() - start < UF_PEER_WAIT_S * 1000000000ull) {
		int rc = uf_one(ns, port, ++*seq);
		if (rc == NET_ENOROUTE || rc == NET_ETOOBIG)
			return rc;
		if (uf.got_cur)
			return 0;
		if (rc) {	/* refused at once: do not spin */
			uint64_t t = clock_now_ns();
			uint32_t flags = irq_save();
			while (clock_now_ns() - t < 100000000ull)
				irq_wait();
			irq_restore(flags);
		}
	}
	return NET_ETX;
}

void udpecho_for_command(const char *args, uint32_t seconds)
{
	unsigned long maxlen = UDPECHO_MAX_LEN;
	uint32_t dst, seq = 0;
	char ip[NETADDR_IP_STRLEN];
	struct progress p;

	if (netargs_parse(args, &dst, &maxlen, 1) < 0 ||
	    maxlen < UF_HEADER || maxlen > UDPECHO_MAX_LEN) {
		printf("udpecho: usage: udpecho <a.b.c.d> for <seconds> "
		       "[maxlen %u..%u]\n", UF_HEADER, UDPECHO_MAX_LEN);
		return;
	}
	struct net_if *nif = net_route(dst);
	if (!nif) {
		printf("udpecho: no network interface\n");
		return;
	}
	struct netstack *ns = net_stack(nif);
	uint16_t port = 0;
	for (unsigned tries = 0; tries < 16 && !port; tries++) {
		uint16_t pt = netapp_ephemeral_port();
		uint32_t flags = irq_save();
		uf.active = false;
		if (udp_bind(ns, pt, uf_rx, NULL) == 0)
			port = pt;
		irq_restore(flags);
	}
	if (!port) {
		printf("udpecho: no UDP port free to send from\n");
		return;
	}
	uint32_t flags = irq_save();
	memset(&uf, 0, sizeof(uf));
	uf.peer = dst;
	uf.maxlen = (uint32_t)maxlen;
	uf.seed = (uint32_t)x86_rdtsc() | 1;
	uf.first = UINT32_MAX;
	uf.active = true;
	irq_restore(flags);
	netaddr_ip_str(dst, ip);
	progress_line("UDPECHO", "start %s port %u via %s from port %u: "
		      "%u..%lu bytes, for %lu s", ip, NETAPP_ECHO_PORT,
		      net_name(nif), port, UF_HEADER, maxlen,
		      (unsigned long)seconds);
	int rc = uf_wait_for_peer(ns, port, &seq);
	if (rc) {
		progress_line("UDPECHO", "stopped: %s did not answer in %u s "
			      "(%s)", ip, UF_PEER_WAIT_S, netapp_strerror(rc));
		goto out;
	}
	uf.first = seq + 1;
	progress_start(&p, seconds);
	while (!progress_over(&p)) {
		rc = uf_one(ns, port, ++seq);
		if (rc == NET_ENOROUTE || rc == NET_ETOOBIG) {
			progress_line("UDPECHO", "stopped: %s",
				      netapp_strerror(rc));
			break;
		}
		flags = irq_save();
		uf.sent++;
		if (rc) {
			uf.refused++;
		} else if (uf.got_cur) {
			uint32_t us = (uint32_t)((uf.reply_ns - uf.sent_ns) /
						 1000u);
			uf.ok++;
			uf.rtt_sum_us += us;
			if (us > uf.rtt_max_us)
				uf.rtt_max_us = us;
		}
		irq_restore(flags);
		if (progress_due(&p))
			uf_line("progress", &p);
	}
	/* Echoes of datagrams that timed out may still be on their way: a
	 * few seconds more for them, if any is missing. */
	uint64_t t = clock_now_ns();
	flags = irq_save();
	while (uf.timeouts != uf.late &&
	       clock_now_ns() - t < UF_END_WAIT_S * 1000000000ull)
		irq_wait();
	irq_restore(flags);
	uf_line("done", &p);
out:
	flags = irq_save();
	uf.active = false;
	udp_unbind(ns, port);
	irq_restore(flags);
}
