/*
 * host/rules/launch_args.c: parses one guest's Launcher argument string the way
 * the 2.6.23 Launcher's getopt_long() loop and memory pre-scan did
 * (docs/abi.md §9.3). The rules are listed in launch_args.h; this file
 * walks the tokens once, in place, without copying the input or
 * allocating. Opening the named files is the caller's business.
 */
#include <string.h>

#include "rules/errmsg.h"
#include "rules/launch_args.h"

/* A token: a run of non-blank bytes inside the caller's string. */
struct token {
	const char *s;
	size_t len;
};

/* Longest token text quoted in a message, so errors stay one line. */
#define QUOTE_MAX 64
#define TOK(t) (int)((t).len < QUOTE_MAX ? (t).len : QUOTE_MAX), (t).s

/* The options every Launcher has; the device options come from the
 * caller and follow them in the lookup (index LAUNCH_OPT_DEVICES + n). */
enum { OPT_VERBOSE, OPT_INITRD, OPT_RESPAWN, LAUNCH_OPT_DEVICES };

static const char *const builtin_opt_names[LAUNCH_OPT_DEVICES] = {
	[OPT_VERBOSE] = "verbose", [OPT_INITRD] = "initrd",
	[OPT_RESPAWN] = "respawn",
};

/* This parse's options: the built-ins, then the caller's device options. */
struct opt_table {
	const char *const *devices;
	unsigned ndevices;
};

static const char *opt_name(const struct opt_table *t, unsigned i)
{
	return i < LAUNCH_OPT_DEVICES ? builtin_opt_names[i]
				      : t->devices[i - LAUNCH_OPT_DEVICES];
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Find the token after *pos; false at the end of the string. */
static bool next_token(const char **pos, struct token *t)
{
	const char *p = *pos;

	while (*p && is_blank(*p))
		p++;
	if (!*p)
		return false;
	t->s = p;
	while (*p && !is_blank(*p))
		p++;
	t->len = (size_t)(p - t->s);
	*pos = p;
	return true;
}

/* The long option named by name[0..len): an exact name or a prefix of
 * exactly one name (getopt_long's abbreviations); -1 if none. */
static int long_opt_lookup(const struct opt_table *t, const char *name,
			   size_t len)
{
	int found = -1;

	for (unsigned i = 0; i < LAUNCH_OPT_DEVICES + t->ndevices; i++) {
		const char *o = opt_name(t, i);
		if (len == 0 || strncmp(o, name, len) != 0)
			continue;
		if (strlen(o) == len)
			return (int)i;
		if (found >= 0)
			return -1; /* ambiguous prefix */
		found = (int)i;
	}
	return found;
}

/* Copy the value v[0..len) of option tok into dst (NUL-terminated). */
static int copy_value(char *dst, const char *v, size_t len, struct token tok,
		      char *err, size_t errlen)
{
	if (len == 0)
		return errmsg(err, errlen, "launch args: '%.*s' has an empty "
			      "value", TOK(tok));
	if (len >= LAUNCH_ARGS_NAME_MAX)
		return errmsg(err, errlen, "launch args: value of '%.*s...' is "
			      "%u bytes, max %d", TOK(tok), (unsigned)len,
			      LAUNCH_ARGS_NAME_MAX - 1);
	memcpy(dst, v, len);
	dst[len] = '\0';
	return 0;
}

static int add_device(struct launch_args *out, unsigned option,
		      const char *v, size_t len, struct token tok, char *err,
		      size_t errlen)
{
	struct launch_device *d;

	if (out->ndevices >= LAUNCH_ARGS_MAX_DEVICES)
		return errmsg(err, errlen, "launch args: too many devices: "
			      "'%.*s' would be device %u, max %u plus the "
			      "console", TOK(tok), out->ndevices + 1,
			      (unsigned)LAUNCH_ARGS_MAX_DEVICES);
	d = &out->devices[out->ndevices];
	d->option = option;
	if (copy_value(d->value, v, len, tok, err, errlen))
		return -1;
	out->ndevices++;
	return 0;
}

/* --respawn's =N: decimal digits only, 1..LAUNCH_ARGS_MAX_RESPAWN. */
static int parse_respawn(struct launch_args *out, const char *v, size_t len,
			 struct token tok, char *err, size_t errlen)
{
	uint32_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9' || n > LAUNCH_ARGS_MAX_RESPAWN)
			return errmsg(err, errlen, "launch args: '%.*s': expected "
				      "--respawn or --respawn=N, N from 1 to %u",
				      TOK(tok), (unsigned)LAUNCH_ARGS_MAX_RESPAWN);
		n = n * 10 + (uint32_t)(v[i] - '0');
	}
	if (n == 0 || n > LAUNCH_ARGS_MAX_RESPAWN)
		return errmsg(err, errlen, "launch args: '%.*s': expected "
			      "--respawn or --respawn=N, N from 1 to %u",
			      TOK(tok), (unsigned)LAUNCH_ARGS_MAX_RESPAWN);
	out->respawn = true;
	out->respawn_max = n;
	return 0;
}

/* A "--name[=value]" token. */
static int parse_long(const struct opt_table *t, struct launch_args *out,
		      struct token tok, char *err, size_t errlen)
{
	const char *name = tok.s + 2;
	const char *eq = memchr(name, '=', tok.len - 2);
	size_t nlen = eq ? (size_t)(eq - name) : tok.len - 2;
	const char *v = eq ? eq + 1 : NULL;
	size_t vlen = eq ? tok.len - 2 - nlen - 1 : 0;
	int opt = long_opt_lookup(t, name, nlen);

