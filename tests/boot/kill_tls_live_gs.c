/*
 * tests/boot/kill_tls_live_gs.c: why the kernel clears %gs before
 * LOAD_TLS (spec §4.8, §4.5 "trap 256"). We load a usable TLS entry 6,
 * put its selector in %gs, and replace the entry with an empty (not
 * present) one *without* clearing %gs first. The host reloads %gs as it
 * re-enters us after the hypercall; the CPU refuses the selector inside
 * the Switcher, and the host kills the guest ("unhandled trap 256").
 */
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/x86.h"

static struct x86_desc tls[GDT_ENTRY_TLS_ENTRIES];
static uint32_t word = 0x600D600D;

void app_main(void)
{
	uint32_t v;

	printf("TEST kill_tls_live_gs START\n");
	tls[0] = x86_data_segment((uint32_t)(uintptr_t)&word, 0xFFFFF, 1);
	hcall(LHCALL_LOAD_TLS, gpa_val(virt_to_gpa(tls)), 0, 0);
	x86_set_gs(GDT_ENTRY_TLS_MIN * 8 + 1);
	__asm__ volatile("movl %%gs:0, %0" : "=r"(v));
	printf("gs=0x31 reads 0x%08lx; now LOAD_TLS with entry 6 empty, gs "
	       "still 0x31\n", (unsigned long)v);
	fflush(stdout);
	tls[0] = (struct x86_desc){0, 0};
	hcall(LHCALL_LOAD_TLS, gpa_val(virt_to_gpa(tls)), 0, 0);
	x86_set_gs(0);
	printf("FAIL %s:%d: the host re-entered us with a dead %%gs\n",
	       __FILE__, __LINE__);
	fflush(stdout);
}
