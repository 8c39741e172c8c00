/*
 * host/core/respawn.c: --respawn (docs/host-design.md "Boot and command
 * lines"): a guest that stops is launched again, in its slot, from the
 * module and arguments it was first launched with; and the ledger of
 * pages, which the host checks before every re-launch, so that a launch
 * that kept even one page shows at once while the other guests run on.
 * The launch itself is host/core/guests.c's.
 */
#include <stdio.h>
#include <string.h>

#include "arch/clock.h"
#include "arch/log.h"
#include "arch/palloc.h"
#include "arch/x86.h"
#include "core/devices.h"
#include "core/guest.h"
#include "core/guests.h"
#include "core/respawn.h"

/* A guest started with --respawn: its module, kept to launch it again
 * (the boot loader's modules stay in memory, host/arch/palloc.c), and
 * how its launches ended. Indexed by guest id; outside struct guest,
 * which every launch clears. */
static struct respawn {
	bool on;		/* launch it again when it stops */
	const char *args;	/* its launcher arguments, as first given */
	const uint8_t *image, *initrd;
	size_t image_len, initrd_len;
	unsigned relaunches;	/* so far */
	unsigned powered_off, crashed, killed;	/* launches that ended so */
	bool load_failed;	/* the last re-launch failed to load */
	/* The back-off (H:076): when the last launch started, how many
	 * launches in a row lived less than SHORT_LIFE_NS, and, while one
	 * waits, when it is due. */
	uint64_t launched_tsc, launch_cost_tsc;
	unsigned short_lives;
	bool waiting;
	uint64_t due_tsc;
} respawns[MAX_LGUEST_GUESTS];

#define SHORT_LIFE_NS 100000000ull	/* 100 ms */
#define FIRST_WAIT_NS 10000000ull	/* 10 ms, doubled each time */
#define LONGEST_WAIT_NS 1000000000ull	/* 1 s */

/* The ledger: free pages before the first launch. */
static size_t ledger_start;

/* ------------------------------------------------ the ledger of pages */

void respawn_ledger_start(size_t free_pages)
{
	ledger_start = free_pages;
}

/* Pages the guests hold now: memory, switcher pages, shadow tables (a
 * stopped guest that gave everything back holds none), and what devices
 * took for them (a LAN's page). */
static size_t pages_held(void)
{
	size_t n = devices_pages_held();

	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		const struct guest *g = &guests[i];
		if (g->state == GUEST_FREE)
			continue;
		n += guest_mem_pages(g) + g->shadow_pages +
		     (g->switcher_pt != NULL) + (g->regs_page != NULL) +
		     (g->cpu_page != NULL);
	}
	return n;
}

bool respawn_ledger(size_t *free_pages, size_t *held, size_t *start)
{
	*free_pages = palloc_free_pages();
	*held = pages_held();
	*start = ledger_start;
	return *free_pages + *held == ledger_start;
}

/* ------------------------------------------------------------ respawn */

void respawn_keep(unsigned id, const char *args, const uint8_t *image,
		  size_t image_len, const uint8_t *initrd, size_t initrd_len)
{
	HOST_ASSERT(id < MAX_LGUEST_GUESTS);
	if (!guests[id].args.respawn)
		return;
	respawns[id] = (struct respawn){
		.on = true, .args = args, .image = image,
		.image_len = image_len, .initrd = initrd,
		.initrd_len = initrd_len, .launched_tsc = rdtsc(),
	};
}

/* Is a guest running that is not re-launched for ever (no --respawn, or
 * --respawn=N)? Those are the run's work; a bare --respawn lasts as long
 * as it does. */
static bool work_running(const struct guest *self)
{
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		const struct guest *o = &guests[i];
		if (o == self || o->state == GUEST_FREE || guest_dead(o))
			continue;
		if (!o->args.respawn || o->args.respawn_max)
			return true;
	}
	return false;
}

/*H:075 --respawn: a guest that stops (powers off, crashes or is killed)
 * is launched again, in the same slot (so with the same id), from the
 * same module and arguments, with "relaunch=N" added to its command line
 * so that it can tell which launch it is. Only once guest_release() gave
 * back everything the last launch held; and first the host checks its
 * ledger: free pages plus the pages every guest and device holds must be
 * what was free before the first launch, so a launch that leaked even a
 * page shows at once. Its devices are reserved again as they were: a LAN
 * slot by the LAN's name, the console by the id; a guest with a disk or
 * a tun device cannot have --respawn at all (device_ops.reserve_again):
 * those take the host's next disk or NIC each time. :*/
static int relaunch(struct guest *g, struct respawn *r, char *args,
		    size_t size);

