/*
 * apps/hcall_bench.h: exit costs measured from the guest (`hcbench`).
 */
#ifndef LGREF_APPS_HCALL_BENCH_H
#define LGREF_APPS_HCALL_BENCH_H

/* Print BENCH lines for a null hypercall, a hypercall served by the
 * host, and a page fault the host's shadow pager fixes. */
void hcall_bench_run(void);

#endif
