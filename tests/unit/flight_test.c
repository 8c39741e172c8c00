/*
 * tests/unit/flight_test.c: the flight recorder (host/core/flight.h, flight.c):
 * the ring keeps the last FLIGHT_ENTRIES entries oldest first, cycles are
 * the TSC since the exit before, a page fault's cr2 lands on its entry,
 * queued calls go in before the hypercall exit they ran ahead of, and the
 * printed lines name what happened and end with the "last" entry.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lguest/lguest.h>

#include "check.h"
#include "core/flight.h"
#include "arch/log.h"

/* hlog() (a macro for hlog_line()) for the test: keep the printed lines. */
static char logged[64 * 1024];
static size_t logged_len;

void hlog_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(logged + logged_len, sizeof(logged) - logged_len,
			  fmt, ap);
	va_end(ap);
	if (n > 0)
		logged_len += (size_t)n;
}

static struct flight f;
static char buf[256];

static void exit_at(uint32_t trap, uint32_t eip, uint32_t eax, uint64_t tsc)
{
	flight_record_exit(&f, trap, eip, eax, eax + 1, eax + 2, eax + 3, 0x10,
			   tsc);
}

static void test_empty(void)
{
	flight_init(&f, 1000);
	CHECK_EQ(flight_count(&f), 0);
	CHECK(flight_get(&f, 0) == NULL);
}

static void test_order_and_cycles(void)
{
	flight_init(&f, 1000);
	exit_at(14, 0xc0100000, 1, 1500);
	exit_at(LGUEST_TRAP_ENTRY, 0xc0100010, 13, 1700);
	exit_at(32, 0xc0100020, 3, 5000000000ull);	/* past 32 bits */
	CHECK_EQ(flight_count(&f), 3);
	CHECK_EQ(flight_get(&f, 0)->eip, 0xc0100000);
	CHECK_EQ(flight_get(&f, 0)->cycles, 500);	/* since the launch */
	CHECK_EQ(flight_get(&f, 1)->trap, LGUEST_TRAP_ENTRY);
	CHECK_EQ(flight_get(&f, 1)->eax, 13);
	CHECK_EQ(flight_get(&f, 1)->edx, 14);
	CHECK_EQ(flight_get(&f, 1)->ebx, 15);
	CHECK_EQ(flight_get(&f, 1)->ecx, 16);
	CHECK_EQ(flight_get(&f, 1)->cycles, 200);
	CHECK_EQ(flight_get(&f, 2)->cycles, 5000000000ull - 1700);
	CHECK(flight_get(&f, 3) == NULL);
}

static void test_wraps(void)
{
	flight_init(&f, 0);
	for (unsigned i = 0; i < 100; i++)
		exit_at(LGUEST_TRAP_ENTRY, i, i, (i + 1) * 10);
	CHECK_EQ(f.recorded, 100);
	CHECK_EQ(flight_count(&f), FLIGHT_ENTRIES);
	CHECK_EQ(flight_get(&f, 0)->eip, 100 - FLIGHT_ENTRIES);
	CHECK_EQ(flight_get(&f, FLIGHT_ENTRIES - 1)->eip, 99);
	for (unsigned i = 0; i < FLIGHT_ENTRIES; i++) {
		CHECK_EQ(flight_get(&f, i)->eip, 100 - FLIGHT_ENTRIES + i);
		CHECK_EQ(flight_get(&f, i)->cycles, 10);
	}
	CHECK(flight_get(&f, FLIGHT_ENTRIES) == NULL);
}

static void test_cr2(void)
{
	flight_init(&f, 0);
	flight_note_cr2(&f, 0x1234);	/* nothing recorded: no effect */
	CHECK_EQ(flight_count(&f), 0);
	exit_at(14, 0xc0100000, 0, 10);
	flight_note_cr2(&f, 0xdead0000);
	exit_at(14, 0xc0100004, 0, 20);
	flight_note_cr2(&f, 0xbeef0000);
	CHECK_EQ(flight_get(&f, 0)->cr2, 0xdead0000);
	CHECK_EQ(flight_get(&f, 1)->cr2, 0xbeef0000);
}

static void test_async_before_exit(void)
{
	flight_init(&f, 0);
	exit_at(14, 0xc0100000, 0, 10);
	exit_at(LGUEST_TRAP_ENTRY, 0xc0100010, 17, 30);
	flight_record_async(&f, true, LHCALL_SET_PTE, 1, 2, 3);
	flight_record_async(&f, true, LHCALL_SET_PMD, 4, 5, 6);
	CHECK_EQ(flight_count(&f), 4);
	CHECK_EQ(flight_get(&f, 0)->trap, 14);
	CHECK_EQ(flight_get(&f, 1)->trap, FLIGHT_ASYNC);
	CHECK_EQ(flight_get(&f, 1)->eax, LHCALL_SET_PTE);
	CHECK_EQ(flight_get(&f, 1)->ecx, 3);
	CHECK_EQ(flight_get(&f, 1)->cycles, 0);
	CHECK_EQ(flight_get(&f, 2)->eax, LHCALL_SET_PMD);
	/* The hypercall exit that ran after them stays last, whole. */
	CHECK_EQ(flight_get(&f, 3)->trap, LGUEST_TRAP_ENTRY);
	CHECK_EQ(flight_get(&f, 3)->eax, 17);
	CHECK_EQ(flight_get(&f, 3)->eip, 0xc0100010);
	CHECK_EQ(flight_get(&f, 3)->cycles, 20);
	/* Not before an exit: simply next. */
	flight_record_async(&f, false, LHCALL_FLUSH_TLB, 0, 0, 0);
	CHECK_EQ(flight_get(&f, 4)->eax, LHCALL_FLUSH_TLB);
	CHECK_EQ(flight_get(&f, 3)->eax, 17);
	/* Across the end of the ring. */
	flight_init(&f, 0);
	for (unsigned i = 0; i < FLIGHT_ENTRIES; i++)
		exit_at(LGUEST_TRAP_ENTRY, i, i, i);
	flight_record_async(&f, true, LHCALL_SET_PTE, 7, 8, 9);
	CHECK_EQ(flight_count(&f), FLIGHT_ENTRIES);
	CHECK_EQ(flight_get(&f, 0)->eip, 1);
	CHECK_EQ(flight_get(&f, FLIGHT_ENTRIES - 2)->trap, FLIGHT_ASYNC);
	CHECK_EQ(flight_get(&f, FLIGHT_ENTRIES - 1)->eip, FLIGHT_ENTRIES - 1);
	/* An empty recorder: the call is simply the first entry. */
	flight_init(&f, 0);
	flight_record_async(&f, true, LHCALL_SET_PTE, 7, 8, 9);
	CHECK_EQ(flight_count(&f), 1);
	CHECK_EQ(flight_get(&f, 0)->trap, FLIGHT_ASYNC);
}

