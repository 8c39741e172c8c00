/*
 * kernel/kprintf.c: kernel messages, through the kernel's own console
 * output (kernel/early_console.c), which needs no set-up beyond
 * LGUEST_INIT: no driver, no interrupts. The program's own output goes
 * through newlib's stdio (lib/syscalls.c) and the console driver
 * (drivers/console.c), whose output is that same early console.
 */
#include <stdarg.h>
#include <stdio.h>

#include "early_console.h"
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
	early_console_write(line, (size_t)n);
}
