/*
 * lib/lineedit.h: turning a byte stream into lines, the way a terminal's
 * line discipline would: CR, LF and CR LF each end one line, backspace and
 * DEL erase the last byte. Lines may be any length up to LINEEDIT_MAX
 * bytes (the buffer grows with realloc); beyond that bytes are counted and
 * dropped. Pure logic: the caller does the reading and the echoing.
 */
#ifndef LGREF_LIB_LINEEDIT_H
#define LGREF_LIB_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#define LINEEDIT_MAX 65536

struct lineedit {
	char *buf;        /* the line so far, NUL-terminated; NULL until
			   * the first byte (use lineedit_line()) */
	size_t len;       /* bytes in the line */
	size_t cap;       /* bytes allocated */
	size_t dropped;   /* bytes lost to LINEEDIT_MAX in this line */
	bool after_cr;    /* last byte was CR: a following LF is not a line */
};

/* What one byte did, so the caller can echo it. */
enum lineedit_result {
	LINEEDIT_ADDED,   /* appended to the line (echo it if printable) */
	LINEEDIT_ERASED,  /* removed the last byte (echo "\b \b") */
	LINEEDIT_IGNORED, /* nothing: LF of CR LF, erase on empty, dropped */
	LINEEDIT_LINE,    /* line complete: lineedit_line() and len hold it
			   * until lineedit_reset() */
};

/* Start empty (no allocation until the first byte). */
void lineedit_init(struct lineedit *le);

/* Feed one byte. After LINEEDIT_LINE, use the line, then call
 * lineedit_reset() before feeding more. */
enum lineedit_result lineedit_feed(struct lineedit *le, char c);

/* The line so far (or the completed line), NUL-terminated; it may also
 * contain NUL bytes of its own, so use le->len for its length. */
const char *lineedit_line(const struct lineedit *le);

/* Forget the completed line (keeps the buffer and the CR state). */
void lineedit_reset(struct lineedit *le);

#endif
