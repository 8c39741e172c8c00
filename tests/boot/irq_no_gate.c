/*
 * tests/boot/irq_no_gate.c: a halted guest with an IRQ pending that it
 * has unblocked but has no gate for (docs/abi.md §14.1 "An IRQ with no
 * gate"). The 2.6.23 delivery check (§4.3) un-halts such a guest (step 4)
 * and then delivers nothing (step 5), so the guest's HALT returns at once,
 * again and again, and the host never rests while the guest is idle. lgref
 * passes over an IRQ with no gate: it stays pending, wakes nobody, and
 * holds back no other IRQ.
 *
 * Started alone, with no devices but the console (device 0, IRQ 1). We
 * take the console's IRQ for ourselves (a handler that counts), remove
 * the gate of vector 32 (IRQ 0, the timer, which stays unblocked) and
 * spin past the next tick so that IRQ 0 is surely pending. Then we HALT
 * in a loop until the console IRQ has come; the test types a line when it
 * sees us say so. Each return from HALT is counted: exactly one (the
 * console IRQ's) is right; a host that wakes us for IRQ 0 makes it
 * thousands. Then the timer's gate goes back, and the tick that waited
 * must arrive (it stayed pending) and the tick go on.
 */
#include <lguest/launcher.h>
#include <lguest/lguest.h>
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/irq.h"
#include "../../kernel/trap.h"
#include "boot_check.h"

static volatile unsigned console_irqs;

static void on_console(unsigned irq)
{
	(void)irq;
	console_irqs++;	/* the input stays in the buffer: we read none */
}

/* Spin (no HALT) for ns nanoseconds by the clock. */
static void spin_ns(uint64_t ns)
{
	uint64_t end = clock_now_ns() + ns;

	while (clock_now_ns() < end)
		;
}

void app_main(void)
{
	volatile struct lguest_device_desc *desc =
		vm_map_io(gpa(bootparams_mem_bytes()), 1);
	unsigned cirq = LGUEST_DEVICE_IRQ(0);

	printf("TEST irq_no_gate START\n");
	CHECK_EQ(desc[0].type, LGUEST_DEVICE_T_CONSOLE);
	if (desc[0].type != LGUEST_DEVICE_T_CONSOLE)
		goto out;
	irq_unregister(cirq);
	CHECK_EQ(irq_register(cirq, on_console), 0);

	uint32_t flags = irq_save();
	trap_clear_gate(FIRST_EXTERNAL_VECTOR + LGUEST_TIMER_IRQ);
	uint32_t ticks = timer_ticks();
	spin_ns(50000000);	/* five ticks' time: IRQ 0 is pending now */
	CHECK_EQ(timer_ticks(), ticks);	/* and was not delivered */
	printf("halting with IRQ 0 pending, unblocked and without a gate; "
	       "type a line to wake me\n");
	fflush(stdout);
	unsigned halts = 0;
	while (console_irqs == 0) {
		irq_wait();
		halts++;
	}
	printf("woken by the console IRQ after %u return%s from HALT\n",
	       halts, halts == 1 ? "" : "s");
	CHECK_EQ(halts, 1);
	CHECK_EQ(timer_ticks(), ticks);

	/* The timer's gate back: IRQ 0, still pending, comes at once. */
	trap_set_gate(FIRST_EXTERNAL_VECTOR + LGUEST_TIMER_IRQ,
		      LGUEST_IDT_TYPE_INTERRUPT, GUEST_PL);
	irq_restore(flags);
	uint64_t end = clock_now_ns() + 10000000000ull;
	while (timer_ticks() < ticks + 3 && clock_now_ns() < end) {
		uint32_t f = irq_save();
		irq_wait();
		irq_restore(f);
	}
	CHECK(timer_ticks() >= ticks + 3);
	printf("with its gate back, IRQ 0 came and the tick goes on (%u "
	       "ticks)\n", (unsigned)(timer_ticks() - ticks));
out:
	test_finish("irq_no_gate");
}
