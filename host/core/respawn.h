/*
 * host/core/respawn.h: launching a --respawn guest again when it stops,
 * and the ledger of pages checked before each re-launch
 * (host/core/respawn.c).
 */
#ifndef LGREF_HOST_RESPAWN_H
#define LGREF_HOST_RESPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest;

/* Guest `id` was just launched from this module: if it has --respawn,
 * keep the module and arguments (the boot loader's memory, which stays)
 * to launch it again. */
void respawn_keep(unsigned id, const char *args, const uint8_t *image,
		  size_t image_len, const uint8_t *initrd, size_t initrd_len);

/* g, started with --respawn, stopped and guest_release() gave everything
 * back: launch it again in its slot if it may go again (--respawn=N: at
 * most N times; bare --respawn: while a guest runs that has no --respawn
 * or a --respawn=N), after saying the ledger on the log. Counts how its
 * launches ended. 1: running again; 0: not to be relaunched (also for a
 * guest without --respawn); -1: the relaunch failed to load (said on the
 * log; the slot is free), a load failure for the exit status; 2: later,
 * since its last launch lived less than 100 ms (the back-off, an alarm is
 * armed): call again on a later turn. */
int respawn_relaunch(struct guest *g);

/* Is g's next launch waiting out its back-off (respawn_relaunch() said
 * 2: "later")? The scheduler asks again on every turn. */
bool respawn_waiting(const struct guest *g);

/* At the end: one line per --respawn guest (launches and how they
 * ended); whether any launch of one was killed, or crashed (the state of
 * the slot shows only the last). */
void respawn_report(bool *killed, bool *crashed);

/* The ledger of pages: free pages before the first launch; then, at any
 * time, free pages and pages held by guests and devices, which must add
 * up to it (true) if no page was lost or freed twice. */
void respawn_ledger_start(size_t free_pages);
bool respawn_ledger(size_t *free_pages, size_t *held, size_t *start);

#endif
