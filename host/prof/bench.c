/*
 * host/prof/bench.c: the host's own measurements for `make bench`, printed on
 * the diagnostic channel as "BENCH name=value" lines: the cost of loading
 * %cr3 (QEMU flushes its whole software TLB) and of a bare ring-1 to ring-0
 * trap and iret. Run only when the host command line says "bench".
 */
#include <lguest/lguest.h>

#include "prof/bench.h"
#include "arch/clock.h"
#include "arch/cpu.h"
#include "arch/log.h"
#include "arch/paging.h"
#include "arch/palloc.h"
#include "arch/switcher.h"
#include "arch/x86.h"

#define ROUNDS 20000u

uint64_t bench_ring1_int_iret(uint32_t n);
extern const char bench_iret_stub[], bench_return_stub[];

static uint32_t ns_per_round(uint64_t ticks)
{
	return (uint32_t)(clock_tsc_to_ns(ticks) * 1000u / ROUNDS);
}

static uint64_t time_cr3_loads(void)
{
	uint64_t t0 = rdtsc();

	for (uint32_t i = 0; i < ROUNDS; i++)
		write_cr3(host_cr3);
	return rdtsc() - t0;
}

/* A private Switcher region whose TSS gives ring 0 a stack, so the ring-1
 * loop needs no guest. */
static uint64_t time_int_iret(void)
{
	uint32_t *pt = palloc_page();
	uint8_t *stack = palloc_page(), *cpu = palloc_page();

	if (!pt || !stack || !cpu)
		HOST_PANIC("bench: out of memory");
	pt[SWITCHER_CODE_PAGES] = (uint32_t)(uintptr_t)stack | PTE_RW | PTE_P;
	pt[SWITCHER_CODE_PAGES + 1] = (uint32_t)(uintptr_t)cpu | PTE_RW | PTE_P;
	struct x86_tss *tss = (struct x86_tss *)(cpu + CPU_PAGE_TSS);
	tss->esp0 = SWITCHER_REGS + 4096;
	tss->ss0 = LGUEST_SWITCHER_DS;
	tss->io_map_base = sizeof(*tss);
	paging_map_switcher((uint32_t)(uintptr_t)pt);
	cpu_set_host_gate(0x40, (uint32_t)(uintptr_t)bench_iret_stub, GUEST_PL);
	cpu_set_host_gate(0x41, (uint32_t)(uintptr_t)bench_return_stub, GUEST_PL);
	uint64_t ticks = bench_ring1_int_iret(ROUNDS);
	paging_map_switcher(0);
	palloc_free_page(pt);
	palloc_free_page(stack);
	palloc_free_page(cpu);
	return ticks;
}

void bench_host(void)
{
	/* The first round warms QEMU's translation cache. */
	time_cr3_loads();
	uint64_t cr3 = time_cr3_loads();
	time_int_iret();
	uint64_t trap = time_int_iret();
	hlog("BENCH host_cr3_load_ns=%lu.%03lu\n",
	     (unsigned long)(ns_per_round(cr3) / 1000),
	     (unsigned long)(ns_per_round(cr3) % 1000));
	hlog("BENCH host_int_iret_ring1_ns=%lu.%03lu\n",
	     (unsigned long)(ns_per_round(trap) / 1000),
	     (unsigned long)(ns_per_round(trap) % 1000));
}
