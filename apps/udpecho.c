/*
 * apps/udpecho.c: the `udpecho` command (apps/udpecho.h). Like ping
 * (apps/netapp.c): a handler in the driver's interrupt handler meets each
 * echo and compares it with what was sent, and the round trip runs from
 * just before the send to that handler. Up to `window` datagrams are in
 * flight (1 by default: the next goes when the echo of the last came
 * back or after 1 s).
 *
 * Every echo is told apart by its contents: a datagram's first bytes are
 * its sequence number (mixed with a number of this run) and the rest a
 * pseudo-random stream of both, so an echo names the datagram it is the
 * echo of, and any change to it shows. That is what lets udpecho say,
 * of a network that loses, doubles, reorders or delays (a host with
 * inject=, docs/host-design.md "Fault injection"), exactly what happened:
 * lost (no echo at all), duplicate (a second echo of one datagram), out
 * of order (an echo after the echo of a later datagram), late (after its
 * datagram timed out), or bad (an echo that matches nothing sent).
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
#include "../lib/netargs.h"
#include "../lib/pattern.h"
#include "../lib/stats.h"
#include "../lib/udp.h"
#include "netapp.h"
#include "progress.h"
#include "udpecho.h"
#include "../lib/hot.h"

#define UDPECHO_TIMEOUT_NS 1000000000ull
#define HISTORY 256	/* datagrams an echo may still be matched to */
#define EVENTS 64	/* echoes met but not printed yet */

enum dgram_state { D_FREE, D_OUT, D_RECEIVED, D_TIMED_OUT, D_BAD };

/* One datagram sent, in history[seq % HISTORY]. */
struct dgram {
	uint32_t seq;
	uint16_t len;
	uint8_t state;
	uint64_t sent_ns;
};

enum event_kind { E_ECHO, E_DUP, E_LATE, E_BAD, E_MISMATCH };

struct event {
	uint8_t kind;
	uint32_t seq, len, rtt_us;
	uint32_t after;		/* E_ECHO, E_LATE: a later seq came first (or 0) */
};

static struct {
	bool active;
	uint32_t peer, nonce;
	uint32_t max_rx;	/* the highest seq whose echo came */
	unsigned outstanding;
	bool any_echo;		/* the window opens after the first */
	/* What the handler met, for the command to print and count. */
	struct event events[EVENTS];
	unsigned ev_head, ev_tail;
	uint32_t ev_lost;	/* events the ring had no room for */
	uint8_t tmp[UDPECHO_MAX_LEN];
	/* Last: 4 KB of which one entry is touched per datagram, so that
	 * the fields above share a page (lib/hot.h says why pages count). */
	struct dgram history[HISTORY];
} ue;

/* Byte i of datagram seq of this run. */
GUEST_HOT_TEXT
static void udpecho_fill(uint8_t *out, uint32_t seq, size_t len)
{
	uint32_t id = seq ^ ue.nonce;
	uint32_t state = pattern_seed_state(seq, ue.nonce);

	for (size_t i = 0; i < len; i++) {
		if (i < 4)
			out[i] = (uint8_t)(id >> (8 * i));
		else if (i % 4 == 0)
			state = pattern_rand(&state), out[i] = (uint8_t)state;
		else
			out[i] = (uint8_t)(state >> (8 * (i % 4)));
	}
}

GUEST_HOT_TEXT
static void udpecho_event(uint8_t kind, uint32_t seq, uint32_t len,
			  uint32_t rtt_us, uint32_t after)
{
	if (ue.ev_head - ue.ev_tail >= EVENTS) {
		ue.ev_lost++;
		return;
	}
	ue.events[ue.ev_head++ % EVENTS] = (struct event){kind, seq, len,
							  rtt_us, after};
}

/* The datagram an echo of these bytes can be: its first bytes name it
 * (modulo 256 for a one-byte echo, enough within HISTORY); NULL if
 * none in the history has that number and length. */
