/*
 * host/prof/bare_switch.c: the counter and the report of build/host-bare.elf,
 * the host that answers a guest's LHCALL_TS(0) by entering it again at once
 * (host/core/exit_hooks.h says why). Linked into host-bare.elf only;
 * scripts/exit_profile_check.py (`make check`) reads the report to see that
 * the benchmark's calls took that way.
 */
#include "arch/hot.h"
#include "arch/log.h"
#include "core/exit_hooks.h"

EXIT_HOT_DATA unsigned long exit_bare_answered[MAX_LGUEST_GUESTS];

void exit_bare_report(const struct guest *g)
{
	hlog("guest %u: %lu LHCALL_TS(0) answered by entering again at once "
	     "(host-bare.elf)\n", g->id, exit_bare_answered[g->id]);
	exit_bare_answered[g->id] = 0;	/* the slot's next launch */
}
