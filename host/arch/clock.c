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

/*
 * The TSC's rate, from 1 ms of the PIT (1.4 ms in all) rather than 10.
 * PIT channel 2 (the speaker's, gated on through port 0x61, no sound)
 * counts down at PIT_HZ; we read its count again and again, each read
 * latched between two TSC reads, and fit a straight line through the
 * (PIT ticks, TSC) pairs by least squares. The slope is TSC ticks per PIT
 * tick. Fitting many points averages away the PIT's 838 ns steps and the
 * width of each read, which a two-point measurement of the same window
 * would keep whole; a read that took much longer than the quickest
 * (QEMU's thread was descheduled in the middle of it) is left out, and so
 * cannot bend the line. Under QEMU both clocks follow the host's time, so
 * a pause between reads costs nothing. docs/host-design.md "Boot" gives
 * the error measured against a 200 ms two-point calibration.
 */
#define CAL_WINDOW_TICKS (PIT_HZ / 1000)	/* 1 ms */
#define CAL_MIN_SAMPLES 64u	/* else the window grows, ... */
#define CAL_LONGEST_TICKS (PIT_HZ / 50)	/* ... up to 20 ms */
#define CAL_MAX_SAMPLES 8192u			/* keeps the sums in 64 bits */

/* Latch channel 2's count between two TSC reads: the count, the TSC at the
 * middle of the latch, and the width of the read in TSC ticks. */
static uint16_t pit_sample(uint64_t *tsc_mid, uint32_t *width)
{
	uint64_t a = rdtsc();
	outb(PIT_CMD, 0x80);			/* latch channel 2 */
	uint64_t b = rdtsc();
	uint8_t lo = inb(PIT_CH2);
	uint8_t hi = inb(PIT_CH2);

	*tsc_mid = a + (b - a) / 2;
	*width = (uint32_t)(b - a);
	return (uint16_t)(lo | hi << 8);
}

/* ticks_per_pit_tick = num / den, as kHz. Both are shifted down together
 * until den fits 40 bits, so that the remainder times PIT_HZ fits 64. */
static uint32_t fit_to_khz(uint64_t num, uint64_t den)
{
	while (den >> 40) {
		num >>= 1;
		den >>= 1;
	}
	uint64_t q = num / den, r = num % den;
	return (uint32_t)((q * PIT_HZ + r * PIT_HZ / den) / 1000);
}

/* The fallback: TSC ticks over 20 ms of channel 2's count, every read
 * counted, the two ends compared (a pause of 55 ms between two reads
 * would lose a turn of the count, as in the fit's windows). */
static void calibrate_two_points(void)
{
	uint64_t t0, t1;
	uint32_t width;
	uint16_t c0 = pit_sample(&t0, &width), c;
	uint32_t x = 0;

	while (x < CAL_LONGEST_TICKS) {
		c = pit_sample(&t1, &width);
		x += (uint16_t)(c0 - c);
		c0 = c;
	}
	tsc_khz = fit_to_khz(t1 - t0, x);
	if (tsc_khz == 0)
		HOST_PANIC("TSC calibration failed: the TSC does not count");
}

/* Channel 2 free-running, and the width of its quickest read. */
static uint32_t narrowest;

static void pit_ch2_start(void)
{
	uint64_t t;
	uint32_t width;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate on, no sound */
	outb(PIT_CMD, 0xB4);			/* ch2, lo/hi, mode 2 */
	outb(PIT_CH2, 0);			/* reload 65536: 55 ms a turn */
	outb(PIT_CH2, 0);
	narrowest = UINT32_MAX;
	for (unsigned i = 0; i < 8; i++) {	/* the quickest read */
		pit_sample(&t, &width);
		if (width < narrowest)
			narrowest = width;
	}
}

static bool sample_narrow(uint32_t width)
{
	return width <= 4 * narrowest + 64;
}

/* The fit of one 1 ms window (1.4 ms in all): the fallback when the two
 * bursts below disagree. */
