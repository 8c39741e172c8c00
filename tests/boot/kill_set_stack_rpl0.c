/*
 * tests/boot/kill_set_stack_rpl0.c: SET_STACK's selector must have RPL 1
 * (spec §3.2, §4.9). We pass the kernel data selector with RPL 0,
 * 0x68 | 0; the host kills the guest.
 */
#include <stdint.h>
#include <stdio.h>

#include "../../kernel/app.h"

#define BAD_SELECTOR ((LGUEST_KERNEL_DS & ~3u) | 0)

void app_main(void)
{
	printf("TEST kill_set_stack_rpl0 START\n");
	printf("SET_STACK with selector 0x%02x (RPL 0)\n",
	       (unsigned)BAD_SELECTOR);
	fflush(stdout);
	hcall(LHCALL_SET_STACK, BAD_SELECTOR,
	      (uint32_t)(uintptr_t)boot_stack_top, 1);
	printf("FAIL %s:%d: an RPL 0 stack selector was accepted\n",
	       __FILE__, __LINE__);
	fflush(stdout);
}
