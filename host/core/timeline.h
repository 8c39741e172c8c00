/*
 * host/core/timeline.h: the boot timeline for `make bench`: a diagnostic
 * line for each milestone of start-up (host_main, the first entry into
 * guest 0, its LGUEST_INIT...), kept while the host starts and printed
 * after the guests, only when the host command line says "bench".
 * scripts/bench.py reads them.
 */
#ifndef LGREF_HOST_TIMELINE_H
#define LGREF_HOST_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

/* "bench" on the host command line. */
extern bool timeline_on;

/* Keep a mark: `event` (a string that lasts) happened at TSC `tsc`. The
 * first TIMELINE_MAX_MARKS are kept, the rest counted (a mark for the
 * host, one for each guest's first entry, one for guest 0's LGUEST_INIT;
 * respawns add entries). A host that panics does not print them. */
#define TIMELINE_MAX_MARKS 64
void timeline_mark(const char *event, uint64_t tsc);

/* Print each kept mark as "TIMELINE <event>_us=<microseconds since QEMU's
 * TSC 0>" (QEMU starts its TSC near 0 when it creates the machine), in
 * the order they were made, and forget them. */
void timeline_print(void);

#endif
