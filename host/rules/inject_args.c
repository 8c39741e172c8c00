/*
 * host/rules/inject_args.c: parsing the value of inject=
 * (host/rules/inject_args.h). Strict, since a test that asked for a fault
 * it did not get would pass for the wrong reason: an unknown mode, a
 * mode named twice or a bad number refuses the whole value, and the host
 * then injects nothing and says why (host/core/inject.c).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "rules/errmsg.h"
#include "rules/inject_args.h"
#include "rules/printable.h"

static const char *const names[INJECT_MODES] = {
	[INJECT_BLK_FAIL] = "blk-fail",
	[INJECT_BLK_STALL] = "blk-stall",
	[INJECT_BLK_SHORT] = "blk-short",
	[INJECT_NET_DROP] = "net-drop",
	[INJECT_NET_DUP] = "net-dup",
	[INJECT_NET_REORDER] = "net-reorder",
	[INJECT_IRQ_DELAY] = "irq-delay",
	[INJECT_IRQ_COALESCE] = "irq-coalesce",
};

#define MODE_LIST "blk-fail, blk-stall, blk-short, net-drop, net-dup, " \
	"net-reorder, irq-delay, irq-coalesce"

const char *inject_mode_name(enum inject_mode m)
{
	return (unsigned)m < INJECT_MODES ? names[m] : "?";
}

uint32_t inject_mode_default(enum inject_mode m)
{
	switch (m) {
	case INJECT_IRQ_DELAY: return 10;	/* ms */
	case INJECT_IRQ_COALESCE: return 4;
	default: return 10;
	}
}

static uint32_t mode_max(enum inject_mode m)
{
	return m == INJECT_IRQ_DELAY ? INJECT_MAX_DELAY_MS : INJECT_MAX_COUNT;
}

static bool is_end(char c)
{
	return c == '\0' || c == ' ' || c == '\t';
}

/* The mode named by [s, s + n), or INJECT_MODES. */
static enum inject_mode find_mode(const char *s, size_t n)
{
	for (unsigned m = 0; m < INJECT_MODES; m++)
		if (strlen(names[m]) == n && memcmp(names[m], s, n) == 0)
			return (enum inject_mode)m;
	return INJECT_MODES;
}

/* The parse proper, into *out, which may be left half filled on -1. */
static int parse(const char *value, struct inject_args *out, char *err,
		 size_t errlen)
{
	const char *p = value;

	if (is_end(*p))
		return errmsg(err, errlen, "inject=: no mode given (expected "
			      "MODE[:N][,MODE[:N]...], modes " MODE_LIST ")");
	for (;;) {
		const char *item = p;
		while (!is_end(*p) && *p != ',' && *p != ':')
			p++;
		size_t n = (size_t)(p - item);
		enum inject_mode m = find_mode(item, n);
		if (n == 0)
			return errmsg(err, errlen, "inject=: an empty mode at "
				      "offset %u (modes are joined by one ',')",
				      (unsigned)(item - value));
		if (m == INJECT_MODES) {
			char raw[41], shown[4 * sizeof(raw)];
			snprintf(raw, sizeof(raw), "%.*s", (int)n, item);
			return errmsg(err, errlen, "inject=: unknown mode "
				      "'%s' (modes: " MODE_LIST ")",
				      printable_copy(shown, sizeof(shown), raw));
		}
		if (out->n[m])
			return errmsg(err, errlen, "inject=: mode %s given "
				      "twice (give each mode once)", names[m]);
		uint32_t v = inject_mode_default(m);
		if (*p == ':') {
			const char *num = ++p;
			char raw[21], shown[4 * sizeof(raw)];
			snprintf(raw, sizeof(raw), "%.*s",
				 (int)strcspn(num, ", \t"), num);
			uint64_t x = 0;
			while (*p >= '0' && *p <= '9' && p - num < 12)
				x = x * 10 + (uint64_t)(*p++ - '0');
			bool digits = p > num;
			if (!digits || (*num == '0') || x > mode_max(m) ||
			    (!is_end(*p) && *p != ','))
				return errmsg(err, errlen, "inject=: %s:%s: "
					      "expected %s:N, N a number 1..%u"
					      "%s", names[m],
					      printable_copy(shown, sizeof(shown),
							     raw),
					      names[m], (unsigned)mode_max(m),
					      m == INJECT_IRQ_DELAY
					      ? " (milliseconds)" : "");
			v = (uint32_t)x;
		}
		out->n[m] = v;
		if (is_end(*p))
			return 0;
		p++;	/* the ',' */
	}
}

int inject_args_parse(const char *value, struct inject_args *out, char *err,
		      size_t errlen)
{
	struct inject_args a;

	memset(&a, 0, sizeof(a));
	memset(out, 0, sizeof(*out));
	if (parse(value, &a, err, errlen))
		return -1;	/* all or nothing: *out stays all off */
	*out = a;
	return 0;
}
