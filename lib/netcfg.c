/*
 * lib/netcfg.c: interface addresses from the command line (lib/netcfg.h).
 * The command line is space-separated words; a word is found only whole,
 * so "xip=1.2.3.4" is not ip=.
 */
#include <string.h>

#include "netaddr.h"
#include "netcfg.h"

#define NETCFG_DEFAULT_PREFIX 24

/*
 * Find word `key` ("promisc") or `key=value` in line. Returns false if
 * absent; else true, with the value (if key ends in '=') copied into
 * val (cut to size - 1 bytes; *too_long says so).
 */
static bool netcfg_word(const char *line, const char *key, char *val,
			size_t size, bool *too_long)
{
	size_t n = strlen(key);
	bool has_value = n > 0 && key[n - 1] == '=';

	for (const char *p = line; (p = strstr(p, key)) != NULL; p += n) {
		if (p != line && p[-1] != ' ')
			continue;
		if (!has_value) {
			if (p[n] == ' ' || p[n] == '\0')
				return true;
			continue;
		}
		size_t len = strcspn(p + n, " ");
		*too_long = len >= size;
		if (*too_long)
			len = size - 1;
		memcpy(val, p + n, len);
		val[len] = '\0';
		return true;
	}
	return false;
}

const char *netcfg_from_cmdline(const char *cmdline, unsigned n,
				unsigned guestid, struct netcfg *cfg)
{
	const char *err = NULL;
	char val[32];
	bool too_long = false;

	cfg->ip = 10u << 24 | (n & 0xFF) << 8 | ((guestid + 1) & 0xFF);
	cfg->netmask = netaddr_prefix_mask(NETCFG_DEFAULT_PREFIX);
	cfg->gateway = 0;
	cfg->promisc = netcfg_word(cmdline, "promisc", NULL, 0, &too_long);
	if (n != 0)
		return NULL;

	if (netcfg_word(cmdline, "ip=", val, sizeof(val), &too_long)) {
		uint32_t ip;
		unsigned prefix = NETCFG_DEFAULT_PREFIX;
		if (!too_long && netaddr_parse_cidr(val, &ip, &prefix) &&
		    ip != 0) {
			cfg->ip = ip;
			cfg->netmask = netaddr_prefix_mask(prefix);
		} else {
			err = "ip= wants a.b.c.d or a.b.c.d/n (n 0..32)";
		}
	}
	if (netcfg_word(cmdline, "gw=", val, sizeof(val), &too_long)) {
		uint32_t gw;
		if (!too_long && netaddr_parse_ip(val, &gw))
			cfg->gateway = gw;
		else
			err = "gw= wants a.b.c.d";
	}
	return err;
}
