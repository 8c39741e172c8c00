/*
 * host/arch/cpu.c: the host's GDT, IDT and TSS. The host uses the same code and
 * data selectors (0x50, 0x58) as the host-owned entries 10 and 11 of every
 * guest GDT, so the switcher never reloads %cs and the two GDTs can be
 * swapped with a bare lgdt. The TSS sits in the Switcher region (its
 * address is the same for every guest), so ltr runs once, here.
 */
#include <lguest/lguest.h>

#include "arch/cpu.h"
#include "arch/hot.h"
#include "arch/log.h"
#include "arch/switcher.h"
#include "arch/x86.h"

/* The switcher loads these and the segments from host_gdt on every exit. */
struct x86_dtr host_gdtr EXIT_HOT_DATA, host_idtr EXIT_HOT_DATA;
static uint64_t host_gdt[GDT_ENTRIES] __attribute__((aligned(8))) EXIT_HOT_DATA;
static uint64_t host_idt[256] __attribute__((aligned(8)));
extern const uint32_t host_stub_table[48];

#define ACCESS_PRESENT 0x80
#define ACCESS_CODE 0x1A /* code, readable (S=1) */
#define ACCESS_DATA 0x12 /* data, writable (S=1) */
#define ACCESS_ACCESSED 0x01
#define FLAGS_4K_32BIT 0xC

uint64_t cpu_make_descriptor(uint32_t base, uint32_t limit, uint32_t access,
			     uint32_t flags)
{
	uint32_t lo = (limit & 0xFFFF) | (base << 16);
	uint32_t hi = ((base >> 16) & 0xFF) | (access << 8) |
		      (limit & 0xF0000) | (flags << 20) | (base & 0xFF000000);
	return ((uint64_t)hi << 32) | lo;
}

uint64_t cpu_make_gate(uint32_t offset, uint16_t selector, unsigned type,
		       unsigned dpl)
{
	uint32_t lo = (offset & 0xFFFF) | ((uint32_t)selector << 16);
	uint32_t hi = (offset & 0xFFFF0000) | 0x8000 | (dpl << 13) | (type << 8);
	return ((uint64_t)hi << 32) | lo;
}

void cpu_set_host_gate(unsigned vector, uint32_t handler, unsigned dpl)
{
	host_idt[vector] = cpu_make_gate(handler, LGUEST_SWITCHER_CS,
					 GATE_TYPE_INT32, dpl);
}

uint64_t cpu_host_descriptor(unsigned index)
{
	return host_gdt[index];
}

/* The host's view of a trap frame (host/arch/entry.S pushes it). */
struct host_frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t vector, errcode, eip, cs, eflags;
};

void host_trap(struct host_frame *f);
void host_trap(struct host_frame *f)
{
	if (f->vector >= 32) {
		host_interrupt(f->vector);
		return;
	}
	HOST_PANIC("host exception %u err=%#x eip=%#x cr2=%#x eax=%#x "
		   "ebx=%#x ecx=%#x edx=%#x esi=%#x edi=%#x ebp=%#x",
		   f->vector, f->errcode, f->eip, read_cr2(), f->eax, f->ebx,
		   f->ecx, f->edx, f->esi, f->edi, f->ebp);
}

/*H:030 The host's CPU tables. Entries 10 and 11 are flat ring-0 code and
 * data; entry 16 is the TSS, which lives in the Switcher region at the same
 * address for every guest. The CPU only reads the TSS when a trap takes it
 * from ring 1 or 3 to ring 0, i.e. only while a guest runs. :*/
void cpu_init(void)
{
	/* Both with the accessed bit already set: each guest's read-only
	 * CPU page carries copies, and a CPU that had to set the bit there
	 * itself, loading one of them, would fault on the write. */
	host_gdt[GDT_ENTRY_SWITCHER_CS] = cpu_make_descriptor(
		0, 0xFFFFF, ACCESS_PRESENT | ACCESS_CODE | ACCESS_ACCESSED,
		FLAGS_4K_32BIT);
	host_gdt[GDT_ENTRY_SWITCHER_DS] = cpu_make_descriptor(
		0, 0xFFFFF, ACCESS_PRESENT | ACCESS_DATA | ACCESS_ACCESSED,
		FLAGS_4K_32BIT);
	/* Flat ring-1 code and data, as a guest starts with; the host uses
	 * them only to measure a bare ring-1 trap (host/prof/bench.c). */
	host_gdt[GDT_ENTRY_KERNEL_CS] = ((uint64_t)(LGUEST_GDT_KERNEL_CS_HI |
		LGUEST_GDT_ACCESSED) << 32) | LGUEST_GDT_FLAT_LO;
	host_gdt[GDT_ENTRY_KERNEL_DS] = ((uint64_t)(LGUEST_GDT_KERNEL_DS_HI |
		LGUEST_GDT_ACCESSED) << 32) | LGUEST_GDT_FLAT_LO;
	host_gdt[GDT_ENTRY_TSS] = cpu_make_descriptor(
		SWITCHER_CPU + CPU_PAGE_TSS, sizeof(struct x86_tss) - 1,
		ACCESS_PRESENT | DESC_TYPE_TSS32, 0);
	host_gdtr.limit = sizeof(host_gdt) - 1;
	host_gdtr.base = (uint32_t)(uintptr_t)host_gdt;
	lgdt(&host_gdtr);
	__asm__ volatile("ljmp %0, $1f\n1:\n"
			 "movl %1, %%eax\n"
			 "movl %%eax, %%ds\n movl %%eax, %%es\n"
			 "movl %%eax, %%ss\n"
			 "xorl %%eax, %%eax\n"
			 "movl %%eax, %%fs\n movl %%eax, %%gs\n"
			 :
			 : "i"(LGUEST_SWITCHER_CS), "i"(LGUEST_SWITCHER_DS)
			 : "eax", "memory");

	for (unsigned v = 0; v < 48; v++)
		host_idt[v] = cpu_make_gate(host_stub_table[v],
					    LGUEST_SWITCHER_CS,
					    GATE_TYPE_INT32, 0);
	host_idtr.limit = sizeof(host_idt) - 1;
	host_idtr.base = (uint32_t)(uintptr_t)host_idt;
	lidt(&host_idtr);

	ltr(GDT_ENTRY_TSS * 8);
	/* No SYSENTER while guests run (docs/abi.md §12), no global pages, and
	 * fxsave/fxrstor allowed for the guests' FPU state. */
	wrmsr(MSR_IA32_SYSENTER_CS, 0);
	write_cr4((read_cr4() & ~CR4_PGE) | CR4_OSFXSR);
}
