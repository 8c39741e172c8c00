/*
 * tests/boot/kill_lguest_data_straddle.c: LHCALL_LGUEST_INIT with a
 * struct lguest_data that would run from the descriptor page into a
 * --sharenet page (docs/abi.md §14.1: the host keeps one pointer to
 * lguest_data, so it must be one piece of host memory; issue 11, hole
 * 1). Started with --sharenet as the first device, so the LAN page
 * follows the descriptor page at mem. app_before_init() runs just before
 * the kernel's own LGUEST_INIT and makes it first, 8 bytes before the
 * LAN page. The host must kill us; if it does not, app_main() says so.
 */
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"

void app_before_init(void)
{
	hcall(LHCALL_LGUEST_INIT, bootparams_mem_bytes() + 4096 - 8, 0, 0);
}

void app_main(void)
{
	printf("TEST kill_lguest_data_straddle START\n");
	printf("FAIL %s:%d: lguest_data across the LAN page was accepted\n",
	       __FILE__, __LINE__);
	fflush(stdout);
}
