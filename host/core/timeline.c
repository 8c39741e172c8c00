/*
 * host/core/timeline.c: the boot timeline (host/core/timeline.h).
 */
#include "arch/clock.h"
#include "arch/log.h"
#include "core/timeline.h"

bool timeline_on;

void timeline_mark(const char *event, uint64_t tsc)
{
	if (timeline_on)
		hlog("TIMELINE %s_us=%lu\n", event,
		     (unsigned long)(clock_tsc_to_ns(tsc) / 1000));
}