	if (opt < 0)
		return errmsg(err, errlen, "launch args: unknown option '%.*s'",
			      TOK(tok));
	if (opt == OPT_VERBOSE) {
		if (eq)
			return errmsg(err, errlen, "launch args: option "
				      "'--verbose' takes no value (got '%.*s')",
				      TOK(tok));
		out->verbose = true;
		return 0;
	}
	if (opt == OPT_RESPAWN) {
		if (!eq) {
			out->respawn = true;
			out->respawn_max = 0;
			return 0;
		}
		return parse_respawn(out, v, vlen, tok, err, errlen);
	}
	if (!eq)
		return errmsg(err, errlen, "launch args: option '--%s' needs a "
			      "value attached with '=' (got '%.*s')",
			      opt_name(t, (unsigned)opt), TOK(tok));
	if (opt == OPT_INITRD) {
		out->has_initrd = true;
		return copy_value(out->initrd, v, vlen, tok, err, errlen);
	}
	return add_device(out, (unsigned)opt - LAUNCH_OPT_DEVICES, v, vlen,
			  tok, err, errlen);
}

/* A "-xyz" cluster of short options: only 'v' exists. */
static int parse_short(struct launch_args *out, struct token tok, char *err,
		       size_t errlen)
{
	for (size_t i = 1; i < tok.len; i++) {
		if (tok.s[i] != 'v')
			return errmsg(err, errlen, "launch args: unknown option "
				      "'-%c' in '%.*s'", tok.s[i], TOK(tok));
	}
	out->verbose = true;
	return 0;
}

/* The memory size: leading decimal digits, the rest ignored. */
static int parse_mem(struct launch_args *out, struct token tok, char *err,
		     size_t errlen)
{
	uint32_t mb = 0;
	size_t i;

	for (i = 0; i < tok.len && tok.s[i] >= '0' && tok.s[i] <= '9'; i++) {
		mb = mb * 10 + (uint32_t)(tok.s[i] - '0');
		if (mb > LAUNCH_ARGS_MAX_MEM_MB)
			return errmsg(err, errlen, "launch args: memory size "
				      "'%.*s' is more than %u MiB", TOK(tok),
				      (unsigned)LAUNCH_ARGS_MAX_MEM_MB);
	}
	if (i == 0)
		return errmsg(err, errlen, "launch args: memory size '%.*s' "
			      "has no leading decimal digits", TOK(tok));
	if (mb == 0)
		return errmsg(err, errlen, "launch args: memory size '%.*s' "
			      "is 0 MiB", TOK(tok));
	out->mem_mb = mb;
	return 0;
}

/* Append one guest argument and its trailing space to the command line. */
static int append_guest_arg(struct launch_args *out, struct token tok,
			    char *err, size_t errlen)
{
	size_t need = (size_t)out->cmdline_len + tok.len + 1;

	if (need > COMMAND_LINE_SIZE - 1)
		return errmsg(err, errlen, "launch args: guest command line "
			      "reaches %u bytes at '%.*s', max %d",
			      (unsigned)need, TOK(tok), COMMAND_LINE_SIZE - 1);
	memcpy(out->cmdline + out->cmdline_len, tok.s, tok.len);
	out->cmdline_len = (uint32_t)need;
	out->cmdline[need - 1] = ' ';
	out->cmdline[need] = '\0';
	return 0;
}

/* A token that is not an option: memory size, image, then guest args. */
static int parse_positional(struct launch_args *out, unsigned index,
			    struct token tok, char *err, size_t errlen)
{
	if (index == 0)
		return parse_mem(out, tok, err, errlen);
	if (index == 1) {
		if (tok.len >= LAUNCH_ARGS_NAME_MAX)
			return errmsg(err, errlen, "launch args: image name "
				      "'%.*s...' is %u bytes, max %d",
				      TOK(tok), (unsigned)tok.len,
				      LAUNCH_ARGS_NAME_MAX - 1);
		memcpy(out->image, tok.s, tok.len);
		out->image[tok.len] = '\0';
		return 0;
	}
	return append_guest_arg(out, tok, err, errlen);
}

int launch_args_parse(const char *args, const char *const device_options[],
		      unsigned ndevice_options, struct launch_args *out,
		      char *err, size_t errlen)
{
	const struct opt_table table = { device_options, ndevice_options };
	const char *pos = args ? args : "";
	bool options_done = false;
	unsigned npositional = 0;
	struct token tok;
	int rc;

	memset(out, 0, sizeof(*out));
	while (next_token(&pos, &tok)) {
		if (!options_done && tok.len == 2 && tok.s[0] == '-' &&
		    tok.s[1] == '-') {
			options_done = true;
			continue;
		}
		if (options_done || tok.s[0] != '-' || tok.len == 1)
			rc = parse_positional(out, npositional++, tok, err,
					      errlen);
		else if (tok.s[1] == '-')
			rc = parse_long(&table, out, tok, err, errlen);
		else
			rc = parse_short(out, tok, err, errlen);
		if (rc)
			return -1;
	}
	if (npositional == 0)
		return errmsg(err, errlen, "launch args: no memory size (usage: "
			      "[options] <mem-in-mb> <image> [guest args])");
	if (npositional == 1)
		return errmsg(err, errlen, "launch args: no kernel image after "
			      "memory size %u", (unsigned)out->mem_mb);
	return 0;
}
