/*
 * host/core/flight.h: each guest's flight recorder, its last FLIGHT_ENTRIES
 * exits, printed on the diagnostic channel when the guest is killed or
 * crashes (never on a clean "Power down"), so that a guest author sees
 * what led up to the end.
 *
 * Recording is a few stores into a ring in struct guest, inline, on every
 * exit that reaches the host's C code: no printing, no division, no call.
 * Exits the switcher answers by itself (the null hypercall short cut,
 * docs/host-design.md) never reach C and are not recorded. Calls from the
 * async ring are recorded as they run, just before the hypercall exit
 * that made the host drain the ring (they run before it, abi.md §2.1).
 * Printing (flight.c) is the only costly part and happens once per guest.
 */
#ifndef LGREF_HOST_FLIGHT_H
#define LGREF_HOST_FLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLIGHT_ENTRIES 64	/* a power of two: the index is a mask */
#define FLIGHT_ASYNC 0xFFFF	/* trap of an entry for a queued call */

/* One exit as the switcher saved it. For a hypercall (trap 0x1F) eax is
 * the call and edx, ebx, ecx its arguments; for a queued call likewise,
 * with trap FLIGHT_ASYNC and eip 0. */
struct flight_entry {
	uint64_t cycles;	/* TSC ticks since the exit before (the
				 * first: since the launch); 0 if queued */
	uint32_t eip;
	uint32_t eax, edx, ebx, ecx;
	uint32_t errcode;	/* the CPU's, for exceptions that push one */
	uint32_t cr2;		/* page faults only (flight_note_cr2) */
	uint32_t trap;		/* struct guest_regs.trapnum, or FLIGHT_ASYNC */
};

struct flight {
	uint64_t recorded;	/* entries ever recorded */
	uint64_t last_tsc;	/* TSC at the last exit (or the launch) */
	struct flight_entry e[FLIGHT_ENTRIES];
};

/* Start an empty recorder; `now` is the TSC at the guest's launch. */
static inline void flight_init(struct flight *f, uint64_t now)
{
	f->recorded = 0;
	f->last_tsc = now;
}

/* Record one exit (the hot path: called on every exit). `now` is the TSC
 * just after it. */
static inline void flight_record_exit(struct flight *f, uint32_t trap,
				      uint32_t eip, uint32_t eax, uint32_t edx,
				      uint32_t ebx, uint32_t ecx,
				      uint32_t errcode, uint64_t now)
{
	struct flight_entry *e =
		&f->e[(uint32_t)f->recorded++ & (FLIGHT_ENTRIES - 1)];

	e->cycles = now - f->last_tsc;
	f->last_tsc = now;
	e->trap = trap;
	e->eip = eip;
	e->eax = eax;
	e->edx = edx;
	e->ebx = ebx;
	e->ecx = ecx;
	e->errcode = errcode;
}

/* The faulting address of the page fault just recorded. */
static inline void flight_note_cr2(struct flight *f, uint32_t cr2)
{
	if (f->recorded)
		f->e[(uint32_t)(f->recorded - 1) & (FLIGHT_ENTRIES - 1)].cr2 =
			cr2;
}

/* Record a call from the async ring as it runs. before_exit: the entry
 * recorded last is a hypercall exit not yet served, which runs after this
 * call, so this entry goes in before it. */
void flight_record_async(struct flight *f, bool before_exit, uint32_t call,
			 uint32_t edx, uint32_t ebx, uint32_t ecx);

/* Entries held: min(recorded, FLIGHT_ENTRIES). */
unsigned flight_count(const struct flight *f);

/* The i-th entry held, 0 = the oldest; NULL if i >= flight_count(). */
const struct flight_entry *flight_get(const struct flight *f, unsigned i);

/* One entry as text: what it was, with names (host/rules/exit_names.h), the
 * hypercall's arguments or the exception's error code and cr2, eip and
 * cycles (with microseconds if tsc_khz is non-zero). Returns buf. */
char *flight_format(const struct flight_entry *e, uint32_t tsc_khz,
		    char *buf, size_t len);

/* Print the recorder on the host's log (hlog), oldest first: a heading,
 * then one line per entry "guest N:   last-K ...", the last one (K = 0)
 * written "last". */
void flight_print(const struct flight *f, unsigned guest_id,
		  uint32_t tsc_khz);

#endif
