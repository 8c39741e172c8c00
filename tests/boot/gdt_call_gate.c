/*
 * tests/boot/gdt_call_gate.c: a guest must never leave ring 1 through its
 * GDT. It loads a DPL-1 call gate whose target is the host's ring-0 code
 * selector (0x50) and a DPL-1 32-bit TSS descriptor (type 9, which the
 * 2.6.23 fix-ups leave intact), then jumps to the TSS, which would be a
 * hardware task switch with registers, %cs and %cr3 of its choosing. Our
 * host makes every system descriptor not-present (docs/abi.md §14), so the
 * jump raises #NP with the TSS selector as the error code and lands in our
 * panic path.
 */
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/x86.h"

#define GATE_ENTRY 20
#define TSS_ENTRY 21

static struct x86_desc gate_gdt[GDT_ENTRIES];
static uint8_t fake_tss[104] __attribute__((aligned(128)));

void app_main(void)
{
	uint32_t tss = (uint32_t)(uintptr_t)fake_tss;

	gate_gdt[GDT_ENTRY_KERNEL_CS] =
		(struct x86_desc){LGUEST_GDT_FLAT_LO, LGUEST_GDT_KERNEL_CS_HI};
	gate_gdt[GDT_ENTRY_KERNEL_DS] =
		(struct x86_desc){LGUEST_GDT_FLAT_LO, LGUEST_GDT_KERNEL_DS_HI};
	/* 32-bit call gate (type 0xC), DPL 1, to 0x50:0x00100000. */
	gate_gdt[GATE_ENTRY] = (struct x86_desc){
		(LGUEST_SWITCHER_CS << 16) | 0x0000, 0x0010AC00};
	/* Available 32-bit TSS (type 9), DPL 1, limit 103. */
	gate_gdt[TSS_ENTRY] = (struct x86_desc){
		(tss << 16) | 103, (tss & 0xFF000000) | ((tss >> 16) & 0xFF) | 0xA900};
	printf("TEST gdt_call_gate START\n");
	fflush(stdout);
	hcall(LHCALL_LOAD_GDT, gpa_val(virt_to_gpa(gate_gdt)), GDT_ENTRIES, 0);
	printf("jumping to a TSS descriptor in our GDT\n");
	fflush(stdout);
	__asm__ volatile("ljmp $0xA9, $0" ::: "memory");
	printf("FAIL %s:%d: the task switch returned\n", __FILE__, __LINE__);
	fflush(stdout);
}
