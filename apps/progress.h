/*
 * apps/progress.h: the "for SECONDS" mode the long-running commands share
 * (`bench ... for S`, `udpecho ADDR for S`, `serve S`): the work repeats
 * until S seconds have passed, with one progress line every
 * PROGRESS_PERIOD_S seconds and one at the end, so that something
 * watching the console (scripts/soak.py) sees every guest make progress
 * and can tell one that stalls.
 *
 * Several guests share one console, so each progress line carries the
 * guest id (KEYWORD[N], like the prompt's lgref[N]) and goes out in one
 * console write that never crosses a page: one SEND_DMA, which the host
 * writes out whole, never cut by another guest's output.
 */
#ifndef LGREF_APPS_PROGRESS_H
#define LGREF_APPS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#define PROGRESS_PERIOD_S 5
#define PROGRESS_MAX_S 86400 /* for S: 1 second to a day */

struct progress {
	uint64_t start_ns, end_ns, next_ns;
};

/*
 * Find "for S" among the space- or comma-separated words of args and
 * take it out: the other words are copied, space-separated, into rest
 * (size bytes). Returns 1 with *seconds set, 0 when there is no "for",
 * or -1 (after a "<cmd>: for: ..." message) when S is not a whole number
 * from 1 to PROGRESS_MAX_S or rest is too small.
 */
int progress_take_for(const char *cmd, const char *args, char *rest,
		      unsigned size, uint32_t *seconds);

/* Start the clock: the work is over `seconds` from now. */
void progress_start(struct progress *p, uint32_t seconds);

/* Is the time up? */
bool progress_over(const struct progress *p);

/* Is a progress line due (then the next is due a period later)? */
bool progress_due(struct progress *p);

/* Whole seconds since progress_start(). */
uint32_t progress_elapsed_s(const struct progress *p);

/* One progress line: "KEYWORD[N] " (N our guest id) and the formatted
 * rest, with its newline, in one console write (at most 200 bytes). */
void progress_line(const char *keyword, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* n in decimal, all 64 bits (newlib-nano's printf has no %llu); buf
 * holds 24 bytes; returns buf. */
const char *progress_u64(uint64_t n, char *buf);

#endif
