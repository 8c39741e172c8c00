/*
 * tests/boot/kill_pte_past_pfnlimit.c: a PTE the host applies must name a
 * frame below pfnlimit (spec §5.1, §5.2). SET_PTE applies a new value at
 * once when the host already shadows that address and the value has
 * Accessed (or Dirty) set. So we touch a page of our own BSS (now it is
 * shadowed) and report its PTE as pointing at frame 0xFFFFF, far above any
 * guest's memory, with Present, RW and Accessed. The host kills the guest.
 */
#include <stdint.h>
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/x86.h"

#define BAD_FRAME 0xFFFFFu

static volatile uint8_t victim[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

void app_main(void)
{
	uint32_t va = (uint32_t)(uintptr_t)victim;
	uint32_t pte = (BAD_FRAME << PAGE_SHIFT) | X86_PTE_PRESENT |
		       X86_PTE_RW | X86_PTE_ACCESSED;

	victim[0] = 1; /* fault it in: now the host shadows this page */
	printf("TEST kill_pte_past_pfnlimit START\n");
	printf("SET_PTE for 0x%08lx (just touched) with frame 0x%05lx: "
	       "pte=0x%08lx\n",
	       (unsigned long)va, (unsigned long)BAD_FRAME, (unsigned long)pte);
	fflush(stdout);
	victim[1] = 2; /* touch it again after the console's exits */
	hcall(LHCALL_SET_PTE, gpa_val(vm_pgdir()), va, pte);
	printf("FAIL %s:%d: a PTE past pfnlimit was accepted\n", __FILE__,
	       __LINE__);
	fflush(stdout);
}
