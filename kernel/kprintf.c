/*
 * kernel/kprintf.c: kernel messages. The program's own output goes through
 * newlib's stdio (lib/syscalls.c); both end in console_write()
 * (drivers/console.c), which needs no set-up beyond LGUEST_INIT.
 */
#include <stdarg.h>
#include <stdio.h>

#include "../drivers/console.h"
#include "kprintf.h"

#define KPRINTF_MAX 512

void kprintf(const char *fmt, ...)
{
	char line[KPRINTF_MAX];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	console_write(line, (size_t)n);
}
