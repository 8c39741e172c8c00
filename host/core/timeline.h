/*
 * host/core/timeline.h: the boot timeline for `make bench`: a diagnostic
 * line for each milestone of start-up (host_main, the first entry into
 * guest 0, its LGUEST_INIT...), printed only when the host command line
 * says "bench". scripts/bench.py reads them.
 */
#ifndef LGREF_HOST_TIMELINE_H
#define LGREF_HOST_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

/* "bench" on the host command line. */
extern bool timeline_on;

/* Print "TIMELINE <event>_us=<microseconds since QEMU's TSC 0>" (QEMU
 * starts its TSC near 0 when it creates the machine). */
void timeline_mark(const char *event, uint64_t tsc);

#endif
