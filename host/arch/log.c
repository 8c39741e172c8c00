/*
 * host/arch/log.c: formatted diagnostics over a UART. Formatting is newlib's
 * (no hand-rolled printf); a line longer than the buffer is cut, never
 * overrun.
 */
#include <stdarg.h>
#include <stdio.h>

#include "arch/log.h"
#include "arch/qemu_exit.h"
#include "arch/serial.h"

static uint16_t log_port = SERIAL_COM1;

void log_init(uint16_t port)
{
	log_port = port;
	serial_init(port);
}

static void log_vprintf(const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
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

	hlog("HOST PANIC at %s:%d: ", file, line);
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
	hlog("\n");
	qemu_exit(HOST_EXIT_PANIC);
}
