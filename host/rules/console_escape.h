/*
 * host/rules/console_escape.h: the escape sequences typed on COM1 that pick
 * which guest gets console input (docs/host-design.md "Channels"):
 *
 *   Ctrl-A 0..9, a..f (or A..F)  input goes to guest 0..15
 *   Ctrl-A n                     input goes to the next live guest
 *   Ctrl-A Ctrl-A                a literal Ctrl-A for the guest
 *   Ctrl-A anything else         ignored (the host says so)
 *
 * Pure: a byte in, what it means out. host/dev/console.c acts on it. No
 * guest, no hardware; tests/unit/console_escape_test.c.
 */
#ifndef LGREF_HOST_CONSOLE_ESCAPE_H
#define LGREF_HOST_CONSOLE_ESCAPE_H

#include <stdbool.h>
#include <stdint.h>

#define CONSOLE_ESCAPE_CHAR 0x01	/* Ctrl-A */

enum console_escape_action {
	CONSOLE_ESC_NONE,	/* byte taken by the escape: nothing to do */
	CONSOLE_ESC_BYTE,	/* *arg is input for the guest */
	CONSOLE_ESC_SELECT,	/* input goes to guest *arg (0..15) */
	CONSOLE_ESC_NEXT,	/* input goes to the next live guest */
	CONSOLE_ESC_UNKNOWN,	/* Ctrl-A then byte *arg: not a sequence */
};

/* The parser's state; zero-initialised is "no escape begun". */
struct console_escape {
	bool pending;		/* a Ctrl-A came, its second byte not yet */
};

/* Feed one byte typed on COM1. Returns what it means; *arg is the byte
 * (CONSOLE_ESC_BYTE, CONSOLE_ESC_UNKNOWN) or the guest (SELECT), else 0. */
enum console_escape_action console_escape_feed(struct console_escape *st,
						uint8_t c, unsigned *arg);

#endif
