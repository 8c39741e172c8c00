/*
 * apps/hcall_bench.c: what an exit costs, seen from the guest, for
 * `make bench` (`hcbench` on the guest command line). Prints one
 * "BENCH name=value" line per figure; scripts/bench.py sets them next to
 * the host's own measurements from the same boot. Not part of any test.
 */
#include <stdint.h>
#include <stdio.h>

#include <lguest/lguest.h>

#include "../kernel/clock.h"
#include "../kernel/hcall.h"
#include "../kernel/palloc.h"
#include "../kernel/x86.h"
#include "hcall_bench.h"

#define NULL_CALLS 200000u
#define HOST_CALLS 20000u
#define FAULT_PAGES 1024u

/* Nanoseconds per operation, with three decimals, from TSC ticks. */
static void report(const char *name, uint64_t ticks, uint32_t ops)
{
	uint32_t khz = clock_tsc_khz();
	uint64_t ps = ticks * 1000000000ull / khz / ops;	/* picoseconds */

	printf("BENCH %s=%lu.%03lu\n", name, (unsigned long)(ps / 1000),
	       (unsigned long)(ps % 1000));
}

void hcall_bench_run(void)
{
	uint64_t t0;

	if (clock_tsc_khz() == 0) {
		printf("BENCH skipped: the host gave no tsc_khz\nBENCH done\n");
		return;
	}
	/* LHCALL_FLUSH_ASYNC with an empty ring: the host's short cut. */
	t0 = x86_rdtsc();
	for (uint32_t i = 0; i < NULL_CALLS; i++)
		hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0);
	report("guest_null_hypercall_ns", x86_rdtsc() - t0, NULL_CALLS);

	/* LHCALL_TS(0) with TS already clear: no effect, but it is served
	 * by host C code, so it pays for a full exit. */
	t0 = x86_rdtsc();
	for (uint32_t i = 0; i < HOST_CALLS; i++)
		hcall(LHCALL_TS, 0, 0, 0);
	report("guest_host_hypercall_ns", x86_rdtsc() - t0, HOST_CALLS);

	/* Page faults the host fixes without the guest seeing them. The
	 * first touch of a page also pays QEMU's cost for the first write to
	 * any RAM page, so we time a second round: FLUSH_TLB(1) drops every
	 * shadow mapping, and each touch faults again (so do the few code and
	 * stack pages the loop uses, a small overestimate). */
	volatile uint8_t *pages = palloc_pages(FAULT_PAGES);
	if (pages) {
		t0 = x86_rdtsc();
		for (uint32_t i = 0; i < FAULT_PAGES; i++)
			pages[i * PAGE_SIZE] = 1;
		report("guest_first_touch_ns", x86_rdtsc() - t0, FAULT_PAGES);
		hcall(LHCALL_FLUSH_TLB, 1, 0, 0);
		t0 = x86_rdtsc();
		for (uint32_t i = 0; i < FAULT_PAGES; i++)
			pages[i * PAGE_SIZE] = 2;
		report("guest_shadow_fault_ns", x86_rdtsc() - t0, FAULT_PAGES);
		for (uint32_t i = 0; i < FAULT_PAGES; i++)
			palloc_free_page((void *)(pages + i * PAGE_SIZE));
	}
	printf("BENCH done\n");
}
