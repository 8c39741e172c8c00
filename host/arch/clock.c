/*
 * host/arch/clock.c: the TSC as the host's clock, the PIT as its alarm,
 * the CMOS RTC for the date. See clock.h. Which guest a timer is for is
 * the core's business (host/core/timer.c).
 */
#include <lguest/lguest.h>

#include "arch/clock.h"
#include "arch/log.h"
#include "arch/pic.h"
#include "arch/x86.h"

#define PIT_HZ 1193182u
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61

uint32_t tsc_khz;
static uint64_t boot_tsc;
static uint32_t boot_unix_seconds;
static uint64_t pit_armed_for;	/* TSC deadline the PIT is set to; 0 none */

uint64_t clock_ns_to_tsc(uint64_t ns)
{
	return ns * tsc_khz / 1000000u;
}

uint64_t clock_tsc_to_ns(uint64_t ticks)
{
	/* Split so ticks * 10^6 cannot overflow after a few hours. */
	return ticks / tsc_khz * 1000000u + ticks % tsc_khz * 1000000u / tsc_khz;
}

/* Count TSC ticks across 10 ms of PIT channel 2 (the speaker channel, whose
 * output we can poll at port 0x61). */
static void calibrate_tsc(void)
{
	const uint32_t pit_ticks = PIT_HZ / 100;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate on, no sound */
	outb(PIT_CMD, 0xB0);			/* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, pit_ticks & 0xFF);
	outb(PIT_CH2, pit_ticks >> 8);
	uint64_t t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		;
	uint64_t t1 = rdtsc();
	tsc_khz = (uint32_t)((t1 - t0) / 10);
	if (tsc_khz == 0)
		HOST_PANIC("TSC calibration failed");
}

static unsigned cmos_read(unsigned reg)
{
	outb(0x70, (uint8_t)reg);
	return inb(0x71);
}

static unsigned bcd(unsigned v, int is_bcd)
{
	return is_bcd ? (v & 0x0F) + (v >> 4) * 10 : v;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static uint32_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
	y -= m <= 2;
	unsigned era = y / 400;
	unsigned yoe = y - era * 400;
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void read_rtc(void)
{
	while (cmos_read(0x0A) & 0x80)	/* update in progress */
		;
	int is_bcd = !(cmos_read(0x0B) & 0x04);
	unsigned sec = bcd(cmos_read(0x00), is_bcd);
	unsigned min = bcd(cmos_read(0x02), is_bcd);
	unsigned hour = bcd(cmos_read(0x04) & 0x7F, is_bcd);
	unsigned day = bcd(cmos_read(0x07), is_bcd);
	unsigned mon = bcd(cmos_read(0x08), is_bcd);
	unsigned year = bcd(cmos_read(0x09), is_bcd) + 2000;
	boot_unix_seconds = days_from_civil(year, mon, day) * 86400u +
			    hour * 3600u + min * 60u + sec;
}

/* The wall clock is read on every interrupt delivery, so it avoids 64-bit
 * division (a libgcc call, slow under TCG): it counts from a base second,
 * and within a second converts ticks with one multiply by a 32.32 fixed
 * point ns-per-tick. The base moves on a whole second at a time, exactly. */
static uint64_t wall_base_tsc;	/* TSC at the start of wall_base_sec */
static uint32_t wall_base_sec;
static uint64_t ticks_per_sec;
static uint32_t ns_per_tick_x32;	/* 2^32 * 10^9 / TSC Hz */

void clock_init(void)
{
	calibrate_tsc();
	read_rtc();
	boot_tsc = rdtsc();
	wall_base_tsc = boot_tsc;
	wall_base_sec = boot_unix_seconds;
	ticks_per_sec = (uint64_t)tsc_khz * 1000u;
	ns_per_tick_x32 = (uint32_t)((1000000000ull << 32) / ticks_per_sec);
}

void clock_wallclock(struct lguest_timespec *ts)
{
	uint64_t delta = rdtsc() - wall_base_tsc;

	if (delta >= ticks_per_sec) {		/* rare: once a second */
		uint64_t secs = delta / ticks_per_sec;
		wall_base_sec += (uint32_t)secs;
		wall_base_tsc += secs * ticks_per_sec;
		delta -= secs * ticks_per_sec;
	}
	uint32_t ns = (uint32_t)((delta * ns_per_tick_x32) >> 32);
	if (ns >= 1000000000u)			/* rounding at the very end */
		ns = 999999999u;
	ts->tv_sec = (int32_t)wall_base_sec;
	ts->tv_nsec = (int32_t)ns;
}

void clock_arm(uint64_t deadline)
{
	uint64_t now = rdtsc();

	/* An alarm at or before this deadline is set: leave it. That holds
	 * also when its time has passed by the TSC but QEMU's PIT has not
	 * fired yet: re-programming then would lose that interrupt, and a
	 * guest waiting for it would sleep until some later alarm. When it
	 * fires, timer_tick() (host/core/timer.c) arms the PIT for whatever is left. */
	if (pit_armed_for && pit_armed_for <= deadline)
		return;
	uint64_t ticks = deadline > now ?
		(deadline - now) * PIT_HZ / ((uint64_t)tsc_khz * 1000) + 1 : 1;
	if (ticks > 0xFFFF)
		ticks = 0xFFFF;	/* about 55 ms; we re-arm then */
	outb(PIT_CMD, 0x30);	/* ch0, lo/hi, mode 0: one interrupt */
	outb(PIT_CH0, ticks & 0xFF);
	outb(PIT_CH0, (ticks >> 8) & 0xFF);
	pit_armed_for = deadline;
}

void clock_alarm_fired(void)
{
	pit_armed_for = 0;
}
