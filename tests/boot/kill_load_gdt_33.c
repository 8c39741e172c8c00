/*
 * tests/boot/kill_load_gdt_33.c: the GDT has 32 entries; LOAD_GDT with a
 * count above that kills the guest (spec §3.2). The table itself is real
 * and readable (33 flat entries), so the count is the only thing wrong.
 */
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/x86.h"

#define BAD_GDT_ENTRIES (GDT_ENTRIES + 1)

static struct x86_desc big_gdt[BAD_GDT_ENTRIES];

void app_main(void)
{
	big_gdt[GDT_ENTRY_KERNEL_CS] =
		(struct x86_desc){LGUEST_GDT_FLAT_LO, LGUEST_GDT_KERNEL_CS_HI};
	big_gdt[GDT_ENTRY_KERNEL_DS] =
		(struct x86_desc){LGUEST_GDT_FLAT_LO, LGUEST_GDT_KERNEL_DS_HI};
	printf("TEST kill_load_gdt_33 START\n");
	printf("LOAD_GDT with %d entries\n", BAD_GDT_ENTRIES);
	fflush(stdout);
	hcall(LHCALL_LOAD_GDT, gpa_val(virt_to_gpa(big_gdt)), BAD_GDT_ENTRIES,
	      0);
	printf("FAIL %s:%d: a 33-entry GDT was accepted\n", __FILE__, __LINE__);
	fflush(stdout);
}
