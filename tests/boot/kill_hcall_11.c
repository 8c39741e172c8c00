/*
 * tests/boot/kill_hcall_11.c: hypercall 11 was GET_WALLCLOCK in 2.6.23-rc1
 * and is unassigned in the release (spec §3.2, §11); a release host kills
 * a guest that makes it ("Bad hypercall 11").
 */
#include <stdio.h>

#include "../../kernel/app.h"

void app_main(void)
{
	printf("TEST kill_hcall_11 START\n");
	printf("making hypercall 11 (GET_WALLCLOCK in 2.6.23-rc1 only)\n");
	fflush(stdout);
	hcall(LHCALL_UNASSIGNED_11, 0, 0, 0);
	printf("FAIL %s:%d: hypercall 11 was not fatal\n", __FILE__, __LINE__);
	fflush(stdout);
}
