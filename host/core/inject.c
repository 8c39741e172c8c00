/*
 * host/core/inject.c: deliberate faults, for tests (host/core/inject.h,
 * host/core/device.h; docs/host-design.md "Fault injection").
 *
 * The host word inject=MODE[:N],... (host/rules/inject_args.c) turns modes
 * on. Every site that can inject asks inject_should() once per event, and
 * a counter per mode, over the whole host, says yes to every Nth: so a
 * run injects the same faults each time, with no randomness to seed.
 * The sites themselves are where the event happens: host/dev/block.c and
 * block_queue.c (blk-fail, blk-stall, blk-short), host/dev/tunnet.c and
 * host/core/dma_peer.c (net-*). The IRQ modes live here: guest_raise_irq()
 * asks inject_irq_hold(), and inject_poll() lets held IRQs go.
 *
 * What a guest sees is something a real disk, wire or host could do to
 * it: result 2, a frame that never came, came twice or came late, an
 * interrupt that came late. One mode goes further on purpose: blk-short
 * answers result 1 with a short used_len, which docs/abi.md §8.2 does
 * not allow (2.6.23 said 2 for a short transfer), to show that a guest
 * checks used_len rather than trusting the result. No mode makes the
 * host touch memory a request did not offer, or kill anyone.
 */
#include <stdio.h>
#include "arch/hot.h"
#include <string.h>

#include "arch/clock.h"
#include "arch/log.h"
#include "arch/x86.h"
#include "core/dma_peer.h"
#include "core/inject.h"
#include "rules/cmdline.h"

uint32_t inject_modes_on EXIT_HOT_DATA;
bool inject_irqs_on;

static struct inject_args args;

/* Per mode: events seen, events injected (by site), other outcomes. */
static struct {
	uint64_t events;
	uint64_t hit[INJECT_SITES];
	uint64_t note[3];
} count[INJECT_MODES];

/* Device IRQs held back, per guest (irq-delay, irq-coalesce). */
#define COALESCE_BOUND_MS 10u
static struct {
	uint32_t held;		/* IRQ bits held back */
	uint64_t release;	/* TSC: let them go then at the latest */
	unsigned events;	/* raised since the first was held */
} holds[MAX_LGUEST_GUESTS];
static unsigned nheld EXIT_HOT_DATA;		/* guests with held IRQs */
static uint64_t hold_tsc;	/* how long at most */
static struct {
	uint64_t raised;	/* device IRQs raised while on */
	uint64_t made;		/* IRQs made of them */
	uint64_t by_count;	/* ... when irq-coalesce's N was reached */
	uint64_t dropped;	/* ... held for a guest that stopped */
} irqs;

bool inject_count(enum inject_mode m, enum inject_site s)
{
	uint64_t n = ++count[m].events;

	if (n % args.n[m])
		return false;
	count[m].hit[s]++;
	return true;
}

uint32_t inject_n(enum inject_mode m)
{
	return args.n[m];
}

void inject_note(enum inject_mode m, unsigned what)
{
	if (what < 3)
		count[m].note[what]++;
}

void inject_frame_hold(struct inject_frame *f, const void *data,
		       uint32_t len)
{
	HOST_ASSERT(!f->full && len <= INJECT_FRAME_MAX);
	if (data != f->data)
		memcpy(f->data, data, len);
	f->len = len;
	f->since = rdtsc();
	f->full = true;
}

bool inject_frame_due(const struct inject_frame *f)
{
	uint64_t due = f->since +
		clock_ns_to_tsc((uint64_t)INJECT_REORDER_MS * 1000000u);

	if (rdtsc() >= due)
		return true;
	clock_arm(due);
	return false;
}

/* "every 5th block request", "every 2nd frame", "every block request". */
static void nth(char *out, size_t size, uint32_t n, const char *what)
{
	const char *suffix = n % 10 == 1 && n % 100 != 11 ? "st" :
			     n % 10 == 2 && n % 100 != 12 ? "nd" :
			     n % 10 == 3 && n % 100 != 13 ? "rd" : "th";

	if (n == 1)
		snprintf(out, size, "every %s", what);
	else
		snprintf(out, size, "every %lu%s %s", (unsigned long)n, suffix,
			 what);
}

