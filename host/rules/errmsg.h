/*
 * host/rules/errmsg.h: one way to report a validation failure. Every pure
 * check_*() style function in host/ takes a caller-supplied (err, errlen)
 * buffer and fills it with one line naming the call, the field and the bad
 * value (STYLE.md §7). The handler then kills the guest with that text.
 */
#ifndef LGREF_HOST_ERRMSG_H
#define LGREF_HOST_ERRMSG_H

#include <stddef.h>

/* Format into err (always NUL-terminated when errlen > 0; err may be NULL
 * or errlen 0 to discard the text) and return -1, so a validator can say
 * "return errmsg(err, errlen, ...);". */
int errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
