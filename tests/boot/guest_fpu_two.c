/*
 * tests/boot/guest_fpu_two.c: two guests share the one FPU (spec §4.10,
 * docs/host-design.md "FPU"). Run as two guests of the same image.
 *
 * Virtual TS stays clear, so FPU use must be transparent: whatever the
 * host does to hand the FPU from one guest to the other (save, restore on
 * the next #NM) must be invisible. Each guest keeps its own value in x87
 * st(0) and in %xmm3, and for a second (TSC clock) checks and increments
 * both, over and over, while the host time-slices the two busy guests.
 * A host that lost or mixed up FPU state on a switch would show up as a
 * wrong value. Each guest also counts the times it noticed it had been
 * off the CPU (a gap of more than 2 ms between two iterations), to show
 * the sharing really happened.
 *
 * Every iteration makes a hypercall (an exit, as a Linux guest makes all
 * the time), at which the host checks whether our 10 ms slice is over.
 * Without exits the sharing would depend on host timer interrupts alone,
 * and a guest whose timer is not armed is not preempted by this host
 * (its slice alarm is lost when a guest timer fires first); besides,
 * drivers/timer.c re-arms the tick through the async ring, which a loop
 * without exits never drains.
 *
 * Two guests print concurrently, so every line goes out in one console
 * DMA (a 256-byte buffer aligned to 256 never crosses a page) and the
 * .expect does not depend on which guest speaks first.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/x86.h"

#define SPIN_NS 1000000000u /* a second of checking */
#define GAP_NS 2000000u     /* an iteration this slow: we were switched out */

__asm__(".text\n"
	/* void st0_load(const int32_t *v): fninit; st0 = *v */
	"st0_load:\n"
	"	movl 4(%esp), %eax\n"
	"	fninit\n"
	"	fildl (%eax)\n"
	"	ret\n"
	/* int32_t st0_read_inc(void): return st0, st0 += 1 */
	"st0_read_inc:\n"
	"	subl $4, %esp\n"
	"	fistl (%esp)\n"
	"	fld1\n"
	"	faddp\n"
	"	popl %eax\n"
	"	ret\n"
	/* void xmm3_load(uint32_t v) */
	"xmm3_load:\n"
	"	movd 4(%esp), %xmm3\n"
	"	ret\n"
	/* uint32_t xmm3_read_inc(void): return xmm3[0], xmm3 += 1 */
	"xmm3_read_inc:\n"
	"	movd %xmm3, %eax\n"
	"	pcmpeqd %xmm4, %xmm4\n"
	"	psubd %xmm4, %xmm3\n"
	"	ret\n");

void st0_load(const int32_t *v);
int32_t st0_read_inc(void);
void xmm3_load(uint32_t v);
uint32_t xmm3_read_inc(void);

static char say_buf[256] __attribute__((aligned(256)));

/* One line, one DMA. */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(say_buf, sizeof(say_buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(say_buf) - 1)
		n = sizeof(say_buf) - 1;
	console_write(say_buf, (size_t)n);
}

void app_main(void)
{
	unsigned id = lguest_data.guestid;
	int32_t x87 = 1000000 * (int32_t)(id + 1);
	uint32_t xmm = 0x10000000u * (id + 1);
	uint32_t checks = 0, bad = 0, gaps = 0;
	int32_t got87 = 0;
	uint32_t gotxmm = 0;

	say("TEST guest_fpu_two START (guest %u)\n", id);
	hcall(LHCALL_TS, 0, 0, 0);
	st0_load(&x87);
	xmm3_load(xmm);

	/* Timed by the TSC clock, not the tick count (see above). */
	uint64_t last = clock_now_ns(), end = last + SPIN_NS;
	while (last < end && bad == 0) {
		got87 = st0_read_inc();
		gotxmm = xmm3_read_inc();
		bad += got87 != x87 || gotxmm != xmm;
		x87++;
		xmm++;
		checks++;
		hcall(LHCALL_TS, 0, 0, 0); /* an exit; TS stays clear */
		uint64_t now = clock_now_ns();
		gaps += now - last > GAP_NS;
		last = now;
	}
	if (bad)
		say("FAIL %s:%d: guest %u after %lu checks: st0 %ld (want %ld), "
		    "xmm3 0x%08lx (want 0x%08lx)\n", __FILE__, __LINE__, id,
		    (unsigned long)checks, (long)got87, (long)x87,
		    (unsigned long)gotxmm, (unsigned long)xmm);
	if (gaps == 0)
		say("FAIL %s:%d: guest %u was never switched out\n", __FILE__,
		    __LINE__, id);
	say("guest %u: x87 and SSE state intact over %lu checks, switched "
	    "out: %s\n", id, (unsigned long)checks, gaps ? "yes" : "no");
	if (!bad && gaps)
		say("TEST guest_fpu_two PASS (guest %u)\n", id);
}
