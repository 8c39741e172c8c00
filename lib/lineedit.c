/*
 * lib/lineedit.c: the line assembler of lib/lineedit.h. Input arrives in
 * arbitrary chunks (the lguest console delivers at most 256 bytes at a
 * time), so all state lives in struct lineedit between bytes.
 */
#include <stdlib.h>

#include "lineedit.h"

#define LINEEDIT_FIRST_CAP 128

void lineedit_init(struct lineedit *le)
{
	le->buf = NULL;
	le->len = 0;
	le->cap = 0;
	le->dropped = 0;
	le->after_cr = false;
}

const char *lineedit_line(const struct lineedit *le)
{
	return le->buf ? le->buf : "";
}

void lineedit_reset(struct lineedit *le)
{
	le->len = 0;
	le->dropped = 0;
	if (le->buf)
		le->buf[0] = '\0';
}

/* Room for one more byte and the NUL; false if we may not or cannot grow. */
static bool lineedit_grow(struct lineedit *le)
{
	if (le->len + 1 < le->cap)
		return true;
	if (le->len >= LINEEDIT_MAX)
		return false;
	size_t cap = le->cap ? le->cap * 2 : LINEEDIT_FIRST_CAP;
	if (cap > LINEEDIT_MAX + 1)
		cap = LINEEDIT_MAX + 1;
	char *buf = realloc(le->buf, cap);
	if (!buf)
		return false;
	le->buf = buf;
	le->cap = cap;
	return true;
}

enum lineedit_result lineedit_feed(struct lineedit *le, char c)
{
	bool after_cr = le->after_cr;

	le->after_cr = (c == '\r');
	if (c == '\n' && after_cr)
		return LINEEDIT_IGNORED;
	if (c == '\r' || c == '\n')
		return LINEEDIT_LINE;
	if (c == '\b' || c == 0x7F) {
		if (le->len == 0)
			return LINEEDIT_IGNORED;
		le->buf[--le->len] = '\0';
		return LINEEDIT_ERASED;
	}
	if (!lineedit_grow(le)) {
		le->dropped++;
		return LINEEDIT_IGNORED;
	}
	le->buf[le->len++] = c;
	le->buf[le->len] = '\0';
	return LINEEDIT_ADDED;
}
