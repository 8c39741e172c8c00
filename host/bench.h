/*
 * host/bench.h: the host's own measurements for `make bench`.
 */
#ifndef LGREF_HOST_BENCH_H
#define LGREF_HOST_BENCH_H

/* Print BENCH lines for the %cr3 load and the ring-1 int/iret costs. */
void bench_host(void);

#include <stdbool.h>
#include <stdint.h>

/* Set by "bench" on the host command line. */
extern bool bench_mode;

/* TSC at host_main(): QEMU starts its TSC near 0 when the machine is
 * created, so these read as time since QEMU started. */
extern uint64_t bench_tsc_host_main;

/* Print "TIMELINE <event>_us=<microseconds since QEMU's TSC 0>". */
void bench_timeline(const char *event, uint64_t tsc);

#endif
