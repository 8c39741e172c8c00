/*
 * tests/boot/kill_hcall_before_init.c: LHCALL_LGUEST_INIT must be the
 * first hypercall (spec §1.6). app_before_init() runs just before it, and
 * makes LHCALL_FLUSH_ASYNC (0) instead. We cannot say so on the console
 * first: console output is a hypercall too. The host must kill us
 * ("hypercall 0 before LGUEST_INIT"); if it does not, app_main() reports
 * the failure.
 */
#include <stdio.h>

#include "../../kernel/app.h"

void app_before_init(void)
{
	hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0);
}

void app_main(void)
{
	printf("TEST kill_hcall_before_init START\n");
	printf("FAIL %s:%d: hypercall 0 before LGUEST_INIT was not fatal\n",
	       __FILE__, __LINE__);
	fflush(stdout);
}
