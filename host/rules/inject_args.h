/*
 * host/rules/inject_args.h: the value of the host word inject=, the
 * test-only fault injection of docs/host-design.md "Fault injection"
 * ("inject=blk-fail:5,net-drop:3"). Only the parsing is here, pure, for
 * the unit test and the fuzzer; what each mode does is host/core/inject.c
 * and the sites that call it.
 */
#ifndef LGREF_HOST_INJECT_ARGS_H
#define LGREF_HOST_INJECT_ARGS_H

#include <stddef.h>
#include <stdint.h>

enum inject_mode {
	INJECT_BLK_FAIL,	/* every Nth block request: result 2 */
	INJECT_BLK_STALL,	/* every Nth at the disk: held to its deadline */
	INJECT_BLK_SHORT,	/* every Nth read: result 1, used_len short */
	INJECT_NET_DROP,	/* every Nth frame the host moves: dropped */
	INJECT_NET_DUP,		/* ... delivered twice */
	INJECT_NET_REORDER,	/* ... delivered after the next one */
	INJECT_IRQ_DELAY,	/* device IRQs raised N ms late */
	INJECT_IRQ_COALESCE,	/* N device IRQs of a guest make one */
	INJECT_MODES
};

/* The largest N of a mode (irq-delay: milliseconds). */
#define INJECT_MAX_COUNT 1000000
#define INJECT_MAX_DELAY_MS 10000

/* What inject= asked for: n[mode] is the mode's N, 0 when it is off. */
struct inject_args {
	uint32_t n[INJECT_MODES];
};

/* "blk-fail", ... ("?" for a value that is no mode). */
const char *inject_mode_name(enum inject_mode m);

/* The N a mode gets when the value names it without ":N". */
uint32_t inject_mode_default(enum inject_mode m);

/*
 * Parse the value of inject=: one or more MODE[:N] joined by ',', each
 * mode at most once, N a decimal number 1..INJECT_MAX_COUNT (irq-delay:
 * 1..INJECT_MAX_DELAY_MS milliseconds) without sign or leading zero. The
 * value ends at its NUL or at the first blank (a word of the host's
 * command line, host/rules/cmdline.h). Returns 0 and fills *out, or -1
 * with a one-line err that names the bad part and the fix.
 */
int inject_args_parse(const char *value, struct inject_args *out, char *err,
		      size_t errlen);

#endif
