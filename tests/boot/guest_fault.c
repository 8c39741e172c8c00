/*
 * tests/boot/guest_fault.c: the guest's one fault path. We read an address
 * nothing maps; the host finds no translation in our page tables, reflects
 * the page fault, and kernel/trap.c must print
 *   PANIC: page fault (#14) err=0x... eip=0x... cr2=0xdead0000
 * and the registers, then crash through the host (its diagnostic channel
 * then shows "CRASH: PANIC: page fault ...").
 */
#include <stdint.h>
#include <stdio.h>

#include "../../kernel/app.h"

#define FAULT_ADDRESS 0xDEAD0000u /* below PAGE_OFFSET: never mapped */

void app_main(void)
{
	printf("TEST guest_fault START\n");
	printf("reading unmapped address 0x%08lx\n",
	       (unsigned long)FAULT_ADDRESS);
	fflush(stdout);
	uint32_t value = *(volatile uint32_t *)(uintptr_t)FAULT_ADDRESS;
	printf("FAIL %s:%d: read 0x%08lx and lived\n", __FILE__, __LINE__,
	       (unsigned long)value);
	fflush(stdout);
}
