/*
 * host/rules/console_escape.c: the console's escape parser (see the header).
 * Ctrl-A, as in QEMU's own monitor escape and screen: a control byte no
 * line of text needs, and Ctrl-A Ctrl-A still reaches the guest.
 */
#include "rules/console_escape.h"

/* 0..15 for a hex digit, -1 for anything else. */
static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum console_escape_action console_escape_feed(struct console_escape *st,
						uint8_t c, unsigned *arg)
{
	*arg = 0;
	if (!st->pending) {
		if (c == CONSOLE_ESCAPE_CHAR) {
			st->pending = true;
			return CONSOLE_ESC_NONE;
		}
		*arg = c;
		return CONSOLE_ESC_BYTE;
	}
	st->pending = false;
	if (c == CONSOLE_ESCAPE_CHAR) {
		*arg = c;
		return CONSOLE_ESC_BYTE;
	}
	if (c == 'n')
		return CONSOLE_ESC_NEXT;
	int d = hex_digit(c);
	if (d >= 0) {
		*arg = (unsigned)d;
		return CONSOLE_ESC_SELECT;
	}
	*arg = c;
	return CONSOLE_ESC_UNKNOWN;
}
