/*
 * kernel/clock.c: the guest's sense of time. Read-only: it asks nothing of
 * the host; the timer interrupt that keeps it fresh is drivers/timer.c.
 */
#include "../lib/kapi.h"
#include "clock.h"
#include "irqflags.h"
#include "lguest_data.h"
#include "x86.h"
#include "../lib/hot.h"
#include "../lib/muldiv.h"

#define NSEC_PER_SEC 1000000000u
#define NSEC_PER_MSEC 1000000u

GUEST_HOT_DATA static uint32_t clock_khz;      /* 0: use lguest_data.time */
GUEST_HOT_DATA static uint64_t clock_tsc_base; /* TSC at clock_init() */
GUEST_HOT_DATA static uint64_t clock_ns_factor; /* cycles -> ns, lib/muldiv.h */
GUEST_HOT_DATA static uint64_t clock_host_base_ns; /* host time at clock_init() */
GUEST_HOT_DATA static uint64_t clock_last_ns;  /* latest value handed out */

/* lguest_data.time as nanoseconds, read as a seqlock reader would. */
GUEST_HOT_TEXT
static uint64_t clock_host_ns(void)
{
	int32_t sec, nsec;

	do {
		sec = lguest_data.time.tv_sec;
		x86_barrier();
		nsec = lguest_data.time.tv_nsec;
		x86_barrier();
	} while (sec != lguest_data.time.tv_sec);
	return (uint64_t)(uint32_t)sec * NSEC_PER_SEC + (uint32_t)nsec;
}

/*G:140 Time. The host gave us two ways to tell it. If its TSC ticks at a
 * constant rate it told us the frequency in tsc_khz, and rdtsc is the best
 * clock there is. Under QEMU's emulation the real 2.6.23 host said 0, and
 * then all we have is the wall-clock time it writes into lguest_data each
 * time it considers interrupting us: good enough, given a timer tick to
 * keep it fresh. Either way, never divide by tsc_khz before checking it. :*/
void clock_init(void)
{
	clock_khz = lguest_data.tsc_khz;
	clock_host_base_ns = clock_host_ns();
	if (clock_khz) {
		clock_ns_factor = muldiv_ns_factor(clock_khz);
		clock_tsc_base = x86_rdtsc();
	}
}
/*:*/

GUEST_HOT_TEXT
uint64_t clock_now_ns(void)
{
	uint64_t ns;

	if (clock_khz) {
		/* cycles * 10^6 / kHz, with a multiply, not three 64-bit
		 * divisions (lib/muldiv.h says why) */
		ns = muldiv_scale32(x86_rdtsc() - clock_tsc_base,
				    clock_ns_factor);
	} else {
		uint64_t host = clock_host_ns();
		ns = host > clock_host_base_ns ? host - clock_host_base_ns : 0;
	}
	/* The host's wall clock may be stepped back; ours never is. */
	uint32_t flags = irq_save();
	if (ns < clock_last_ns)
		ns = clock_last_ns;
	clock_last_ns = ns;
	irq_restore(flags);
	return ns;
}

GUEST_HOT_TEXT
uint64_t clock_now_ms(void)
{
	return muldiv_div_1e6(clock_now_ns());
}

void clock_wall(uint32_t *sec, uint32_t *nsec)
{
	uint64_t ns = clock_khz ? clock_host_base_ns + clock_now_ns()
				: clock_host_ns();

	*sec = (uint32_t)(ns / NSEC_PER_SEC);
	*nsec = (uint32_t)(ns % NSEC_PER_SEC);
}

uint32_t clock_tsc_khz(void)
{
	return clock_khz;
}
