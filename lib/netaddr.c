/*
 * lib/netaddr.c: addresses as text (lib/netaddr.h). Parsing is by hand,
 * digit by digit, so nothing like "1.2.3.4junk", "+1.2.3.4" or
 * "1.2.3.4000" slips through as strtoul() would let it.
 */
#include <stdio.h>

#include "netaddr.h"

/* Parse one to three digits worth at most max at *s, advancing it. */
static bool netaddr_number(const char **s, unsigned max, unsigned *out)
{
	unsigned v = 0, digits = 0;

	while (**s >= '0' && **s <= '9' && digits < 3) {
		v = v * 10 + (unsigned)(**s - '0');
		(*s)++;
		digits++;
	}
	if (digits == 0 || v > max || (**s >= '0' && **s <= '9'))
		return false;
	*out = v;
	return true;
}

/* Parse "a.b.c.d" at the start of s; *end is where it stopped. */
static bool netaddr_quad(const char *s, uint32_t *ip, const char **end)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned octet;
		if (i > 0 && *s++ != '.')
			return false;
		if (!netaddr_number(&s, 255, &octet))
			return false;
		v = v << 8 | octet;
	}
	*ip = v;
	*end = s;
	return true;
}

bool netaddr_parse_ip(const char *s, uint32_t *ip)
{
	const char *end;
	uint32_t v;

	if (!netaddr_quad(s, &v, &end) || *end != '\0')
		return false;
	*ip = v;
	return true;
}

bool netaddr_parse_cidr(const char *s, uint32_t *ip, unsigned *prefix)
{
	const char *end;
	uint32_t v;
	unsigned n = *prefix;

	if (!netaddr_quad(s, &v, &end))
		return false;
	if (*end == '/') {
		end++;
		if (!netaddr_number(&end, 32, &n))
			return false;
	}
	if (*end != '\0')
		return false;
	*ip = v;
	*prefix = n;
	return true;
}

uint32_t netaddr_prefix_mask(unsigned prefix)
{
	if (prefix == 0)
		return 0;
	if (prefix >= 32)
		return 0xFFFFFFFFu;
	return ~((1u << (32 - prefix)) - 1);
}

unsigned netaddr_mask_prefix(uint32_t mask)
{
	unsigned n = 0;

	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

char *netaddr_ip_str(uint32_t ip, char out[NETADDR_IP_STRLEN])
{
	snprintf(out, NETADDR_IP_STRLEN, "%u.%u.%u.%u", (unsigned)(ip >> 24),
		 (unsigned)(ip >> 16 & 0xFF), (unsigned)(ip >> 8 & 0xFF),
		 (unsigned)(ip & 0xFF));
	return out;
}

char *netaddr_mac_str(const uint8_t mac[6], char out[NETADDR_MAC_STRLEN])
{
	snprintf(out, NETADDR_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return out;
}
