/*
 * host/arch/logfmt.c: kept log lines (host/arch/logfmt.h).
 *
 * This file reads a printf format only far enough to know what arguments
 * it takes; every conversion is still formatted by the C library's
 * snprintf, one at a time, with the spec as written (a * width or
 * precision is written into the spec as its number). What is kept is the
 * same: a record is the format's pointer, then each argument in order, as
 * the type the conversion reads, with each %s's bytes copied (as many as
 * its precision lets printf read, and no more than a line shows) and a
 * byte saying whether it was NULL. Records are not aligned: every value
 * is copied in and out, never read in place.
 *
 * It takes only what newlib's small printf (nano formatted I/O, which the
 * host links) formats the same one conversion at a time: no hh, z, t
 * (nano prints them as text and takes no argument), no # with o (nano
 * decides its leading 0 from the conversion before), no %ll, no floating
 * point. Those are refused and formatted at once.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arch/logfmt.h"

enum arg_kind {
	ARG_BAD,	/* a conversion kept lines do not take */
	ARG_NONE,	/* %% */
	ARG_INT, ARG_UINT, ARG_LONG, ARG_ULONG, ARG_PTR, ARG_STR,
};

/* One conversion: fmt[at] is its '%'; the width is fmt[flags..width),
 * the precision (its '.' included) fmt[width..prec), the length modifier
 * and conversion fmt[prec..end). */
struct spec {
	size_t flags, width, prec, end;
	enum arg_kind kind;
	bool star_width, star_prec;
	int literal_prec;	/* the precision when written out; -1: none */
};

/* Longest spec a record may hold, so that formatting it always fits. */
#define SPEC_MAX 24

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_flag(char c)
{
	switch (c) {
	case '-': case '+': case ' ': case '#': case '0':
		return true;
	default:
		return false;
	}
}

static size_t skip_digits(const char *fmt, size_t i, int *value)
{
	int v = 0;

	while (is_digit(fmt[i])) {
		if (v < 10000)
			v = v * 10 + (fmt[i] - '0');
		i++;
	}
	if (value)
		*value = v;
	return i;
}

static enum arg_kind integer_kind(char length, bool is_signed)
{
	if (length == 'l')
		return is_signed ? ARG_LONG : ARG_ULONG;
	return is_signed ? ARG_INT : ARG_UINT;	/* none, or h: an int */
}

/* Whether the spec's flags, fmt[at + 1..flags), hold '#'. */
static bool has_alternate_form(const char *fmt, size_t at, size_t flags)
{
	for (size_t i = at + 1; i < flags; i++)
		if (fmt[i] == '#')
			return true;
	return false;
}

/* The conversion whose '%' is fmt[at]. */
static struct spec parse_spec(const char *fmt, size_t at)
{
	struct spec s = { .kind = ARG_BAD, .literal_prec = -1 };
	size_t i = at + 1;
	char length = 0;

	if (fmt[i] == '%') {
		s.flags = s.width = s.prec = i;
		s.end = i + 1;
		s.kind = ARG_NONE;
		return s;
	}
	while (is_flag(fmt[i]))
		i++;
	s.flags = i;
	if (fmt[i] == '*') {
		s.star_width = true;
		i++;
	} else {
		i = skip_digits(fmt, i, NULL);
	}
	s.width = i;
	if (fmt[i] == '.') {
		i++;
		if (fmt[i] == '*') {
			s.star_prec = true;
			i++;
		} else {
			i = skip_digits(fmt, i, &s.literal_prec);
		}
	}
	s.prec = i;
	if (fmt[i] == 'h' || fmt[i] == 'l')
		length = fmt[i++];
	if (fmt[i] == '\0' || i + 1 - at > SPEC_MAX)
		return s;
	s.end = i + 1;
	switch (fmt[i]) {
	case 'd':
	case 'i':
		s.kind = integer_kind(length, true);
		break;
	case 'o':
		if (has_alternate_form(fmt, at, s.flags))
			break;
		/* fall through */
	case 'u':
	case 'x':
	case 'X':
		s.kind = integer_kind(length, false);
		break;
	case 'c':
		s.kind = length ? ARG_BAD : ARG_INT;
		break;
	case 's':
		s.kind = length ? ARG_BAD : ARG_STR;
		break;
	case 'p':
		s.kind = length ? ARG_BAD : ARG_PTR;
		break;
	}
	return s;
}