static void calibrate_tsc(void)
{
	uint64_t tsc0, t, x_last = 0, y_last = 0;
	uint32_t width;
	unsigned restarts = 0;

	pit_ch2_start();
restart:;
	uint16_t prev = pit_sample(&tsc0, &width);
	uint64_t n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, x = 0;
	/* On a loaded machine most reads may be wide: the window then grows
	 * until it has enough narrow ones (make check saw 9 in 1 ms). */
	while ((x < CAL_WINDOW_TICKS || n < CAL_MIN_SAMPLES) &&
	       x < CAL_LONGEST_TICKS && n < CAL_MAX_SAMPLES) {
		uint16_t c = pit_sample(&t, &width);
		x += (uint16_t)(prev - c);		/* PIT ticks so far */
		prev = c;
		if (!sample_narrow(width))
			continue;
		uint64_t y = t - tsc0;
		x_last = x;
		y_last = y;
		n++;
		sx += x;
		sy += y;
		sxx += x * x;
		sxy += x * y;
	}
	/* Slope = (n Sxy - Sx Sy) / (n Sxx - Sx^2); both are positive when
	 * x took more than one value. */
	uint64_t den = n * sxx - sx * sx;
	bool fitted = n >= 16 && den != 0 && n * sxy > sx * sy;
	if (fitted)
		tsc_khz = fit_to_khz(n * sxy - sx * sy, den);
	/* The PIT's count goes round every 55 ms: a pause that long between
	 * two reads loses a turn, and the ends of the window then disagree
	 * with the fit by far more than the PIT's steps (0.1%) can. */
	uint32_t ends = fit_to_khz(y_last, x_last ? x_last : 1);
	if (!fitted ||
	    (ends > tsc_khz ? ends - tsc_khz : tsc_khz - ends) > tsc_khz / 64) {
		if (++restarts < 8)
			goto restart;
		/* Eight windows spoiled by a loaded machine: the two ends of
		 * a 20 ms window, whatever the width of the reads, as the
		 * calibration did before the fit (within 0.7% then). */
		calibrate_two_points();
		hlog("TSC calibration: the fit failed 8 times (a loaded "
		     "machine); 20 ms two-point estimate used\n");
	}
}

/*
 * Two bursts instead of one window. Between clock_init() and its first
 * world switch the host has work to do anyway (devices, loading the
 * guests): a burst of reads at each end of that work measures the rate
 * over all of it, and costs only the reads. Each burst's narrow reads
 * are summed into the mean of their (PIT ticks, TSC) pairs; 32 reads pin
 * a mean to some 45 ns (the PIT's 838 ns steps and the reads' width
 * average out, and what is left of them is alike at both ends), and the
 * slope between the two means, at least CAL_SPAN_TICKS apart (the start-up
 * work is longer than that; if not, burst B reads on), is the rate:
 * within 15 ppm at 3 ms, less with the usual 5-10 ms. Against a 200 ms
 * two-point reference in the same boot: -6 to +8 ppm in 16 boots, where
 * the 1 ms fit gave -15 to +17 (docs/host-design.md "Boot"). Burst A
 * alone, over at least CAL_BURST_MIN_TICKS, gives a rough rate (within
 * 2%) for whatever needs one before burst B, and counts the turns of the
 * 16-bit count between the bursts (a 2% error is half a turn after
 * 1.5 s; bursts more than CAL_GAP_TICKS apart are not trusted). If the
 * bursts are that far apart, or disagree with that rough rate or with the
 * two ends (a turn lost inside a burst), the 1 ms fit above is taken
 * instead. Each read is an outb and two inb, 3-6 us under
 * TCG: the bursts take about 0.2 ms each.
 */
#define CAL_BURST 32u			/* narrow reads in each burst */
#define CAL_BURST_MIN_TICKS 128u	/* and at least this span (A) */
#define CAL_SPAN_TICKS (PIT_HZ / 333)	/* 3 ms between the two means */
#define CAL_GAP_TICKS (PIT_HZ / 2)	/* bursts further apart: the fit */
#define CAL_BURST_MAX 4096u		/* keeps the products in 64 bits */

struct cal_sums {
	uint64_t n, sx, sy;	/* narrow reads, sums of x and y */
};

static struct {
	bool pending;		/* burst A taken, B not yet */
	uint64_t tsc0;		/* TSC of the first read: y counts from it */
	uint64_t x;		/* PIT ticks since the first read */
	uint64_t tsc_last;	/* TSC of the last read (any width) */
	uint16_t count_last;	/* and its count */
	uint64_t x_end, y_end;	/* the last narrow read */
	struct cal_sums a, b;
} cal;

/* One read into the running sums: x advances by the count's step. */
static void cal_read(struct cal_sums *s)
{
	uint64_t t;
	uint32_t width;
	uint16_t c = pit_sample(&t, &width);

	cal.x += (uint16_t)(cal.count_last - c);
	cal.count_last = c;
	cal.tsc_last = t;
	if (!sample_narrow(width) || s->n >= CAL_BURST_MAX)
		return;
	s->n++;
	s->sx += cal.x;
	s->sy += t - cal.tsc0;
	cal.x_end = cal.x;
	cal.y_end = t - cal.tsc0;
}

