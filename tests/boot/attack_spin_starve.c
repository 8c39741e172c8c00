/*
 * tests/boot/attack_spin_starve.c: a guest that never halts, beside a
 * guest that sleeps on its timer. The scheduler counts as runnable only
 * the guests that are not halted or have an IRQ that wakes them; when the
 * spinner is the only one, it runs "alone", unsliced (host/core/run.c
 * run_guest() with others false), and its turn ends only when it halts.
 * The sleeper's timer IRQ then becomes pending during that turn, but
 * nothing ends the turn: the sleeper never runs again. One guest that
 * computes for ever freezes every guest that sleeps.
 *
 * Two copies on one --sharenet LAN:
 *   role=spin  (guest 0) binds a receive array outside its memory at a
 *              LAN key (a send there kills it: the host reads the array
 *              only then), says so in the LAN page, then spins for ever
 *              with interrupts on, never halting.
 *   role=sleep (guest 1) waits for that (asleep: the spinner's only
 *              runnable from then on), sleeps 20 timer ticks with HALT,
 *              then sends to the spinner's key (which kills it) and
 *              powers off. On a host that starves it, it never wakes and
 *              the test times out.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lguest/launcher.h>
#include <lguest/lguest.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/irq.h"
#include "boot_check.h"
#include "lan_test.h"

#define SLEEPS 20

static bool is_spin(void)
{
	return strstr(bootparams_cmdline(), "role=spin") != NULL;
}

static void run_spin(void)
{
	CHECK_EQ(lan_bind_poison(), 1);
	printf("spin: spinning for ever, never halting\n");
	fflush(stdout);
	lan_set_phase(1);
	for (;;)
		__asm__ volatile("" ::: "memory");
}

static void run_sleep(void)
{
	lan_wait_phase(1);
	lan_sleep_ticks(SLEEPS);
	printf("sleep: slept %u ticks beside the spinner\n", SLEEPS);
	fflush(stdout);
	lan_send_poison();
}

void app_main(void)
{
	bool spin = is_spin();

	printf("TEST attack_spin_starve %s START\n", spin ? "spin" : "sleep");
	if (lan_find() < 0) {
		printf("FAIL no --sharenet device\n");
		return;
	}
	if (spin)
		run_spin();
	else
		run_sleep();
	test_finish(spin ? "attack_spin_starve spin" : "attack_spin_starve sleep");
}