GUEST_HOT_TEXT
static struct dgram *udpecho_match(const uint8_t *data, size_t len)
{
	uint32_t id = 0;

	for (size_t i = 0; i < len && i < 4; i++)
		id |= (uint32_t)data[i] << (8 * i);
	if (len >= 4) {		/* it names its seq whole: one look */
		struct dgram *d = &ue.history[(id ^ ue.nonce) % HISTORY];
		return d->state != D_FREE && d->len == len &&
		       d->seq == (id ^ ue.nonce) ? d : NULL;
	}
	for (unsigned k = 0; k < HISTORY; k++) {
		struct dgram *d = &ue.history[k];
		uint32_t want = d->seq ^ ue.nonce;
		if (d->state == D_FREE || d->len != len)
			continue;
		if (len >= 4 ? want == id
			     : (want & ((1u << (8 * len)) - 1)) == id)
			return d;
	}
	return NULL;
}

/*D:295 An echo comes back. It names its datagram; what it means depends
 * on what became of that one: the first echo of a datagram in flight is
 * the answer (out of order if a later datagram's came first), one of a
 * datagram we gave up on is late, a second echo of any is a duplicate,
 * and bytes that differ from what was sent are bad. The command prints
 * what we note here, after the handler. :*/
GUEST_HOT_TEXT
static void udpecho_rx(struct netstack *ns, void *ctx, const struct udp_rx *d)
{
	(void)ns;
	(void)ctx;
	if (!ue.active || d->src_ip != ue.peer ||
	    d->src_port != NETAPP_ECHO_PORT)
		return;
	uint64_t now = clock_now_ns();
	struct dgram *g = udpecho_match(d->data, d->len);
	if (!g) {
		udpecho_event(E_BAD, 0, (uint32_t)d->len, 0, 0);
		return;
	}
	udpecho_fill(ue.tmp, g->seq, g->len);
	if (memcmp(ue.tmp, d->data, g->len) != 0) {
		udpecho_event(E_MISMATCH, g->seq, g->len, 0, 0);
		if (g->state == D_OUT) {
			g->state = D_BAD;
			ue.outstanding--;
		}
		return;
	}
	if (g->state == D_RECEIVED || g->state == D_BAD) {
		udpecho_event(E_DUP, g->seq, g->len, 0, 0);
		return;
	}
	uint32_t after = ue.max_rx > g->seq ? ue.max_rx : 0;
	if (g->seq > ue.max_rx)
		ue.max_rx = g->seq;
	uint32_t rtt_us = (uint32_t)((now - g->sent_ns) / 1000u);
	bool late = g->state == D_TIMED_OUT;
	if (!late)
		ue.outstanding--;
	g->state = D_RECEIVED;
	ue.any_echo = true;
	udpecho_event(late ? E_LATE : E_ECHO, g->seq, g->len, rtt_us, after);
}
/*:*/

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

struct tally {
	unsigned sent, received, bad, dup, ooo, late, timeouts;
	uint32_t *rtt;
};

/* Print and count what the handler met (interrupts are off). */
static void udpecho_drain(struct tally *t, uint32_t flags)
{
	while (ue.ev_tail != ue.ev_head) {
		struct event e = ue.events[ue.ev_tail++ % EVENTS];
		irq_restore(flags);
		switch (e.kind) {
		case E_ECHO:
			t->rtt[t->received++] = e.rtt_us;
			kprintf("UDPECHO seq=%lu bytes=%lu rtt_us=%lu\n",
				(unsigned long)e.seq, (unsigned long)e.len,
				(unsigned long)e.rtt_us);
			break;
		case E_LATE:
			t->late++;
			kprintf("UDPECHO seq=%lu late: its echo came %lu us after "
				"it was sent, past the timeout\n",
				(unsigned long)e.seq, (unsigned long)e.rtt_us);
			break;
		case E_DUP:
			t->dup++;
			kprintf("UDPECHO seq=%lu duplicate: a second echo\n",
				(unsigned long)e.seq);
			break;
		case E_MISMATCH:
			t->bad++;
			kprintf("UDPECHO seq=%lu mismatch\n",
				(unsigned long)e.seq);
			break;
		default:
			t->bad++;
			kprintf("UDPECHO mismatch: an echo of %lu bytes that "
				"matches no datagram sent\n",
				(unsigned long)e.len);
			break;
		}
		if ((e.kind == E_ECHO || e.kind == E_LATE) && e.after) {
			t->ooo++;
			kprintf("UDPECHO seq=%lu out of order: the echo of seq "
				"%lu came first\n", (unsigned long)e.seq,
				(unsigned long)e.after);
		}
		irq_save();
	}
}

