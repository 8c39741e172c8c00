/*
 * tests/boot/kill_hcall_17.c: 17 is the first number past the last
 * hypercall (LHCALL_LOAD_TLS = 16); the host kills ("Bad hypercall 17")
 * and prints its flight recorder, whose last entry is this call with
 * these arguments (kill_hcall_17.expect).
 */
#include <stdio.h>

#include "../../kernel/app.h"

void app_main(void)
{
	printf("TEST kill_hcall_17 START\n");
	printf("making hypercall %d, one past the last\n", LHCALL_NR);
	fflush(stdout);
	hcall(LHCALL_NR, 0x1234, 0x5678, 0x9abc);
	printf("FAIL %s:%d: hypercall 17 was not fatal\n", __FILE__, __LINE__);
	fflush(stdout);
}
