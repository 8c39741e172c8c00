/*
 * host/rules/printable.c: guest text made safe for the host's log
 * (host/rules/printable.h). Pure, tested natively.
 */
#include "rules/printable.h"

char *printable_copy(char *dst, size_t dstlen, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		if (c >= 0x20 && c < 0x7F && c != '\\') {
			if (n + 1 >= dstlen)
				break;
			dst[n++] = (char)c;
			continue;
		}
		if (n + 4 >= dstlen)
			break;
		dst[n++] = '\\';
		dst[n++] = 'x';
		dst[n++] = hex[c >> 4];
		dst[n++] = hex[c & 15];
	}
	dst[n] = '\0';
	return dst;
}
