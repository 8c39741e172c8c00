/*
 * host/rules/tunnet_arg.c: parsing a --tunnet= value (host/rules/tunnet_arg.h).
 * Strict on purpose: "10.0.2" or "bridge:" would have made the 2.6.23
 * Launcher fail later in ways a message here explains better.
 */
#include <string.h>

#include "rules/errmsg.h"
#include "rules/tunnet_arg.h"

static int parse_ipv4(const char *s, uint8_t ip[4])
{
	for (unsigned part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		ip[part] = (uint8_t)v;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	return *s ? -1 : 0;
}

int tunnet_arg_parse(const char *value, struct tunnet_arg *out, char *err,
		     size_t errlen)
{
	size_t plen = strlen(TUNNET_BRIDGE_PREFIX);

	memset(out, 0, sizeof(*out));
	if (strncmp(value, TUNNET_BRIDGE_PREFIX, plen) == 0) {
		const char *name = value + plen;
		size_t n = strlen(name);
		if (n == 0 || n > TUNNET_IFNAME_MAX || strchr(name, '/'))
			return errmsg(err, errlen, "--tunnet=%s: a bridge name "
				      "is 1 to %u characters without '/'",
				      value, TUNNET_IFNAME_MAX);
		out->kind = TUNNET_BRIDGE;
		memcpy(out->bridge, name, n + 1);
		return 0;
	}
	if (parse_ipv4(value, out->ipv4))
		return errmsg(err, errlen, "--tunnet=%s: expected an IPv4 "
			      "address (a.b.c.d) or bridge:<name>", value);
	out->kind = TUNNET_IPV4;
	return 0;
}
