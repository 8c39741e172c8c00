/*
 * tests/boot/many_guests.c: one of sixteen guests in one host. Each waits
 * for 50 ms of its own clock in HALT (so the host must wake each of them
 * from its own timer), checks that its guestid is the one its command line
 * says, counts how much work it got done in a busy second, and powers off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/bootparams.h"
#include "../../kernel/clock.h"
#include "../../kernel/irq.h"
#include "../../kernel/lguest_data.h"
#include "user_test.h"

void app_main(void)
{
	const char *want = strstr(bootparams_cmdline(), "id=");
	unsigned id = lguest_data.guestid;

	CHECK(want != NULL);
	if (want)
		CHECK_EQ(strtoul(want + 3, NULL, 10), id);
	uint32_t flags = irq_save();
	uint64_t t0 = clock_now_ns();
	while (clock_now_ns() - t0 < 50000000ull)
		irq_wait();	/* our own timer tick wakes us */
	irq_restore(flags);
	/* Busy for 200 ms of our clock: the others run meanwhile. */
	uint64_t spins = 0;
	t0 = clock_now_ns();
	while (clock_now_ns() - t0 < 200000000ull)
		spins++;
	printf("guest %u: slept and woke, %lu spins\n", id,
	       (unsigned long)spins);
	test_finish("many_guests");
}
