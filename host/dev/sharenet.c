/*
 * host/dev/sharenet.c: --sharenet networks (docs/abi.md §8.3, host/dev/
 * sharenet.h). The 2.6.23 Launcher mapped one page of a shared file over
 * the guest's network device page and took a free slot with a file lock;
 * here a LAN is one host page, named by the option's value, that every
 * guest on it sees at its device page (gmem_share_page()), and the slot
 * table is ours. Traffic does not come through here: guests send to each
 * other with SEND_DMA to keys in the shared page, which the core routes
 * (host/core/dma_peer.c).
 */
#include <lguest/lguest.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arch/log.h"
#include "arch/palloc.h"
#include "dev/sharenet.h"
#include "rules/launch_args.h"

/* LANs one host can hold (one per distinct --sharenet name). */
#define LAN_MAX 16
#define NO_OWNER 0xFF

struct lan {
	char name[LAUNCH_ARGS_NAME_MAX]; /* "" = unused */
	uint8_t *page;			 /* the network page, all guests */
	uint8_t owner[LGUEST_NET_SLOTS_PER_PAGE]; /* guest id or NO_OWNER */
	unsigned members;		 /* slots owned */
};

/* One guest's device on a LAN. */
struct member {
	bool used;
	struct lan *lan;
	unsigned slot;
};

static struct lan lans[LAN_MAX];
static struct member members[MAX_LGUEST_GUESTS * LGUEST_MAX_DEVICES];

static struct lan *find_lan(const char *name)
{
	for (unsigned i = 0; i < LAN_MAX; i++)
		if (lans[i].name[0] && strcmp(lans[i].name, name) == 0)
			return &lans[i];
	return NULL;
}

/* A new LAN starts as the Launcher's new file did: one page of zeroes,
 * every slot unused. NULL with err when there is no room. */
static struct lan *new_lan(const char *name, char *err, size_t errlen)
{
	struct lan *l = NULL;

	for (unsigned i = 0; i < LAN_MAX && !l; i++)
		if (!lans[i].name[0])
			l = &lans[i];
	if (!l) {
		snprintf(err, errlen, "--sharenet=%s: too many networks (at "
			 "most %u)", name, LAN_MAX);
		return NULL;
	}
	l->page = palloc_page();
	if (!l->page) {
		snprintf(err, errlen, "--sharenet=%s: host out of memory", name);
		return NULL;
	}
	memset(l->owner, NO_OWNER, sizeof(l->owner));
	l->members = 0;
	snprintf(l->name, sizeof(l->name), "%s", name);
	return l;
}

/*H:860 A --sharenet device takes the lowest free slot of its LAN (making
 * the LAN if it is new) at once, before the guest's memory exists, so
 * that a guest's second device on the same LAN takes the next one; the
 * slot number goes into the descriptor's features, as in 2.6.23. :*/
static int sharenet_reserve(struct device *d, const char *value, char *err,
			    size_t errlen)
{
	struct member *m = NULL;
	struct lan *l;
	unsigned s;

	if (*value == '\0') {
		snprintf(err, errlen, "--sharenet needs a name");
		return -1;
	}
	for (unsigned i = 0; i < sizeof(members) / sizeof(members[0]) && !m; i++)
		if (!members[i].used)
			m = &members[i];
	l = find_lan(value);
	if (!l && !(l = new_lan(value, err, errlen)))
		return -1;
	for (s = 0; s < LGUEST_NET_SLOTS_PER_PAGE && l->owner[s] != NO_OWNER; s++)
		;
	if (s == LGUEST_NET_SLOTS_PER_PAGE || !m) {
		snprintf(err, errlen, "--sharenet=%s: all %u slots are taken",
			 value, LGUEST_NET_SLOTS_PER_PAGE);
		if (l->members == 0) {		/* we just made it */
			palloc_free_page(l->page);
			memset(l, 0, sizeof(*l));
		}
		return -1;
	}
	l->owner[s] = (uint8_t)guest_id(d->g);
	l->members++;
	m->used = true;
	m->lan = l;
	m->slot = s;
	d->priv = m;
	d->features = (uint16_t)(s | LGUEST_NET_F_NOCSUM);
	d->num_pages = 1;
	return 0;
}

/* The LAN's page becomes the guest's device page. */
static int sharenet_attach(struct device *d, char *err, size_t errlen)
{
	struct member *m = d->priv;
	uint32_t pfn = gpa_val(d->page) / GMEM_PAGE_SIZE;

	if (gmem_share_page(guest_mem(d->g), pfn, m->lan->page)) {
		snprintf(err, errlen, "--sharenet=%s: cannot share its page "
			 "(too many shared pages in one guest)", m->lan->name);
		return -1;
	}
	hlog("guest %u: network device %u (--sharenet=%s): slot %u, key %#lx, "
	     "irq %u\n", guest_id(d->g), d->index, m->lan->name, m->slot,
	     (unsigned long)LGUEST_NET_SLOT_KEY(gpa_val(d->page), m->slot),
	     LGUEST_DEVICE_IRQ(d->index));
	return 0;
}

/* The guest is gone: free its slot and clear its MAC from it, so that the
 * others stop sending to it (as if its interface had been closed); the
 * last guest to leave a LAN takes the LAN with it. */
static void sharenet_detach(struct device *d)
{
	struct member *m = d->priv;

	if (!m)
		return;
	struct lan *l = m->lan;
	l->owner[m->slot] = NO_OWNER;
	memset(l->page + m->slot * LGUEST_NET_SIZEOF, 0, LGUEST_NET_SIZEOF);
	if (--l->members == 0) {
		palloc_free_page(l->page);
		memset(l, 0, sizeof(*l));
	}
	m->used = false;
	d->priv = NULL;
}

/* The pages of the LANs that exist now: one each, for the ledger. */
static size_t sharenet_pages_held(void)
{
	size_t n = 0;

	for (unsigned i = 0; i < LAN_MAX; i++)
		n += lans[i].page != NULL;
	return n;
}

const struct device_ops sharenet_device = {
	.name = "sharenet",
	.option = "sharenet",
	.type = LGUEST_DEVICE_T_NET,
	.reserve_again = true,	/* a slot of the LAN of that name */
	.reserve = sharenet_reserve,
	.attach = sharenet_attach,
	.detach = sharenet_detach,
	.pages_held = sharenet_pages_held,
	/* No send(): its keys lie in the shared page, and the core sends
	 * those to the other guests on it. */
};
