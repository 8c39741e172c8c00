/*
 * host/guests.h: making guests from multiboot modules, and the scheduler
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

/* "verbose" on the host command line: trace every guest's exits. */
void run_set_verbose(bool on);

/* Run every guest until all have stopped, then leave QEMU with a status
 * saying how they ended; load_failures (guest modules that could not be
 * loaded) counts too (host/qemu_exit.h has the order). */
__attribute__((noreturn)) void scheduler_run(unsigned load_failures);

#endif
