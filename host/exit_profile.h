/*
 * host/exit_profile.h: where a served exit's time goes, for `make bench`.
 *
 * Only build/host-prof.elf measures (compiled with LGREF_EXIT_PROFILE): the
 * switcher stamps the TSC at four points and the run loop at two more, so
 * a served hypercall splits into the %cr3 load into the guest, the guest's
 * own part up to the trap, the %cr3 load back, the return into C, and the
 * host's C code. The shipped host.elf has none of this in its exit path.
 */
#ifndef LGREF_HOST_EXIT_PROFILE_H
#define LGREF_HOST_EXIT_PROFILE_H

/* Stamp slots in the first bytes of the register page (switcher.S writes
 * the low 32 bits of the TSC there; the guest could overwrite them, which
 * would only spoil its own profile). */
#define EXIT_STAMP_ENTER 0	/* enter_guest, before lgdt */
#define EXIT_STAMP_GUEST_CR3 4	/* just after the guest's %cr3 is loaded */
#define EXIT_STAMP_TRAP 8	/* trap_common, after the registers are saved */
#define EXIT_STAMP_HOST_CR3 12	/* back on the host's %cr3, GDT and IDT */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct guest;

#ifdef LGREF_EXIT_PROFILE
/* Just before switcher_run(): ends the host's C part of the last counted
 * exit and notes when this entry began. */
void exit_profile_entry(void);

/* Just after switcher_run(): a hypercall exit is counted, other exits
 * ignored. */
void exit_profile_exit(const struct guest *g);

/* Print "EXITPROF stage_ns=median" lines for the exits counted since the
 * last report (every guest's), then start again. */
void exit_profile_report(const struct guest *g);
#else
static inline void exit_profile_entry(void) {}
static inline void exit_profile_exit(const struct guest *g) { (void)g; }
static inline void exit_profile_report(const struct guest *g) { (void)g; }
#endif
#endif

#endif
