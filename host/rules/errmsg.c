/*
 * host/rules/errmsg.c: formats validation failures into a caller's buffer with
 * the C library's vsnprintf (newlib on the host, glibc in the tests), so a
 * long message is cut, never overrun. See errmsg.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "rules/errmsg.h"

int errmsg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
