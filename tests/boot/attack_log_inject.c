/*
 * tests/boot/attack_log_inject.c: security review proof of concept.
 *
 * The host prints a crashed guest's CRASH message on its diagnostic
 * channel as it is (host/core/run.c report_end(): "guest %u: %s\n" with
 * g->reason = "CRASH: <128 guest bytes>"). A message holding a newline
 * writes whole lines of the guest's choosing into the host's log: here a
 * forged "guest 1: powered off" for a guest that does not even exist and a
 * forged exit-status line. Whatever reads the log (people, check.py's
 * @diag patterns, scripts/blk_durability.py's BLKACK lines, tools/lguest's
 * relayed stderr) cannot tell them from the host's own.
 */
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/lguest.h"

void app_main(void)
{
	printf("TEST attack_log_inject START\n");
	fflush(stdout);
	lguest_crash("boom\nguest 1: powered off\n"
		     "lgref host: no guest left, exiting with status 0x10");
}
