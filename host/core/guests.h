/*
 * host/core/guests.h: making guests from multiboot modules, and the scheduler
 * that runs them until none is left.
 */
#ifndef LGREF_HOST_GUESTS_H
#define LGREF_HOST_GUESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Launch one guest: `args` is its launcher command line (docs/abi.md
 * §9.3), `image` its kernel. On failure prints why and returns -1; the
 * host goes on with the other guests. */
int guest_launch(const char *args, const uint8_t *image, size_t image_len,
		 const uint8_t *initrd, size_t initrd_len);

/* Give back everything g holds (devices, bindings, page tables, switcher
 * pages, memory): it stopped, or its launch failed. Its state and reason
 * stay, for the host's exit status. False while a device still has a
 * transfer in flight into its memory (a disk's request): then nothing is
 * given back, g->kept is set, and the caller calls again later. */
struct guest;
bool guest_release(struct guest *g);

/* Guests whose memory is kept for a device (g->kept), and their pages. */
unsigned guests_kept(size_t *pages);

/* g, started with --respawn, stopped and guest_release() gave everything
 * back: launch it again in its slot if it may go again (--respawn=N: at
 * most N times; bare --respawn: while a guest runs that has no --respawn
 * or a --respawn=N), after saying the ledger on the log. Counts how its
 * launches ended. 1: running again; 0: not to be relaunched (also for a
 * guest without --respawn); -1: the relaunch failed to load (said on the
 * log; the slot is free), a load failure for the exit status. */
int guest_respawn(struct guest *g);

/* At the end: one line per --respawn guest (launches and how they
 * ended); whether any launch of one was killed, or crashed (the state of
 * the slot shows only the last). */
void guests_respawn_report(bool *killed, bool *crashed);

/* The ledger of pages: free pages before the first launch; then, at any
 * time, free pages and pages held by guests and devices, which must add
 * up to it (true) if no page was lost or freed twice. */
void guests_ledger_start(size_t free_pages);
bool guests_ledger(size_t *free_pages, size_t *held, size_t *start);

/* "verbose" on the host command line: trace every guest's exits. */
void run_set_verbose(bool on);

/* Run every guest until all have stopped, then return the status for
 * QEMU saying how they ended; load_failures (guest modules that could not
 * be loaded) counts too (host/arch/qemu_exit.h has the order). */
uint32_t scheduler_run(unsigned load_failures);

#endif
