/*
 * host/core/segments.c: the guest's GDT and its ring-1 stack. The guest keeps a
 * 32-entry copy in struct guest; every change is fixed up (DPL 0 becomes 1,
 * the accessed bit is set, docs/abi.md §4.8) and written into the CPU page
 * with the host-owned entries 10 and 11 in place, so the guest can never
 * name a ring-0 segment.
 */
#include "rules/check.h"
#include "arch/cpu.h"
#include "core/segments.h"

static void write_cpu_gdt(struct guest *g)
{
	uint64_t *gdt = (uint64_t *)(g->cpu_page + CPU_PAGE_GDT);

	for (unsigned i = 0; i < GDT_ENTRIES; i++) {
		if (gdt_entry_host_owned(i))
			gdt[i] = cpu_host_descriptor(i);
		else
			gdt[i] = ((uint64_t)g->gdt_hi[i] << 32) | g->gdt_lo[i];
	}
	/* Entry 16 (the TSS) stays as the host left it: zero. TR was loaded
	 * once in the host GDT and is never reloaded from this one. */
	gdt[GDT_ENTRY_TSS] = 0;
}

void segments_init(struct guest *g)
{
	gdt_init(g->gdt_lo, g->gdt_hi);
	write_cpu_gdt(g);
}

int segments_load_gdt(struct guest *g, uint32_t table_gpa, uint32_t count)
{
	uint32_t table[GDT_ENTRIES * 2];
	char err[128];

	if (check_gdt_count(count, err, sizeof(err))) {
		guest_kill(g, "LOAD_GDT: %s", err);
		return -1;
	}
	if (gmem_read(&g->mem, gpa(table_gpa), table, count * 8)) {
		guest_kill(g, "LOAD_GDT: table at %#x (%u entries) is outside "
			   "guest memory", table_gpa, count);
		return -1;
	}
	gdt_load(g->gdt_lo, g->gdt_hi, table, count, err, sizeof(err));
	write_cpu_gdt(g);
	return 0;
}

int segments_load_tls(struct guest *g, uint32_t tls_gpa)
{
	uint32_t tls[GDT_ENTRY_TLS_ENTRIES * 2];

	if (gmem_read(&g->mem, gpa(tls_gpa), tls, sizeof(tls))) {
		guest_kill(g, "LOAD_TLS: descriptors at %#x are outside guest "
			   "memory", tls_gpa);
		return -1;
	}
	gdt_load_tls(g->gdt_lo, g->gdt_hi, tls);
	write_cpu_gdt(g);
	return 0;
}

int segments_set_stack(struct guest *g, uint32_t ss, uint32_t esp,
		       uint32_t pages)
{
	char err[128];

	if (check_set_stack(ss, esp, pages, err, sizeof(err))) {
		guest_kill(g, "SET_STACK: %s", err);
		return -1;
	}
	/* The 2.6.23 host keeps the selector in 8 bits (docs/abi.md §4.9). */
	g->ss1 = ss & 0xFF;
	g->esp1 = esp;
	g->stack_pages = pages;
	struct x86_tss *tss = (struct x86_tss *)(g->cpu_page + CPU_PAGE_TSS);
	tss->ss1 = (uint16_t)g->ss1;
	tss->esp1 = esp;
	return 0;
}
