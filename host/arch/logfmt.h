/*
 * host/arch/logfmt.h: a log line kept as its format and its arguments, to
 * be formatted later, by newlib's snprintf, exactly as it would have been
 * then.
 *
 * Why: while the host starts, every line it logs is kept and written later
 * (host/arch/log.c), but formatting one is code QEMU has never run: newlib's
 * printf engine is some hundred translated blocks, 0.6-0.7 ms of a start of
 * ~5 ms (docs/host-design.md "Boot", round 5). Keeping the arguments instead
 * puts all of that after the first guest's READY. Strings are copied when
 * the line is kept, so what a %s pointed to may change or go away; the
 * format itself is kept as a pointer (hlog() only takes string literals).
 */
#ifndef LGREF_HOST_LOGFMT_H
#define LGREF_HOST_LOGFMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* The longest line a kept one is formatted into, its NUL included: each
 * %s keeps at most LOGFMT_LINE_MAX - 1 bytes, which is all a line shows. */
#define LOGFMT_LINE_MAX 512

/* Write a record of fmt and of the arguments ap holds for it into
 * rec[0..room). Returns its length; 0 if it does not fit, or if fmt has a
 * conversion kept lines do not take: the caller then formats the line at
 * once. Taken: %%, and d i u o x X with no length, h or l; c, s and p
 * with none; flags, widths and precisions, * included, except # with o
 * (logfmt.c says why). ap is consumed either way. */
size_t logfmt_keep(uint8_t *rec, size_t room, const char *fmt, va_list ap);

/* Format a record of logfmt_keep() (len bytes) into out, as vsnprintf
 * would have formatted the line when it was kept: at most outlen - 1
 * bytes and a NUL (0 < outlen <= LOGFMT_LINE_MAX). Returns the line's
 * whole length (each %s counted as kept), which may be more than was
 * written; -1 if that is more than an int holds or rec is not such a
 * record. */
int logfmt_format(char *out, size_t outlen, const uint8_t *rec, size_t len);

#endif