/* Append n bytes at *at, if they fit in room. */
static bool put(uint8_t *rec, size_t room, size_t *at, const void *p,
		size_t n)
{
	const uint8_t *from = p;

	if (n > room - *at)
		return false;
	while (n--)	/* a few bytes: a call to memcpy costs more */
		rec[(*at)++] = *from++;
	return true;
}

#define PUT_ARG(type)                                                      \
	do {                                                               \
		type v_ = va_arg(ap, type);                                \
		if (!put(rec, room, &at, &v_, sizeof(v_)))                 \
			return 0;                                          \
	} while (0)

static size_t keep_string(uint8_t *rec, size_t room, size_t at,
			  const char *str, int prec)
{
	uint8_t present = str != NULL;
	size_t n = 0;

	if (!put(rec, room, &at, &present, 1))
		return 0;
	if (!str)
		return at;
	/* printf reads at most prec bytes: the rest need not exist. And
	 * no line shows more than LOGFMT_LINE_MAX - 1 bytes of it. */
	while ((prec < 0 || n < (size_t)prec) && n < LOGFMT_LINE_MAX - 1 &&
	       str[n])
		n++;
	if (!put(rec, room, &at, str, n) || !put(rec, room, &at, "", 1))
		return 0;
	return at;
}

size_t logfmt_keep(uint8_t *rec, size_t room, const char *fmt, va_list ap)
{
	size_t at = 0;

	if (!put(rec, room, &at, &fmt, sizeof(fmt)))
		return 0;
	for (size_t i = 0; fmt[i]; i++) {
		if (fmt[i] != '%')
			continue;
		struct spec s = parse_spec(fmt, i);
		int prec = s.literal_prec;
		if (s.kind == ARG_BAD)
			return 0;
		if (s.star_width)
			PUT_ARG(int);
		if (s.star_prec) {
			prec = va_arg(ap, int);
			if (!put(rec, room, &at, &prec, sizeof(prec)))
				return 0;
		}
		switch (s.kind) {
		case ARG_INT:
			PUT_ARG(int);
			break;
		case ARG_UINT:
			PUT_ARG(unsigned int);
			break;
		case ARG_LONG:
			PUT_ARG(long);
			break;
		case ARG_ULONG:
			PUT_ARG(unsigned long);
			break;
		case ARG_PTR:
			PUT_ARG(void *);
			break;
		case ARG_STR:
			at = keep_string(rec, room, at, va_arg(ap, const char *),
					 prec);
			if (!at)
				return 0;
			break;
		default:	/* %%: no argument */
			break;
		}
		i = s.end - 1;
	}
	return at;
}

/* A record being read: take() fails once it would read past the end. */
struct reader {
	const uint8_t *rec;
	size_t len, at;
};

static bool take(struct reader *r, void *p, size_t n)
{
	if (n > r->len - r->at)
		return false;
	memcpy(p, r->rec + r->at, n);
	r->at += n;
	return true;
}

/* The line so far: its whole length, and out holding what fits. */
struct line {
	char *out;
	size_t outlen, len;
};

static void add_text(struct line *l, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++, l->len++)
		if (l->len + 1 < l->outlen)
			l->out[l->len] = p[i];
}

/* Decimal digits of v at *p. */
static void put_decimal(char **p, unsigned v)
{
	char digits[12];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*(*p)++ = digits[--n];
}

