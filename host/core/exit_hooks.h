/*
 * host/core/exit_hooks.h: where a served exit's time goes, for `make
 * bench`: the run loop's two hooks and the report when a guest stops; and
 * the world switch alone, timed with no host C work at all.
 *
 * Only build/host-prof.elf measures (compiled with LGREF_EXIT_PROFILE): the
 * switcher stamps the TSC at four points (EXIT_STAMP_* in
 * host/arch/switcher.h) and the run loop at two more through these hooks,
 * so a served hypercall splits into the %cr3 load into the guest, the
 * guest's own part up to the trap, the %cr3 load back, the return into C,
 * and the host's C code. host/prof/exit_profile.c implements them. The
 * shipped host.elf has none of this in its exit path: the hooks are empty
 * inline functions there.
 *
 * build/host-bare.elf (compiled with LGREF_BARE_SWITCH) answers an
 * initialised guest's LHCALL_TS(0) by entering it again at once, when its
 * TS flag is already clear and the call therefore changes nothing: no
 * hypercall is served, no interrupt looked for, nothing recorded. The
 * benchmark guest's loop of LHCALL_TS(0) then times the switcher's round
 * trip and the return into and out of the C run loop, the part of every
 * served exit that no host C code can shorten (`make bench`,
 * docs/host-design.md "Where the unmet goals stop"). It is for measuring
 * only, and a guest can tell: it waits a little longer for interrupts,
 * the short way's exits are neither counted nor logged, and calls it
 * queued on the async ring run only at the next exit the host serves
 * (so a queued TS(1) before a direct TS(0) ends with TS set; the benchmark
 * queues none). tools/lguest never starts it.
 */
#ifndef LGREF_HOST_EXIT_HOOKS_H
#define LGREF_HOST_EXIT_HOOKS_H

#include <stdbool.h>

struct guest;

#ifdef LGREF_EXIT_PROFILE
/* Just before switcher_run(): ends the host's C part of the last counted
 * exit and notes when this entry began. */
void exit_profile_entry(void);

/* Just after switcher_run(): a hypercall exit is counted, other exits
 * ignored. */
void exit_profile_exit(const struct guest *g);

/* Print "EXITPROF stage_ns=median" lines for the exits counted since the
 * last report (every guest's), then start again. */
void exit_profile_report(const struct guest *g);
#else
static inline void exit_profile_entry(void) {}
static inline void exit_profile_exit(const struct guest *g) { (void)g; }
static inline void exit_profile_report(const struct guest *g) { (void)g; }
#endif

#ifdef LGREF_BARE_SWITCH
#include <lguest/lguest.h>

#include "core/guest.h"

/* How many exits exit_bare_again() answered, per guest slot
 * (host/prof/bare_switch.c). */
extern unsigned long exit_bare_answered[MAX_LGUEST_GUESTS];

/* Just after switcher_run(): true if this exit was answered by entering
 * the guest again at once. Inline, and its counter on the exit path's hot
 * data page, so that it adds no page of its own to what it measures. */
static inline bool exit_bare_again(const struct guest *g)
{
	const struct guest_regs *r = g->regs;
	bool bare = r->trapnum == LGUEST_TRAP_ENTRY && r->eax == LHCALL_TS &&
		    r->edx == 0 && !g->ts && g->initialised;

	exit_bare_answered[g->id] += bare;
	return bare;
}

/* "guest N: M LHCALL_TS(0) answered by entering again at once". */
void exit_bare_report(const struct guest *g);
#else
static inline bool exit_bare_again(const struct guest *g)
{
	(void)g;
	return false;
}
static inline void exit_bare_report(const struct guest *g) { (void)g; }
#endif

#endif
