/*
 * host/qemu_exit.h: leaving QEMU with a status, through the isa-debug-exit
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

/* Leave QEMU. Under a real machine (no debug-exit device) just halt. */
__attribute__((noreturn)) void qemu_exit(uint32_t value);

#endif