static bool formats_as(const struct flight_entry *e, uint32_t khz,
		       const char *want)
{
	flight_format(e, khz, buf, sizeof(buf));
	if (strstr(buf, want))
		return true;
	printf("  got: %s\n  want: ...%s...\n", buf, want);
	return false;
}

static void test_format(void)
{
	struct flight_entry e = { .cycles = 2600, .eip = 0xc0100892,
				  .eax = 13, .edx = 0, .ebx = 0x11ad00,
				  .ecx = 0, .trap = LGUEST_TRAP_ENTRY };

	CHECK(formats_as(&e, 2600000, "eip 0xc0100892 +2600 cycles (1.0 us)"));
	CHECK(formats_as(&e, 2600000, "hypercall 13 SEND_DMA(0x0, 0x11ad00, "
			 "0x0)"));
	CHECK(formats_as(&e, 0, "+2600 cycles "));
	CHECK(!strstr(buf, " us"));	/* no TSC rate, no microseconds */
	e.eax = 17;
	e.edx = 0x1234;
	CHECK(formats_as(&e, 0, "hypercall 17 unknown(0x1234, 0x11ad00, 0x0)"));
	e.cycles = 6000000000ull;	/* more than 32 bits of them */
	CHECK(formats_as(&e, 3000000, "+6000000000 cycles (2000000 us)"));
	e.trap = FLIGHT_ASYNC;
	e.eax = LHCALL_SET_PTE;
	CHECK(formats_as(&e, 3000000, "queued in the async ring"));
	CHECK(formats_as(&e, 3000000, "hypercall 14 SET_PTE("));
	CHECK(!strstr(buf, "cycles") && !strstr(buf, "eip"));
	e = (struct flight_entry){ .cycles = 1, .eip = 0xc0101000,
				   .errcode = 2, .cr2 = 0xdead0000, .trap = 14 };
	CHECK(formats_as(&e, 0, "trap 14 page fault, error code 0x2, cr2 "
			 "0xdead0000"));
	e.trap = 13;
	e.errcode = 0x68;
	CHECK(formats_as(&e, 0, "trap 13 general protection, error code "
			 "0x68"));
	CHECK(!strstr(buf, "cr2"));
	e.trap = 6;
	CHECK(formats_as(&e, 0, "trap 6 invalid opcode"));
	CHECK(!strstr(buf, "error code"));
	e.trap = 32 + 4;
	CHECK(formats_as(&e, 0, "trap 36 host interrupt (IRQ 4)"));
	e.trap = 256;
	CHECK(formats_as(&e, 0, "trap 256 entering the guest"));
	/* A short buffer is cut, never overrun (ASan watches). */
	char tiny[8];
	flight_format(&e, 0, tiny, sizeof(tiny));
	CHECK_EQ(strlen(tiny), 7);
}

static void test_print(void)
{
	flight_init(&f, 0);
	logged_len = 0;
	logged[0] = '\0';
	flight_print(&f, 3, 0);
	CHECK(strstr(logged, "guest 3: flight recorder, the last 0 of 0 "));
	for (unsigned i = 0; i < 70; i++)
		exit_at(14, i, 0, i);
	exit_at(LGUEST_TRAP_ENTRY, 0xc0100892, 17, 1000);
	logged_len = 0;
	flight_print(&f, 3, 0);
	CHECK(strncmp(logged, "guest 3: flight recorder, the last 64 of 71 "
		      "exits and queued calls, oldest first", 80) == 0);
	CHECK(strstr(logged, "\nguest 3:   last-63 eip 0x00000007 "));
	CHECK(!strstr(logged, "last-64"));
	const char *last = strstr(logged, "\nguest 3:   last    eip 0xc0100892 ");
	CHECK(last != NULL);
	if (last) {
		CHECK(strstr(last, "hypercall 17 unknown(0x12, 0x13, 0x14)\n"));
		CHECK(strchr(last + 1, '\n')[1] == '\0');	/* the end */
	}
	unsigned lines = 0;
	for (const char *p = logged; (p = strchr(p, '\n')); p++)
		lines++;
	CHECK_EQ(lines, 1 + FLIGHT_ENTRIES);
}

int main(void)
{
	RUN(test_empty);
	RUN(test_order_and_cycles);
	RUN(test_wraps);
	RUN(test_cr2);
	RUN(test_async_before_exit);
	RUN(test_format);
	RUN(test_print);
	return CHECK_DONE();
}
