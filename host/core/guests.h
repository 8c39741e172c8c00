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
 * §9.3), `image` its kernel. Returns its guest id; on failure prints why
 * and returns -1, and the host goes on with the other guests. */
int guest_launch(const char *args, const uint8_t *image, size_t image_len,
		 const uint8_t *initrd, size_t initrd_len);

/* The same in slot g (free, or given back by guest_release()): for a
 * re-launch, host/core/respawn.c. On failure the slot is free again. */
struct guest;
int guest_launch_in(struct guest *g, const char *args, const uint8_t *image,
		    size_t image_len, const uint8_t *initrd,
		    size_t initrd_len);

/* Give back everything g holds (devices, bindings, page tables, switcher
 * pages, memory): it stopped, or its launch failed. Its state and reason
 * stay, for the host's exit status. False while a device still has a
 * transfer in flight into its memory (a disk's request): then nothing is
 * given back, g->kept is set, and the caller calls again later. */
struct guest;
bool guest_release(struct guest *g);

/* Host pages g's memory takes: the memory itself and the bitmap of its
 * pages gmem has zeroed (struct gmem's `scrubbed`). */
size_t guest_mem_pages(const struct guest *g);

/* Guests whose memory is kept for a device (g->kept), and their pages. */
unsigned guests_kept(size_t *pages);

/* Shadow pages the running guests but `except` may still take, each up
 * to its quota: what a launch must leave free. */
size_t shadow_pages_promised(const struct guest *except);

/* "verbose" on the host command line: trace every guest's exits. */
void run_set_verbose(bool on);

/* Run every guest until all have stopped, then return the status for
 * QEMU saying how they ended; load_failures (guest modules that could not
 * be loaded) counts too (host/arch/qemu_exit.h has the order). */
uint32_t scheduler_run(unsigned load_failures);

#endif
