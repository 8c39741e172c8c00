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
 * Why some lines are not even formatted yet: the first vsnprintf() of
 * each kind of conversion is code QEMU has never run, and translating it
 * costs 100-500 us a line. The report of what the boot loader handed
 * over (host/main.c) is therefore a function, log_first(), that the
 * first flush calls before it writes the kept lines: the same lines in
 * the same place, and 0.1-0.5 ms less before the first guest instruction
 * (less than the lines cost, as the next line formatted pays for the
 * conversions they shared; docs/host-design.md "Boot", round 4).
 */
#include <stdarg.h>
#include <stdio.h>

#include "arch/log.h"
#include "arch/qemu_exit.h"
#include "arch/serial.h"

static uint16_t log_port = SERIAL_COM1;

/* The kept lines: bytes [sent, used) are still to be written. */
static char kept[4096];
static size_t kept_used, kept_sent;
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
	/* One byte at a time through kept_sent, so that a panic in the
	 * middle (it flushes too) goes on from where this stopped. */
	while (kept_sent < kept_used) {
		size_t at = kept_sent++;
		serial_write(log_port, &kept[at], 1);
	}
}

static void log_vprintf(const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (writing_first) {
		serial_write(log_port, line, (size_t)n);
		return;
	}
	if (deferring && kept_used + (size_t)n <= sizeof(kept)) {
		for (int i = 0; i < n; i++)
			kept[kept_used++] = line[i];
		return;
	}
	log_flush();		/* full, or no longer deferring */
	serial_write(log_port, line, (size_t)n);
}

void hlog(const char *fmt, ...)
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
