/*
 * lib/bootcmd.h: console commands given on the guest's command line, for
 * a guest nobody can type at (with several guests, console input goes to
 * the lowest-numbered one only). docs/abi.md §14.2:
 *
 *   run=CMD      a command line for the prompt, with commas for spaces:
 *                run=ping,10.0.0.1,3 is "ping 10.0.0.1 3"; several run=
 *                words run in the order given
 *   runwait=MS   wait MS milliseconds before the first one (the peers
 *                may still be booting)
 *
 * Pure string work; apps/shell.c runs the commands.
 */
#ifndef LGREF_LIB_BOOTCMD_H
#define LGREF_LIB_BOOTCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOTCMD_WAIT_MAX_MS 600000u /* runwait= is cut to 10 minutes */

/*
 * The command of the first run= word of cmdline at or after offset *pos,
 * commas turned into spaces, in out (cut to size - 1 bytes; size > 0).
 * Moves *pos past that word. Returns false, with out = "", when there is
 * none left. Start with *pos = 0.
 */
bool bootcmd_next(const char *cmdline, size_t *pos, char *out, size_t size);

/* The value of runwait= in milliseconds: 0 when absent or not a plain
 * decimal number, at most BOOTCMD_WAIT_MAX_MS. */
uint32_t bootcmd_wait_ms(const char *cmdline);

#endif