/*H:900 Faults on purpose. A test that wants to see a guest cope with a
 * failing disk or a lossy network asks the host for it on its command
 * line, inject=blk-fail:5,net-drop:3: every 5th block request fails,
 * every 3rd frame the host moves is lost. Counters, not dice, decide, so
 * a test can predict the faults and check the guest saw every one. :*/
void inject_init(const char *cmdline)
{
	const char *v = cmdline_value(cmdline, "inject");
	char err[200], what[128];

	if (!v)
		return;
	if (inject_args_parse(v, &args, err, sizeof(err))) {
		hlog("%s; nothing is injected\n", err);
		return;
	}
	for (unsigned m = 0; m < INJECT_MODES; m++) {
		uint32_t n = args.n[m];
		if (!n)
			continue;
		inject_modes_on |= 1u << m;
		const char *name = inject_mode_name((enum inject_mode)m);
		switch ((enum inject_mode)m) {
		case INJECT_BLK_FAIL:
			nth(what, sizeof(what), n, "block request");
			hlog("inject: %s:%lu: %s fails (result 2, nothing "
			     "moved), and so does each retry of it sent right "
			     "after (a bad block)\n", name, (unsigned long)n,
			     what);
			break;
		case INJECT_BLK_STALL:
			nth(what, sizeof(what), n, "block request at the disk");
			hlog("inject: %s:%lu: %s is answered only at its "
			     "deadline (blkstall=), as a stalled disk's: result "
			     "2\n", name, (unsigned long)n, what);
			break;
		case INJECT_BLK_SHORT:
			nth(what, sizeof(what), n, "block read");
			hlog("inject: %s:%lu: %s moves only the first half of "
			     "its sectors: result 1, used_len short\n", name,
			     (unsigned long)n, what);
			break;
		case INJECT_NET_DROP:
		case INJECT_NET_DUP:
		case INJECT_NET_REORDER:
			nth(what, sizeof(what), n, "frame the host moves (tunnet "
			    "send and receive, guest to guest)");
			hlog("inject: %s:%lu: %s is %s\n", name, (unsigned long)n,
			     what, m == INJECT_NET_DROP ? "dropped" :
			     m == INJECT_NET_DUP ? "delivered twice" :
			     "held back and delivered after the next one on its "
			     "way (or after 100 ms)");
			break;
		case INJECT_IRQ_DELAY:
			hlog("inject: %s:%lu: device IRQs are raised %lu ms late "
			     "(the timer's are not)\n", name, (unsigned long)n,
			     (unsigned long)n);
			break;
		case INJECT_IRQ_COALESCE:
			hlog("inject: %s:%lu: a guest's device IRQs wait until "
			     "%lu have been raised, or %lu ms, and then come as "
			     "one\n", name, (unsigned long)n, (unsigned long)n,
			     (unsigned long)(args.n[INJECT_IRQ_DELAY]
					     ? args.n[INJECT_IRQ_DELAY]
					     : COALESCE_BOUND_MS));
			break;
		default:
			break;
		}
	}
	inject_irqs_on = args.n[INJECT_IRQ_DELAY] || args.n[INJECT_IRQ_COALESCE];
	hold_tsc = clock_ns_to_tsc((uint64_t)(args.n[INJECT_IRQ_DELAY]
		? args.n[INJECT_IRQ_DELAY] : COALESCE_BOUND_MS) * 1000000u);
}

/*H:910 An interrupt that comes late, or one for several events. A device
 * IRQ raised while irq-delay or irq-coalesce is on is held back: with the
 * others held for the same guest, until its time is up (irq-delay's
 * milliseconds, else 10 ms) or, with irq-coalesce:N, until N have been
 * raised. Then they all become pending at once. A guest whose driver
 * looks only at the event its IRQ was for loses the others; one that
 * sleeps until an IRQ sleeps longer, and must not give up too soon. :*/
bool inject_irq_hold(struct guest *g, unsigned irq)
{
	if (irq == LGUEST_TIMER_IRQ || guest_dead(g))
		return false;
	unsigned id = g->id;
	irqs.raised++;
	if (!holds[id].held) {
		holds[id].release = rdtsc() + hold_tsc;
		holds[id].events = 0;
		nheld++;
	}
	holds[id].held |= 1u << irq;
	holds[id].events++;
	if (args.n[INJECT_IRQ_COALESCE] &&
	    holds[id].events >= args.n[INJECT_IRQ_COALESCE]) {
		guest_set_pending(g, holds[id].held);
		holds[id].held = 0;
		nheld--;
		irqs.made++;
		irqs.by_count++;
		return true;
	}
	clock_arm(holds[id].release);
	return true;
}