/* Burst A, and the rough rate from its two ends. False: none. */
static bool cal_burst_a(void)
{
	uint32_t width;

	pit_ch2_start();
	cal.count_last = pit_sample(&cal.tsc0, &width);
	cal.tsc_last = cal.tsc0;
	cal.x = 0;
	cal.a = (struct cal_sums){ 0 };
	while ((cal.a.n < CAL_BURST || cal.x < CAL_BURST_MIN_TICKS) &&
	       cal.x < CAL_LONGEST_TICKS)
		cal_read(&cal.a);
	if (cal.a.n < 16 || cal.x_end == 0)
		return false;
	tsc_khz = fit_to_khz(cal.y_end, cal.x_end);
	return tsc_khz != 0;
}

static uint32_t khz_apart(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

/* Burst B, and the rate between the two means. False: no good rate. */
static bool cal_burst_b(void)
{
	uint32_t rough = tsc_khz, width;
	uint64_t t;
	uint16_t c = pit_sample(&t, &width);
	uint16_t step = (uint16_t)(cal.count_last - c);
	/* The whole turns of 65536 ticks the rough rate says went by. */
	uint64_t expect = (t - cal.tsc_last) * PIT_HZ / ((uint64_t)rough * 1000);
	uint64_t turns = expect > step ? (expect - step + 32768) >> 16 : 0;

	/* Past CAL_GAP_TICKS the rough rate could miscount a turn. */
	if (expect > CAL_GAP_TICKS)
		return false;

	cal.x += step + (turns << 16);
	cal.count_last = c;
	cal.tsc_last = t;
	cal.b = (struct cal_sums){ 0 };
	uint64_t x_b = cal.x;
	for (;;) {
		cal_read(&cal.b);
		if (cal.x - x_b >= CAL_LONGEST_TICKS)
			break;
		if (cal.b.n < CAL_BURST)
			continue;
		/* Means apart: sx_b/n_b - sx_a/n_a, in ticks. */
		if (cal.b.sx * cal.a.n - cal.a.sx * cal.b.n >=
		    CAL_SPAN_TICKS * cal.a.n * cal.b.n)
			break;
	}
	if (cal.b.n < 16)
		return false;
	uint64_t num = cal.b.sy * cal.a.n, num_a = cal.a.sy * cal.b.n;
	uint64_t den = cal.b.sx * cal.a.n, den_a = cal.a.sx * cal.b.n;
	if (num <= num_a || den <= den_a)
		return false;
	uint32_t khz = fit_to_khz(num - num_a, den - den_a);
	uint32_t ends = fit_to_khz(cal.y_end, cal.x_end);
	if (khz_apart(khz, rough) > rough / 32 ||
	    khz_apart(khz, ends) > khz / 64)
		return false;
	tsc_khz = khz;
	return true;
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

static void clock_rate_set(void)
{
	ticks_per_sec = (uint64_t)tsc_khz * 1000u;
	ns_per_tick_x32 = (uint32_t)((1000000000ull << 32) / ticks_per_sec);
}

void clock_init(void)
{
	cal.pending = cal_burst_a();
	if (!cal.pending)
		calibrate_tsc();
	read_rtc();
	boot_tsc = rdtsc();
	wall_base_tsc = boot_tsc;
	wall_base_sec = boot_unix_seconds;
	clock_rate_set();
}

static enum clock_calibration cal_by = CLOCK_CAL_BURSTS;

void clock_calibrate_by(enum clock_calibration how)
{
	cal_by = how;
}

/* Parts per million that `khz` is from `ref` (0 if ref is 0). */
static int32_t ppm_from(uint32_t khz, uint32_t ref)
{
	if (!ref)
		return 0;
	int64_t d = (int64_t)khz - (int64_t)ref;
	return (int32_t)(d * 1000000 / (int64_t)ref);
}

void clock_calibrate_finish(void)
{
	if (!cal.pending)
		return;
	cal.pending = false;
	bool bursts = cal_burst_b();
	if (cal_by != CLOCK_CAL_BURSTS) {
		uint32_t ref = bursts ? tsc_khz : 0;
		const char *by;
		if (cal_by == CLOCK_CAL_FIT) {
			by = "fit";
			calibrate_tsc();
		} else {
			by = "twopoint";
			pit_ch2_start();
			calibrate_two_points();
		}
		hlog("TSC calibration: tsccal=%s: %lu kHz, %+ld ppm from the "
		     "bursts' %lu kHz\n", by, (unsigned long)tsc_khz,
		     (long)ppm_from(tsc_khz, ref), (unsigned long)ref);
	} else if (!bursts) {
		calibrate_tsc();
	}
	clock_rate_set();
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
