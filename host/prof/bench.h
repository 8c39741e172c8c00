/*
 * host/prof/bench.h: the host's own measurements for `make bench` (the
 * boot timeline is the core's: host/core/timeline.h).
 */
#ifndef LGREF_HOST_BENCH_H
#define LGREF_HOST_BENCH_H

/* Print BENCH lines for the %cr3 load and the ring-1 int/iret costs.
 * Run after the guests, so that it skews no timeline. */
void bench_host(void);

#endif
