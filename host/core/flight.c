/*
 * host/core/flight.c: the flight recorder's cold half: reading the ring back
 * and printing it (the recording itself is inline in flight.h). Runs once
 * per guest that is killed or crashes, so it may divide and format.
 */
#include <stdio.h>
#include <string.h>

#include <lguest/lguest.h>

#include "rules/exit_names.h"
#include "core/flight.h"
#include "arch/log.h"

#define FLIGHT_IRQ_BASE 32	/* host/arch/pic.h PIC_VECTOR_BASE */

void flight_record_async(struct flight *f, bool before_exit, uint32_t call,
			 uint32_t edx, uint32_t ebx, uint32_t ecx)
{
	struct flight_entry *e =
		&f->e[(uint32_t)f->recorded & (FLIGHT_ENTRIES - 1)];

	if (before_exit && f->recorded) {
		struct flight_entry *last =
			&f->e[(uint32_t)(f->recorded - 1) & (FLIGHT_ENTRIES - 1)];
		*e = *last;	/* the exit moves one place on */
		e = last;
	}
	memset(e, 0, sizeof(*e));
	e->trap = FLIGHT_ASYNC;
	e->eax = call;
	e->edx = edx;
	e->ebx = ebx;
	e->ecx = ecx;
	f->recorded++;
}

unsigned flight_count(const struct flight *f)
{
	return f->recorded < FLIGHT_ENTRIES ? (unsigned)f->recorded
					    : FLIGHT_ENTRIES;
}

const struct flight_entry *flight_get(const struct flight *f, unsigned i)
{
	unsigned n = flight_count(f);

	if (i >= n)
		return NULL;
	return &f->e[(uint32_t)(f->recorded - n + i) & (FLIGHT_ENTRIES - 1)];
}

/* Decimal digits of a 64-bit number (newlib's small printf has no %ll). */
static char *u64_text(uint64_t v, char buf[21])
{
	char *p = buf + 20;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}

/* Exceptions for which the CPU pushes an error code. */
static bool has_errcode(uint32_t trap)
{
	return trap == 8 || (trap >= 10 && trap <= 14) || trap == 17 ||
	       trap == 21;
}

char *flight_format(const struct flight_entry *e, uint32_t tsc_khz,
		    char *buf, size_t len)
{
	char digits[21], when[64];
	size_t n;

	if (e->trap == FLIGHT_ASYNC) {
		snprintf(when, sizeof(when), "queued in the async ring");
	} else {
		n = (size_t)snprintf(when, sizeof(when), "eip 0x%08lx +%s cycles",
				     (unsigned long)e->eip,
				     u64_text(e->cycles, digits));
		if (tsc_khz && n < sizeof(when)) {
			uint64_t tenths = e->cycles * 10000 / tsc_khz;
			if (tenths < 100000)
				snprintf(when + n, sizeof(when) - n,
					 " (%lu.%lu us)",
					 (unsigned long)(tenths / 10),
					 (unsigned long)(tenths % 10));
			else
				snprintf(when + n, sizeof(when) - n, " (%s us)",
					 u64_text(tenths / 10, digits));
		}
	}
	if (e->trap == FLIGHT_ASYNC || e->trap == LGUEST_TRAP_ENTRY)
		snprintf(buf, len, "%-44s hypercall %lu %s(0x%lx, 0x%lx, 0x%lx)",
			 when, (unsigned long)e->eax, exit_hcall_name(e->eax),
			 (unsigned long)e->edx, (unsigned long)e->ebx,
			 (unsigned long)e->ecx);
	else if (e->trap >= FLIGHT_IRQ_BASE && e->trap < FLIGHT_IRQ_BASE + 16)
		snprintf(buf, len, "%-44s trap %lu %s (IRQ %lu)", when,
			 (unsigned long)e->trap, exit_trap_name(e->trap),
			 (unsigned long)(e->trap - FLIGHT_IRQ_BASE));
	else if (e->trap == 14)
		snprintf(buf, len, "%-44s trap 14 %s, error code 0x%lx, cr2 0x%lx",
			 when, exit_trap_name(14), (unsigned long)e->errcode,
			 (unsigned long)e->cr2);
	else if (has_errcode(e->trap))
		snprintf(buf, len, "%-44s trap %lu %s, error code 0x%lx", when,
			 (unsigned long)e->trap, exit_trap_name(e->trap),
			 (unsigned long)e->errcode);
	else
		snprintf(buf, len, "%-44s trap %lu %s", when,
			 (unsigned long)e->trap, exit_trap_name(e->trap));
	return buf;
}

void flight_print(const struct flight *f, unsigned guest_id,
		  uint32_t tsc_khz)
{
	char digits[21], line[192];
	unsigned n = flight_count(f);

	hlog("guest %u: flight recorder, the last %u of %s exits and queued "
	     "calls, oldest first (cycles: TSC ticks since the exit before; "
	     "hypercall arguments: edx, ebx, ecx):\n", guest_id, n,
	     u64_text(f->recorded, digits));
	for (unsigned i = 0; i < n; i++) {
		unsigned age = n - 1 - i;
		char label[16];
		if (age)
			snprintf(label, sizeof(label), "last-%u", age);
		else
			snprintf(label, sizeof(label), "last");
		hlog("guest %u:   %-7s %s\n", guest_id, label,
		     flight_format(flight_get(f, i), tsc_khz, line,
				   sizeof(line)));
	}
}