/* The oldest datagram still in flight, or NULL: *low moves up past
 * those that are not (seqs below next, at most `window` of them out). */
static struct dgram *udpecho_oldest(uint32_t *low, uint32_t next)
{
	for (; *low < next; (*low)++) {
		struct dgram *d = &ue.history[*low % HISTORY];
		if (d->seq == *low && d->state == D_OUT)
			return d;
	}
	return NULL;
}

static void udpecho_summary(const struct tally *t)
{
	char late[24] = "";

	if (t->late)
		snprintf(late, sizeof(late), " late=%u", t->late);
	if (t->received == 0) {
		kprintf("UDPECHO summary sent=%u received=0 bad=%u%s\n",
			t->sent, t->bad, late);
	} else {
		stats_sort(t->rtt, t->received);
		kprintf("UDPECHO summary sent=%u received=%u bad=%u rtt_us "
			"p50=%lu p99=%lu min=%lu max=%lu%s\n", t->sent,
			t->received, t->bad,
			(unsigned long)stats_percentile(t->rtt, t->received, 50),
			(unsigned long)stats_percentile(t->rtt, t->received, 99),
			(unsigned long)t->rtt[0],
			(unsigned long)t->rtt[t->received - 1], late);
	}
	unsigned answered = t->received + t->late;
	kprintf("UDPECHO lost=%u duplicates=%u out_of_order=%u late=%u "
		"bad=%u\n", t->sent > answered ? t->sent - answered : 0,
		t->dup, t->ooo, t->late, t->bad);
	if (ue.ev_lost)
		kprintf("udpecho: %lu echoes came too fast to be told apart\n",
			(unsigned long)ue.ev_lost);
}

/* Send datagram seq (interrupts off). Returns the send's error. */
GUEST_HOT_TEXT
static int udpecho_send(struct netstack *ns, uint16_t port, uint32_t seq,
			uint32_t *rng, unsigned maxlen)
{
	struct dgram *d = &ue.history[seq % HISTORY];
	uint8_t data[UDPECHO_MAX_LEN];

	d->seq = seq;
	d->len = (uint16_t)(1 + pattern_rand(rng) % maxlen);
	d->state = D_OUT;
	udpecho_fill(data, seq, d->len);
	d->sent_ns = clock_now_ns();
	ue.outstanding++;
	int rc = udp_send(ns, ue.peer, port, NETAPP_ECHO_PORT, data, d->len);
	if (rc == NET_ENOROUTE || rc == NET_ETOOBIG) {
		d->state = D_FREE;
		ue.outstanding--;
	}
	return rc;
}

