/*
 * host/arch/qemu_exit.h: leaving QEMU with a status, through the isa-debug-exit
 * device at port 0xf4 (QEMUOPTS in the Makefile wires it). QEMU's process
 * exit code is (value << 1) | 1. The values are our own convention,
 * docs/abi.md §14.
 */
#ifndef LGREF_HOST_QEMU_EXIT_H
#define LGREF_HOST_QEMU_EXIT_H

#include <stdint.h>

#define QEMU_EXIT_PORT 0xF4

#define HOST_EXIT_POWERED_OFF 0x10 /* every guest said "Power down" */
#define HOST_EXIT_CRASHED 0x11	   /* some guest crashed */
#define HOST_EXIT_KILLED 0x12	   /* some guest broke the ABI */
#define HOST_EXIT_PANIC 0x13	   /* a host bug */
#define HOST_EXIT_LOAD_FAILED 0x14 /* some guest module could not be
				    * loaded (bad image, memory size...) */

/* When several apply, the host leaves with the first of: PANIC (at once),
 * KILLED, CRASHED, LOAD_FAILED, POWERED_OFF (docs/host-design.md "Exit
 * status"). With no guest loaded at all it leaves at once with
 * LOAD_FAILED, or POWERED_OFF if there was no guest module to load. */

/* Leave QEMU. Under a real machine (no debug-exit device) just halt. */
__attribute__((noreturn)) void qemu_exit(uint32_t value);

/* Called first by qemu_exit() when set: host/arch/log.c writes the lines
 * it still keeps (a callback, since log.c itself calls qemu_exit()). */
extern void (*qemu_exit_first)(void);

#endif
