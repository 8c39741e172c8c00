/*
 * host/rules/printable.h: guest text made safe for the host's log. A
 * guest's CRASH message is 128 bytes of its choosing; written as they
 * are, a newline in them would start a line the guest wrote ("guest 1:
 * powered off"), fooling anyone who reads the log, scripts included.
 */
#ifndef LGREF_HOST_PRINTABLE_H
#define LGREF_HOST_PRINTABLE_H

#include <stddef.h>

/* Copy the NUL-terminated src into dst (dstlen > 0, always terminated),
 * with every byte outside printable ASCII (0x20..0x7E) and every
 * backslash written as \xNN. Truncates at a whole escape. Returns dst. */
char *printable_copy(char *dst, size_t dstlen, const char *src);

#endif