EXIT_HOT_TEXT void inject_poll(void)
{
	if (nheld) {
		uint64_t now = rdtsc();
		for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
			struct guest *g = &guests[i];
			if (!holds[i].held)
				continue;
			if (g->state == GUEST_FREE || guest_dead(g)) {
				irqs.dropped += holds[i].events;
			} else if (now >= holds[i].release) {
				guest_set_pending(g, holds[i].held);
				irqs.made++;
			} else {
				clock_arm(holds[i].release);
				continue;
			}
			holds[i].held = 0;
			nheld--;
		}
	}
	if (inject_modes_on & (1u << INJECT_NET_REORDER))
		dma_peer_poll_held();
}

static void sites(char *out, size_t size, enum inject_mode m)
{
	snprintf(out, size, " (tunnet send %lu, tunnet receive %lu, guest to "
		 "guest %lu)", (unsigned long)count[m].hit[INJECT_SITE_TUNNET_TX],
		 (unsigned long)count[m].hit[INJECT_SITE_TUNNET_RX],
		 (unsigned long)count[m].hit[INJECT_SITE_PEER]);
}

static uint64_t hits(enum inject_mode m)
{
	uint64_t n = 0;

	for (unsigned s = 0; s < INJECT_SITES; s++)
		n += count[m].hit[s];
	return n;
}

void inject_report(void)
{
	char where[96];

	for (unsigned m = 0; m < INJECT_MODES; m++) {
		if (!(inject_modes_on & (1u << m)))
			continue;
		unsigned long n = (unsigned long)hits((enum inject_mode)m);
		unsigned long ev = (unsigned long)count[m].events;
		const uint64_t *note = count[m].note;
		sites(where, sizeof(where), (enum inject_mode)m);
		switch ((enum inject_mode)m) {
		case INJECT_BLK_FAIL:
			hlog("inject: blk-fail: %lu of %lu block requests failed, "
			     "and %lu retries of them\n", n, ev,
			     (unsigned long)note[0]);
			break;
		case INJECT_BLK_STALL:
			hlog("inject: blk-stall: %lu of %lu block requests at "
			     "the disk held to their deadline\n", n, ev);
			break;
		case INJECT_BLK_SHORT:
			hlog("inject: blk-short: %lu of %lu block reads cut "
			     "short\n", n, ev);
			break;
		case INJECT_NET_DROP:
			hlog("inject: net-drop: %lu of %lu frames dropped%s\n", n,
			     ev, where);
			break;
		case INJECT_NET_DUP:
			hlog("inject: net-dup: %lu of %lu frames delivered twice, "
			     "%lu copies found no free buffer%s\n", n, ev,
			     (unsigned long)note[0], where);
			break;
		case INJECT_NET_REORDER:
			hlog("inject: net-reorder: %lu of %lu frames held back: "
			     "%lu delivered after the next one, %lu alone after "
			     "%u ms, %lu found no free buffer then%s\n", n, ev,
			     (unsigned long)note[0], (unsigned long)note[1],
			     INJECT_REORDER_MS, (unsigned long)note[2], where);
			break;
		case INJECT_IRQ_DELAY:
			hlog("inject: irq-delay: %lu device IRQs raised, %lu ms "
			     "late, as %lu\n", (unsigned long)irqs.raised,
			     (unsigned long)args.n[m], (unsigned long)irqs.made);
			break;
		case INJECT_IRQ_COALESCE:
			hlog("inject: irq-coalesce: %lu device IRQs raised made "
			     "%lu (%lu when %lu had come, the rest at the time "
			     "bound); %lu held for guests that stopped\n",
			     (unsigned long)irqs.raised, (unsigned long)irqs.made,
			     (unsigned long)irqs.by_count,
			     (unsigned long)args.n[m],
			     (unsigned long)irqs.dropped);
			break;
		default:
			break;
		}
	}
}
