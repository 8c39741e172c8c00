/*
 * host/core/timeline.c: the boot timeline (host/core/timeline.h).
 *
 * Why the marks are kept, not printed: formatting a line is code QEMU has
 * never run (newlib's vsnprintf, the 64-bit division of the TSC
 * conversion), and translating it costs tenths of a millisecond. Printed
 * at the mark, it would land inside the very intervals the timeline
 * measures, and only in "bench" boots (docs/host-design.md "Boot").
 */
#include "arch/clock.h"
#include "arch/log.h"
#include "core/timeline.h"

bool timeline_on;

static struct {
	const char *event;
	uint64_t tsc;
} marks[TIMELINE_MAX_MARKS];
static unsigned nmarks, nlost;

void timeline_mark(const char *event, uint64_t tsc)
{
	if (!timeline_on)
		return;
	if (nmarks == TIMELINE_MAX_MARKS) {
		nlost++;
		return;
	}
	marks[nmarks].event = event;
	marks[nmarks].tsc = tsc;
	nmarks++;
}

void timeline_print(void)
{
	for (unsigned i = 0; i < nmarks; i++)
		hlog("TIMELINE %s_us=%lu\n", marks[i].event,
		     (unsigned long)(clock_tsc_to_ns(marks[i].tsc) / 1000));
	if (nlost)
		hlog("TIMELINE: %u marks not kept (at most %u)\n", nlost,
		     TIMELINE_MAX_MARKS);
	nmarks = nlost = 0;
}
