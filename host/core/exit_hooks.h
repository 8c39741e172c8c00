/*
 * host/core/exit_hooks.h: where a served exit's time goes, for `make
 * bench`: the run loop's two hooks and the report when a guest stops.
 *
 * Only build/host-prof.elf measures (compiled with LGREF_EXIT_PROFILE): the
 * switcher stamps the TSC at four points (EXIT_STAMP_* in
 * host/arch/switcher.h) and the run loop at two more through these hooks,
 * so a served hypercall splits into the %cr3 load into the guest, the
 * guest's own part up to the trap, the %cr3 load back, the return into C,
 * and the host's C code. host/prof/exit_profile.c implements them. The
 * shipped host.elf has none of this in its exit path: the hooks are empty
 * inline functions there.
 */
#ifndef LGREF_HOST_EXIT_HOOKS_H
#define LGREF_HOST_EXIT_HOOKS_H

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
