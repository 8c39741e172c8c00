/*
 * tests/boot/attack_halt_noirq.c: a guest that HALTs with its EIP inside
 * its own noirq window (docs/abi.md §4.3, §4.6) while an IRQ it can take
 * is pending. interrupts_wakeup_pending() says "wake it" (the IRQ is
 * pending, unblocked and gated), but interrupts_deliver() delivers
 * nothing (EIP is in the window) and leaves the guest HALTED; so the
 * scheduler counts it as run on every pass and never halts the host: the
 * "host never rests" that tests/boot/irq_no_gate fixed for an IRQ with no
 * gate, by another door. Worse, the host takes hardware interrupts only
 * while a guest runs or while it halts, so with every other guest asleep
 * no PIT interrupt is ever taken: their timers never fire, and they
 * sleep for ever. One guest freezes every idle guest.
 *
 * Two copies on one --sharenet LAN:
 *   role=spin  (guest 0) makes the return address of its own `int $0x1F`
 *              its noirq window (before LGUEST_INIT), binds a receive
 *              array outside its memory at a LAN key (so that the peer
 *              can have it killed later: the host reads the array only
 *              when someone sends there), lets a timer IRQ become
 *              pending with interrupts off, says so in the LAN page, and
 *              HALTs in the window. It never runs again.
 *   role=sleep (guest 1) waits for that, then sleeps 40 timer ticks with
 *              HALT. Each time nothing can run, so a host that rests
 *              idles (about 40 times); the host of b9f1512 livelocks
 *              here and the ticks never come. Then it sends to guest 0's
 *              key, which kills guest 0 (bad receive array), and powers
 *              off, so the host ends and prints its idle count.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lguest/launcher.h>
#include <lguest/lguest.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/irq.h"
#include "../../kernel/lguest_data.h"
#include "boot_check.h"
#include "lan_test.h"

#define SLEEPS 40

/* HALT with the return address inside [halt_ret, halt_end). */
void noirq_halt(void);
extern char noirq_halt_ret[], noirq_halt_end[];
__asm__(".text\n"
	".globl noirq_halt\n"
	"noirq_halt:\n"
	"	movl $" "10" ", %eax\n"		/* LHCALL_HALT */
	"	xorl %edx, %edx\n"
	"	int $0x1f\n"
	".globl noirq_halt_ret\n"
	"noirq_halt_ret:\n"
	"	nop\n"
	".globl noirq_halt_end\n"
	"noirq_halt_end:\n"
	"	ret\n");
_Static_assert(LHCALL_HALT == 10, "the stub's call number");

static bool is_spin(void)
{
	return strstr(bootparams_cmdline(), "role=spin") != NULL;
}

void app_before_init(void)
{
	if (!is_spin())
		return;
	lguest_data.noirq_start = (uint32_t)(uintptr_t)noirq_halt_ret;
	lguest_data.noirq_end = (uint32_t)(uintptr_t)noirq_halt_end;
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = clock_now_ns() + ns;

	while (clock_now_ns() < end)
		;
}

static void run_spin(void)
{
	CHECK_EQ(lan_bind_poison(), 1);
	printf("spin: halting inside my noirq window with IRQ 0 pending\n");
	fflush(stdout);
	irq_save();
	spin_ns(50000000);	/* five ticks' time: IRQ 0 is pending */
	lan_set_phase(1);
	noirq_halt();
	printf("FAIL spin: HALT returned\n");
}

static void run_sleep(void)
{
	lan_wait_phase(1);
	uint64_t t0 = clock_now_ns();
	lan_sleep_ticks(SLEEPS);
	printf("sleep: slept %u ticks in %lu ms; now guest 0 goes\n", SLEEPS,
	       (unsigned long)((clock_now_ns() - t0) / 1000000));
	fflush(stdout);
	lan_send_poison();
}

void app_main(void)
{
	bool spin = is_spin();

	printf("TEST attack_halt_noirq %s START\n", spin ? "spin" : "sleep");
	if (lan_find() < 0) {
		printf("FAIL no --sharenet device\n");
		return;
	}
	if (spin)
		run_spin();
	else
		run_sleep();
	test_finish(spin ? "attack_halt_noirq spin" : "attack_halt_noirq sleep");
}
