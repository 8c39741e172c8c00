/*
 * kernel/lguest.c: the two hypercalls that bracket a guest's life
 * (kernel/lguest.h): LHCALL_LGUEST_INIT, which must come first, and
 * LHCALL_CRASH, which ends it (panic and power-off alike).
 */
#include <string.h>

#include <lguest/lguest.h>

#include "../lib/kapi.h" /* lguest_crash() */
#include "hcall.h"
#include "lguest.h"
#include "lguest_data.h"
#include "mm.h"

static bool lguest_initialised;

/* The host reads exactly LGUEST_CRASH_MSG_LEN bytes, whatever the message's
 * length, so the message always travels in a buffer of that size. */
static char lguest_crash_msg[LGUEST_CRASH_MSG_LEN];

/*G:030 Before the host will talk to us we must tell it where our
 * lguest_data lives, with LHCALL_LGUEST_INIT; any other hypercall first is
 * fatal. The host reads our "no interrupts here" window only during this
 * call, and treats any ring slot not marked 0xFF as a pending hypercall,
 * so both must be right beforehand. We start with virtual interrupts off
 * and the timer line blocked until the clock is set up. In return the host
 * fills in reserve_mem, tsc_khz, guestid and the wall-clock time. :*/
void lguest_init(void (*before_init)(void))
{
	lguest_data.noirq_start = (uint32_t)(uintptr_t)lguest_noirq_start;
	lguest_data.noirq_end = (uint32_t)(uintptr_t)lguest_noirq_end;
	for (unsigned i = 0; i < LHCALL_RING_SIZE; i++)
		lguest_data.hcall_status[i] = LHCALL_STATUS_FREE;
	lguest_data.blocked_interrupts = 1u << LGUEST_TIMER_IRQ;
	lguest_data.irq_enabled = LGUEST_IRQ_ENABLED_OFF;

	/* Boot tests that want to break the rules before INIT do it here. */
	if (before_init)
		before_init();

	hcall(LHCALL_LGUEST_INIT, gpa_val(virt_to_gpa(&lguest_data)), 0, 0);
	lguest_initialised = true;
}
/*:*/

bool lguest_ready(void)
{
	return lguest_initialised;
}

void lguest_crash(const char *msg)
{
	strncpy(lguest_crash_msg, msg, sizeof(lguest_crash_msg) - 1);
	lguest_crash_msg[sizeof(lguest_crash_msg) - 1] = '\0';
	if (lguest_initialised)
		hcall(LHCALL_CRASH, gpa_val(virt_to_gpa(lguest_crash_msg)), 0, 0);
	/* The host never runs a crashed guest again. Should CRASH return (or
	 * come before INIT, where any call would be fatal anyway), stay put. */
	for (;;)
		if (lguest_initialised)
			hcall(LHCALL_HALT, 0, 0, 0);
}
