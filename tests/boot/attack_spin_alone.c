/*
 * tests/boot/attack_spin_alone.c: security PoC. A guest that starts a
 * turn as the only runnable guest runs unsliced (host/core/run.c H:140:
 * "others" is false), and the host of ee482ab kept it so for the whole
 * turn: when the timer of a guest that was halted beside it fired, that
 * guest had its IRQ pending but never got the CPU back while the first
 * one spun. So a guest that just spins once the others sleep froze every
 * idle guest: their timers, console input and frames never came.
 *
 * Two copies on one --sharenet LAN, taking turns through the phase word:
 *   role=sleep (guest 0) waits, halting, for the spinner to say it spins,
 *              then sleeps TICKS more timer ticks (HALT each time), says
 *              so, and powers off;
 *   role=spin  (guest 1) first sleeps a few ticks itself (so that a later
 *              turn of its starts with the sleeper halted, alone), then
 *              says it spins and spins, never halting, until the sleeper
 *              says it is done. On the host of ee482ab it spins for ever
 *              and the test times out; nothing here is timed otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../kernel/app.h"
#include "../../kernel/irq.h"
#include "boot_check.h"
#include "lan_test.h"

#define TICKS 10
#define PHASE_SPINNING 1
#define PHASE_SLEPT 2

/* Sleep n timer ticks, halting. */
static void sleep_ticks(uint32_t n)
{
	uint32_t t0 = timer_ticks(), flags = irq_save();

	while (timer_ticks() - t0 < n)
		irq_wait();
	irq_restore(flags);
}

static void run_sleep(void)
{
	lan_wait_phase(PHASE_SPINNING);
	sleep_ticks(TICKS);
	printf("sleep: slept %u ticks beside a spinning guest\n", TICKS);
	fflush(stdout);
	lan_set_phase(PHASE_SLEPT);
}

static void run_spin(void)
{
	unsigned long spins = 0;

	sleep_ticks(5);
	printf("spin: spinning\n");
	fflush(stdout);
	lan_set_phase(PHASE_SPINNING);
	while (*lan_phase() != PHASE_SLEPT)
		spins++;
	printf("spin: the sleeper woke while I spun\n");
}

void app_main(void)
{
	const char *cmdline = bootparams_cmdline();

	CHECK(lan_find() >= 0);
	if (lan && strstr(cmdline, "role=sleep"))
		run_sleep();
	else if (lan && strstr(cmdline, "role=spin"))
		run_spin();
	else
		CHECK(!"role=sleep or role=spin, and a LAN");
	test_finish(strstr(cmdline, "role=spin") ? "attack_spin_alone spin"
						  : "attack_spin_alone sleep");
	poweroff();
}
