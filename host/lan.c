/*
 * host/lan.c: --sharenet networks (host/lan.h): a named host page per LAN
 * and the table of who holds which slot in it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lan.h"
#include "log.h"
#include "palloc.h"

#define NO_OWNER 0xFF

struct lan {
	char name[LAUNCH_ARGS_NAME_MAX]; /* "" = unused */
	uint8_t *page;			 /* the network page, all guests */
	uint8_t owner[LGUEST_NET_SLOTS_PER_PAGE]; /* guest id or NO_OWNER */
};

static struct lan lans[LAN_MAX];

static struct lan *find_lan(const char *name)
{
	for (unsigned i = 0; i < LAN_MAX; i++)
		if (lans[i].name[0] && strcmp(lans[i].name, name) == 0)
			return &lans[i];
	return NULL;
}

/* The (skip + 1)-th free slot of l (of a new LAN if l is NULL), or -1. */
static int nth_free(const struct lan *l, unsigned skip)
{
	for (unsigned s = 0; s < LGUEST_NET_SLOTS_PER_PAGE; s++)
		if ((!l || l->owner[s] == NO_OWNER) && skip-- == 0)
			return (int)s;
	return -1;
}

int lan_free_slot(const char *name, unsigned taken, char *err,
		  size_t errlen)
{
	struct lan *l = find_lan(name);
	bool room = l != NULL;

	for (unsigned i = 0; i < LAN_MAX && !room; i++)
		room = !lans[i].name[0];
	if (!room) {
		snprintf(err, errlen, "--sharenet=%s: too many networks (at "
			 "most %u)", name, LAN_MAX);
		return -1;
	}
	int slot = nth_free(l, taken);
	if (slot < 0)
		snprintf(err, errlen, "--sharenet=%s: all %u slots are taken",
			 name, LGUEST_NET_SLOTS_PER_PAGE);
	return slot;
}

int lan_join(struct guest *g, unsigned index, uint32_t pfn, const char *name,
	     unsigned slot, char *err, size_t errlen)
{
	struct lan *l = find_lan(name);

	if (!l) {
		for (unsigned i = 0; i < LAN_MAX && !l; i++)
			if (!lans[i].name[0])
				l = &lans[i];
		if (!l) {
			snprintf(err, errlen, "--sharenet=%s: too many networks",
				 name);
			return -1;
		}
		/* A new LAN starts as the Launcher's new file did: one page
		 * of zeroes, every slot unused. */
		l->page = palloc_page();
		if (!l->page) {
			snprintf(err, errlen, "--sharenet=%s: host out of "
				 "memory", name);
			return -1;
		}
		memset(l->page, 0, 4096);
		memset(l->owner, NO_OWNER, sizeof(l->owner));
		snprintf(l->name, sizeof(l->name), "%s", name);
	}
	if (slot >= LGUEST_NET_SLOTS_PER_PAGE || l->owner[slot] != NO_OWNER ||
	    gmem_share_page(&g->mem, pfn, l->page)) {
		snprintf(err, errlen, "--sharenet=%s: slot %u is not free", name,
			 slot);
		return -1;
	}
	l->owner[slot] = (uint8_t)g->id;
	hlog("guest %u: network device %u (--sharenet=%s): slot %u, key %#lx, "
	     "irq %u\n", g->id, index, name, slot,
	     (unsigned long)LGUEST_NET_SLOT_KEY(pfn * 4096ul, slot),
	     LGUEST_DEVICE_IRQ(index));
	return 0;
}

void lan_guest_done(struct guest *g)
{
	for (unsigned i = 0; i < LAN_MAX; i++) {
		struct lan *l = &lans[i];
		if (!l->name[0])
			continue;
		for (unsigned s = 0; s < LGUEST_NET_SLOTS_PER_PAGE; s++) {
			if (l->owner[s] != g->id)
				continue;
			l->owner[s] = NO_OWNER;
			memset(l->page + s * LGUEST_NET_SIZEOF, 0,
			       LGUEST_NET_SIZEOF);
		}
	}
}
