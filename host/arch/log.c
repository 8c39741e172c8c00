/*
 * host/arch/log.c: formatted diagnostics over a UART. Formatting is newlib's
 * (no hand-rolled printf); a line longer than the buffer is cut, never
 * overrun.
 *
 * Why lines can wait: QEMU writes each byte of a 16550 to its file with a
 * system call, 2-2.5 us a byte, so the ~600 bytes the host says while it
 * starts cost ~1.5 ms before the first guest instruction. From
 * log_defer() until log_flush(), lines are kept in a buffer instead and
 * written, in order, when the host has nothing better to do (the
 * scheduler's first idle, host/core/run.c), when the deadline passes
 * (host/core/timer.c), when the buffer is full, and always before the
 * host leaves QEMU (qemu_exit(), so a panic's line comes after every
 * line before it). Nothing is lost and no line changes place.
 *
 * Why kept lines are not formatted yet: newlib's printf engine is code
 * QEMU has never run, and translating it costs 0.6-0.7 ms of a start of
 * ~5 ms, however few lines there are. A kept line is its format and its
 * arguments (host/arch/logfmt.h), formatted when it is written; one that
 * logfmt does not take is formatted at once and kept as text. The report
 * of what the boot loader handed over (host/main.c) waits as a function,
 * log_first(), that the first flush calls before it writes the kept lines
 * (docs/host-design.md "Boot", rounds 4 and 5).
 */
#include <stdarg.h>
#include <stdio.h>

#include "arch/log.h"
#include "arch/qemu_exit.h"
#include "arch/serial.h"
#include "arch/logfmt.h"

static uint16_t log_port = SERIAL_COM1;

/* The kept lines, each a 16-bit length and a logfmt record: bytes
 * [sent, used) are still to be written. */
static uint8_t kept[4096];
static size_t kept_used, kept_sent;
#define KEPT_LEN_BYTES 2
_Static_assert(sizeof(kept) <= 65536, "a record's length fits 16 bits");

/* The kept line being written, and how much of it is out. */
static char out_line[LOGFMT_LINE_MAX];
static size_t out_len, out_sent;
static bool deferring;
uint64_t log_flush_deadline;	/* TSC; 0 when nothing is kept */

/* log_first(): the lines before every kept one, not yet formatted; and
 * whether they are being written now (their hlog()s go straight out). */
static void (*first_lines)(void);
static bool writing_first;

void log_init(uint16_t port)
{
	log_port = port;
	serial_init(port);
}

void log_defer(uint64_t deadline_tsc)
{
	qemu_exit_first = log_flush;
	deferring = true;
	log_flush_deadline = deadline_tsc;
}

void log_first(void (*lines)(void))
{
	first_lines = lines;
}

void log_flush(void)
{
	deferring = false;
	log_flush_deadline = 0;
	if (first_lines) {
		void (*lines)(void) = first_lines;
		first_lines = NULL;
		writing_first = true;
		lines();
		writing_first = false;
	}
	/* One byte at a time through out_sent, and each line taken off
	 * the buffer before it is formatted, so that a panic in the middle
	 * (it flushes too) goes on from where this stopped. */
	for (;;) {
		while (out_sent < out_len) {
			size_t at = out_sent++;
			serial_write(log_port, &out_line[at], 1);
		}
		if (kept_sent >= kept_used)
			break;
		size_t len = kept[kept_sent] | (size_t)kept[kept_sent + 1] << 8;
		const uint8_t *rec = kept + kept_sent + KEPT_LEN_BYTES;
		kept_sent += KEPT_LEN_BYTES + len;
		int n = logfmt_format(out_line, sizeof(out_line), rec, len);
		if (n < 0)	/* a damaged record, or over INT_MAX bytes */
			n = snprintf(out_line, sizeof(out_line),
				     "(a kept log line could not be "
				     "formatted)\n");
		out_len = (size_t)n < sizeof(out_line) ? (size_t)n :
			  sizeof(out_line) - 1;
		out_sent = 0;
	}
}

/* Keep a line (its record) if it fits; false if not. */
static bool keep_vline(const char *fmt, va_list ap)
{
	size_t at = kept_used + KEPT_LEN_BYTES;

	if (at >= sizeof(kept))
		return false;
	size_t len = logfmt_keep(kept + at, sizeof(kept) - at, fmt, ap);
	if (!len)
		return false;
	kept[kept_used] = (uint8_t)len;
	kept[kept_used + 1] = (uint8_t)(len >> 8);
	kept_used = at + len;
	return true;
}

static bool keep_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bool kept_it = keep_vline(fmt, ap);
	va_end(ap);
	return kept_it;
}

static void log_vprintf(const char *fmt, va_list ap)
{
	char line[LOGFMT_LINE_MAX];

	if (deferring && !writing_first) {
		va_list aq;
		va_copy(aq, ap);
		bool kept_it = keep_vline(fmt, aq);
		va_end(aq);
		if (kept_it)
			return;
	}
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (writing_first) {
		serial_write(log_port, line, (size_t)n);
		return;
	}
	/* Not a line logfmt takes: kept as text (up to a NUL in it, which
	 * only a %c of 0 could put there). */
	if (deferring && keep_line("%s", line))
		return;
	log_flush();		/* full, or no longer deferring */
	serial_write(log_port, line, (size_t)n);
}

void hlog_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

void host_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	log_flush();
	hlog("HOST PANIC at %s:%d: ", file, line);
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
	hlog("\n");
	qemu_exit(HOST_EXIT_PANIC);
}
