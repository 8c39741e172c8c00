/*
 * host/arch/log.h: formatted host diagnostics. hlog() formats with newlib's
 * printf and writes to the host's log channel (COM2; COM1 is the guests'
 * console), or, while the host starts, keeps the line to format and write
 * later (log.c).
 */
#ifndef LGREF_HOST_LOG_H
#define LGREF_HOST_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void log_init(uint16_t port);

/* From now until log_flush(), keep lines in memory rather than write them
 * (log.c says when they are written). deadline_tsc: the TSC after which
 * the timer writes them whatever the guests do (log_flush_deadline). */
void log_defer(uint64_t deadline_tsc);
/* lines() says, with hlog(), what comes before every kept line; the first
 * log_flush() calls it, once, before it writes them (so what it reads
 * must last until then). For lines that are dear to format and can wait. */
void log_first(void (*lines)(void));
/* Write every kept line, in order, and write lines at once from now on.
 * Safe to call at any time, and again. */
void log_flush(void);
/* Non-zero while lines are kept: when they must be written at latest. */
extern uint64_t log_flush_deadline;
/* One line (or part of one), formatted as printf does. The format must be
 * a string literal (the macro makes any other a compile error): a kept
 * line keeps only a pointer to it, and formats it when it is written
 * (log.c; its %s arguments are copied when it is kept). */
#define hlog(fmt, ...) hlog_line("" fmt, ##__VA_ARGS__)
void hlog_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A host bug: print file, line and message, then leave QEMU. */
__attribute__((noreturn, format(printf, 3, 4))) void
host_panic(const char *file, int line, const char *fmt, ...);
#define HOST_PANIC(...) host_panic(__FILE__, __LINE__, __VA_ARGS__)
#define HOST_ASSERT(expr)                                                  \
	do {                                                               \
		if (!(expr))                                               \
			HOST_PANIC("assertion failed: %s", #expr);         \
	} while (0)

#endif