/* The spec as snprintf takes it: the * width or precision written in. */
static void write_spec(char *sp, const char *fmt, size_t at,
		       const struct spec *s, int width, int prec)
{
	char *p = sp;

	memcpy(p, fmt + at, s->flags - at);
	p += s->flags - at;
	if (s->star_width) {
		unsigned w = (unsigned)width;
		if (width < 0) {	/* as the '-' flag (C11 7.21.6.1) */
			*p++ = '-';
			w = 0u - w;
		}
		put_decimal(&p, w);
	} else {
		memcpy(p, fmt + s->flags, s->width - s->flags);
		p += s->width - s->flags;
	}
	if (s->star_prec) {
		if (prec >= 0) {	/* a negative one is as if omitted */
			*p++ = '.';
			put_decimal(&p, (unsigned)prec);
		}
	} else {
		memcpy(p, fmt + s->width, s->prec - s->width);
		p += s->prec - s->width;
	}
	memcpy(p, fmt + s->prec, s->end - s->prec);
	p += s->end - s->prec;
	*p = '\0';
}

#define FORMAT_ARG(type)                                                   \
	do {                                                               \
		type v_;                                                   \
		if (!take(&r, &v_, sizeof(v_)))                            \
			return -1;                                         \
		n = snprintf(dst, room, sp, v_);                           \
	} while (0)

int logfmt_format(char *out, size_t outlen, const uint8_t *rec, size_t len)
{
	struct reader r = { rec, len, 0 };
	struct line l = { out, outlen, 0 };
	const char *fmt;

	out[0] = '\0';
	if (!take(&r, &fmt, sizeof(fmt)))
		return -1;
	for (size_t i = 0; fmt[i];) {
		size_t run = 0;
		while (fmt[i + run] && fmt[i + run] != '%')
			run++;
		if (run > INT_MAX - l.len)
			return -1;	/* as vsnprintf: too long for an int */
		add_text(&l, fmt + i, run);
		i += run;
		if (!fmt[i])
			break;
		struct spec s = parse_spec(fmt, i);
		int width = 0, prec = -1, n = 0;
		char sp[SPEC_MAX + 24];	/* two numbers for two '*' */
		if (s.kind == ARG_BAD)
			return -1;
		if (s.kind == ARG_NONE) {
			add_text(&l, "%", 1);
			i = s.end;
			continue;
		}
		if ((s.star_width && !take(&r, &width, sizeof(width))) ||
		    (s.star_prec && !take(&r, &prec, sizeof(prec))))
			return -1;
		write_spec(sp, fmt, i, &s, width, prec);
		/* snprintf writes where the line has room, else only counts. */
		bool fits = l.len + 1 < l.outlen;
		char *dst = fits ? l.out + l.len : NULL;
		size_t room = fits ? l.outlen - l.len : 0;
		switch (s.kind) {
		case ARG_INT:
			FORMAT_ARG(int);
			break;
		case ARG_UINT:
			FORMAT_ARG(unsigned int);
			break;
		case ARG_LONG:
			FORMAT_ARG(long);
			break;
		case ARG_ULONG:
			FORMAT_ARG(unsigned long);
			break;
		case ARG_PTR:
			FORMAT_ARG(void *);
			break;
		default: {	/* ARG_STR */
			uint8_t present;
			const char *str = NULL;
			if (!take(&r, &present, 1))
				return -1;
			if (present) {
				str = (const char *)r.rec + r.at;
				size_t sl = 0;
				while (r.at + sl < r.len && str[sl])
					sl++;
				if (r.at + sl == r.len)
					return -1;	/* no NUL: not ours */
				r.at += sl + 1;
			}
			n = snprintf(dst, room, sp, str);
			break;
		}
		}
		if (n < 0)
			return -1;
		if ((size_t)n > INT_MAX - l.len)
			return -1;
		l.len += (size_t)n;
		i = s.end;
	}
	if (r.at != r.len)
		return -1;
	out[l.len < outlen ? l.len : outlen - 1] = '\0';
	return (int)l.len;
}
