/*
 * tests/boot/fixture_high_offset.S: the smallest guest that powers off
 * cleanly, linked at page_offset 0xFF800000 (fixture_high_offset.ld), for
 * host_mem_unmapped.expect. Its initial page tables can map only 8 MiB,
 * less than the memory the test gives it, and the host must say so in the
 * guest's launch line. It makes LGUEST_INIT with an empty async ring, then
 * CRASH "Power down" (abi.md §3), and touches nothing else.
 */
#include <lguest/lguest.h>

#define PAGE_OFFSET 0xFF800000

	.text
	.ascii "GenuineLguest"
	.globl start
start:
	movl $LHCALL_LGUEST_INIT, %eax
	movl $(lguest_data - PAGE_OFFSET), %edx	/* guest-physical */
	int $LGUEST_TRAP_ENTRY
	movl $LHCALL_CRASH, %eax
	movl $(message - PAGE_OFFSET), %edx
	int $LGUEST_TRAP_ENTRY
1:	jmp 1b				/* CRASH never returns */

	.data
	.balign 4096
message:
	.asciz "Power down"
	.balign 128			/* the host reads 128 bytes */
	.balign 4096
lguest_data:				/* irq_enabled 0: interrupts off */
	.fill LGUEST_DATA_HCALL_STATUS, 1, 0
	.fill LHCALL_RING_SIZE, 1, LHCALL_STATUS_FREE	/* an empty ring */
	.fill 4096 - LGUEST_DATA_HCALL_STATUS - LHCALL_RING_SIZE, 1, 0
	.section .note.GNU-stack, "", @progbits
