/*
 * tests/boot/kill_set_stack_rpl3.c: SET_STACK's selector must have RPL 1
 * (spec §3.2, §4.9). We pass the kernel data selector with RPL 3,
 * 0x68 | 3; the host kills the guest.
 */
#include <stdint.h>
#include <stdio.h>

#include "../../kernel/app.h"

#define BAD_SELECTOR ((LGUEST_KERNEL_DS & ~3u) | 3)

void app_main(void)
{
	printf("TEST kill_set_stack_rpl3 START\n");
	printf("SET_STACK with selector 0x%02x (RPL 3)\n",
	       (unsigned)BAD_SELECTOR);
	fflush(stdout);
	hcall(LHCALL_SET_STACK, BAD_SELECTOR,
	      (uint32_t)(uintptr_t)boot_stack_top, 1);
	printf("FAIL %s:%d: an RPL 3 stack selector was accepted\n",
	       __FILE__, __LINE__);
	fflush(stdout);
}
