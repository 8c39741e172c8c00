/*
 * tests/boot/attack_trap_frame_edge.c: security PoC for the trap frame
 * written with one gmem copy (host/core/interrupts.c push_words()).
 *
 * The host writes the frame of a reflected trap at %esp - page_offset in
 * guest-physical memory. Here %esp is page_offset + 4 bytes past the end
 * of guest memory (RAM and the device descriptor page: no other device
 * has pages in this test), and ud2 raises #UD from ring 1: the 12-byte
 * frame (EFLAGS, CS, EIP) would lie at [limit - 8, limit + 4), its start
 * inside guest memory and its last word past it, in host memory. The
 * whole range must be checked: the guest is killed and nothing is
 * written. A check of the start alone (or a 32-bit end that wraps) would
 * write a word of host memory and run the guest's #UD handler, which
 * prints CRASH.
 */
#include <stdint.h>
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/layout.h"

void app_main(void)
{
	/* pfnlimit: RAM, then the device descriptor page (docs/abi.md §7.4) */
	uint32_t limit = vm_ram_bytes() + PAGE_SIZE;
	uint32_t esp = PAGE_OFFSET + limit + 4;

	printf("TEST attack_trap_frame_edge START\n");
	printf("ud2 with %%esp %#x: the frame would be at %#x..%#x, guest "
	       "memory ends at %#x\n", (unsigned)esp, (unsigned)(limit - 8),
	       (unsigned)(limit + 4), (unsigned)limit);
	fflush(stdout);
	__asm__ volatile("movl %0, %%esp\n\tud2" : : "r"(esp) : "memory");
	printf("FAIL %s:%d: came back from ud2\n", __FILE__, __LINE__);
	fflush(stdout);
}