void udpecho_command(const char *args)
{
	unsigned long n[3] = {UDPECHO_DEFAULT_COUNT, UDPECHO_MAX_LEN, 1};
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
	if (netargs_parse(args, &dst, n, 3) < 0 || n[0] < 1 ||
	    n[0] > UDPECHO_MAX_COUNT || n[1] < 1 || n[1] > UDPECHO_MAX_LEN ||
	    n[2] < 1 || n[2] > UDPECHO_MAX_WINDOW) {
		kprintf("udpecho: usage: udpecho <a.b.c.d> [count 1..%u] "
			"[maxlen 1..%u] [window 1..%u]\n", UDPECHO_MAX_COUNT,
			UDPECHO_MAX_LEN, UDPECHO_MAX_WINDOW);
		return;
	}
	unsigned count = (unsigned)n[0], maxlen = (unsigned)n[1];
	unsigned window = (unsigned)n[2];
	struct net_if *nif = net_route(dst);
	if (!nif) {
		kprintf("udpecho: no network interface\n");
		return;
	}
	struct tally t;
	memset(&t, 0, sizeof(t));
	t.rtt = malloc(count * sizeof(*t.rtt));
	if (!t.rtt) {
		kprintf("udpecho: no memory for %u samples\n", count);
		return;
	}
	struct netstack *ns = net_stack(nif);
	uint16_t port = udpecho_bind(ns);
	if (!port) {
		kprintf("udpecho: no UDP port free to send from\n");
		free(t.rtt);
		return;
	}
	uint32_t rng = (uint32_t)x86_rdtsc() | 1;
	uint32_t flags = irq_save();
	memset(ue.history, 0, sizeof(ue.history));
	ue.peer = dst;
	ue.nonce = pattern_rand(&rng);
	ue.max_rx = 0;
	ue.outstanding = 0;
	ue.any_echo = false;
	ue.ev_head = ue.ev_tail = ue.ev_lost = 0;
	ue.active = true;
	irq_restore(flags);
	netaddr_ip_str(dst, ip);
	kprintf("UDPECHO %s port %u via %s: %u datagrams of 1..%u bytes from "
		"port %u\n", ip, NETAPP_ECHO_PORT, net_name(nif), count,
		maxlen, port);
	if (window > 1)
		kprintf("UDPECHO up to %u in flight (after the first echo)\n",
			window);

	/*D:296 The loop: keep up to `window` datagrams out (one until the
	 * first echo came back, so that ARP, which holds one packet while it
	 * asks, loses none), give up on the oldest after a second, and
	 * sleep in between. The handler runs while we sleep. What it met is
	 * printed before the next datagram goes, not after: a console line
	 * is an exit and some serial output, and the next round trip's clock
	 * is already running once its datagram is sent. :*/
	uint32_t next = 1, low = 1;
	flags = irq_save();
	for (;;) {
		udpecho_drain(&t, flags);
		unsigned room = ue.any_echo ? window : 1;
		while (ue.outstanding < room && next <= count) {
			int rc = udpecho_send(ns, port, next, &rng, maxlen);
			if (rc == NET_ENOROUTE || rc == NET_ETOOBIG) {
				irq_restore(flags);
				kprintf("udpecho: %s\n", netapp_strerror(rc));
				flags = irq_save();
				next = count + 1;
				break;
			}
			t.sent++;
			next++;
		}
		struct dgram *old = udpecho_oldest(&low, next);
		if (!old && next > count)
			break;
		if (old && clock_now_ns() - old->sent_ns >= UDPECHO_TIMEOUT_NS) {
			old->state = D_TIMED_OUT;
			ue.outstanding--;
			t.timeouts++;
			irq_restore(flags);
			kprintf("UDPECHO seq=%lu timeout\n",
				(unsigned long)old->seq);
			flags = irq_save();
			continue;
		}
		if (!net_poll(nif))	/* the echo may be in already */
			irq_wait();
	}
	/* Every datagram is answered or given up on, but a peer may still
	 * be sending: a second echo of the last datagram, say, if the
	 * network doubled it. Halting once lets it come (a host runs a
	 * guest with work before it wakes us with the next tick; lgref's
	 * hands the CPU to such a guest at once, host/core/run.c H:145),
	 * so that it is counted, not left to a closed port. */
	irq_wait();
	udpecho_drain(&t, flags);
	ue.active = false;
	udp_unbind(ns, port);
	irq_restore(flags);
	if (t.sent)
		udpecho_summary(&t);
	free(t.rtt);
}
