/*
 * host/rules/cmdline.h: words on the host's own command line (the
 * multiboot command line: "verbose", "blkspin=500", ...). Each layer reads
 * the words it owns (host/main.c, the device kinds' host_init()). A word
 * counts only whole: at the start or after a blank, and ending at a blank,
 * '=' (for a value) or the end.
 */
#ifndef LGREF_HOST_CMDLINE_H
#define LGREF_HOST_CMDLINE_H

#include <stdbool.h>

/* Is `word` on the line by itself (not word=VALUE)? */
bool cmdline_has_word(const char *cmdline, const char *word);

/* "word" or "word=VALUE" on the line: VALUE, up to the next blank, in the
 * line itself ("" for a bare word); NULL when absent. */
const char *cmdline_value(const char *cmdline, const char *word);

/* Is the value v (from cmdline_value()) exactly `text`? */
bool cmdline_value_is(const char *v, const char *text);

#endif