/*H:076 A guest that dies at once would otherwise be launched again at
 * once, on every turn of the scheduler, and a launch runs with every other
 * guest stopped (it took 325 ms for 1 GiB when launches zeroed the whole
 * memory; now memory is zeroed a page at a time on first use), so the
 * guests beside it would hardly run (tests/poc/respawn_starve: 4%).
 * A launch that lived less than 100 ms makes the next one wait: 10 ms,
 * then twice as long each time in a row, up to 1 s; and at least nine
 * times what the last launch itself took, so that re-launching takes at
 * most a tenth of the machine. The alarm wakes the host for it. :*/
static bool back_off(struct respawn *r)
{
	uint64_t now = rdtsc();

	if (r->waiting)
		goto wait;
	if (now - r->launched_tsc >= clock_ns_to_tsc(SHORT_LIFE_NS)) {
		r->short_lives = 0;
		return false;
	}
	r->short_lives++;
	uint64_t ns = FIRST_WAIT_NS << (r->short_lives < 8 ? r->short_lives - 1 : 7);
	if (ns > LONGEST_WAIT_NS)
		ns = LONGEST_WAIT_NS;
	uint64_t wait = clock_ns_to_tsc(ns);
	if (wait < 9 * r->launch_cost_tsc)
		wait = 9 * r->launch_cost_tsc;
	r->due_tsc = now + wait;
	r->waiting = true;
wait:
	if (now < r->due_tsc) {
		clock_arm(r->due_tsc);
		return true;
	}
	r->waiting = false;
	return false;
}

bool respawn_waiting(const struct guest *g)
{
	return respawns[g->id].on && respawns[g->id].waiting;
}

int respawn_relaunch(struct guest *g)
{
	struct respawn *r = &respawns[g->id];
	static char args[4096 + 32];

	if (!r->on)
		return 0;
	if (!r->waiting) {	/* its end, counted once */
		r->powered_off += g->state == GUEST_POWERED_OFF;
		r->crashed += g->state == GUEST_CRASHED;
		r->killed += g->state == GUEST_KILLED;
	}
	/* Asked again on every pass of a back-off: the work may end while
	 * the re-launch waits, and then there is none. */
	if (g->args.respawn_max && r->relaunches >= g->args.respawn_max) {
		hlog("guest %u: --respawn=%u: relaunched %u times, not again\n",
		     g->id, (unsigned)g->args.respawn_max, r->relaunches);
		r->on = r->waiting = false;
		return 0;
	}
	if (!g->args.respawn_max && !work_running(g)) {
		hlog("guest %u: --respawn: no guest without it runs any more; "
		     "not relaunched\n", g->id);
		r->on = r->waiting = false;
		return 0;
	}
	if (back_off(r))
		return 2;
	return relaunch(g, r, args, sizeof(args));
}

/* Launch g again now, from r (the ledger checked first); 1 or -1. */
static int relaunch(struct guest *g, struct respawn *r, char *args,
		    size_t size)
{
	size_t free_pages, held, start;

	r->relaunches++;
	bool even = respawn_ledger(&free_pages, &held, &start);
	hlog("guest %u: relaunch %u (--respawn): %lu pages free and %lu held "
	     "by guests and devices, %lu in all, %s\n", g->id, r->relaunches,
	     (unsigned long)free_pages, (unsigned long)held,
	     (unsigned long)(free_pages + held),
	     even ? "as before the first launch" :
	     free_pages + held < start ? "FEWER than before the first launch "
	     "(leak)" : "MORE than before the first launch (freed twice?)");
	int n = snprintf(args, size, "%s relaunch=%u", r->args, r->relaunches);
	if (n < 0 || (size_t)n >= size) {
		hlog("lguest: guest %u: --respawn: its arguments are too long to "
		     "add relaunch=%u\n", g->id, r->relaunches);
		r->on = false;
		r->load_failed = true;
		g->state = GUEST_FREE;
		return -1;
	}
	uint64_t start_tsc = rdtsc();
	int failed = guest_launch_in(g, args, r->image, r->image_len,
				     r->initrd, r->initrd_len);
	r->launched_tsc = rdtsc();
	r->launch_cost_tsc = r->launched_tsc - start_tsc;
	if (failed) {
		r->on = false;
		r->load_failed = true;
		return -1;
	}
	return 1;
}

void respawn_report(bool *killed, bool *crashed)
{
	*killed = *crashed = false;
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		const struct respawn *r = &respawns[i];
		if (!r->args)
			continue;
		hlog("guest %u: launched %u times (--respawn): %u powered off, "
		     "%u crashed, %u killed%s\n", i, r->relaunches + 1,
		     r->powered_off, r->crashed, r->killed,
		     r->load_failed ? ", the last relaunch failed to load" : "");
		*killed |= r->killed != 0;
		*crashed |= r->crashed != 0;
	}
}
