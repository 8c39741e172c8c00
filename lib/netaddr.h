/*
 * lib/netaddr.h: IPv4 and MAC addresses as text, both ways: strict
 * parsing of "a.b.c.d" and "a.b.c.d/n" (command line, ping), and the
 * usual printed forms. IPv4 addresses are host-order integers, as in the
 * rest of the stack (lib/netstack.h).
 */
#ifndef LGREF_LIB_NETADDR_H
#define LGREF_LIB_NETADDR_H

#include <stdbool.h>
#include <stdint.h>

#define NETADDR_IP_STRLEN 16   /* "255.255.255.255" and its NUL */
#define NETADDR_MAC_STRLEN 18  /* "02:00:00:00:00:00" and its NUL */

/* Parse exactly "a.b.c.d": four decimal numbers 0..255 of one to three
 * digits. Returns false (and leaves *ip alone) for anything else. */
bool netaddr_parse_ip(const char *s, uint32_t *ip);

/* Parse "a.b.c.d" or "a.b.c.d/n" with n 0..32. Without "/n", *prefix is
 * left as it was (the caller's default). False for anything else. */
bool netaddr_parse_cidr(const char *s, uint32_t *ip, unsigned *prefix);

/* The netmask of a prefix length (24 -> 0xFFFFFF00), prefix <= 32. */
uint32_t netaddr_prefix_mask(unsigned prefix);

/* The number of leading one bits of a netmask. */
unsigned netaddr_mask_prefix(uint32_t mask);

/* Print into out and return it. */
char *netaddr_ip_str(uint32_t ip, char out[NETADDR_IP_STRLEN]);
char *netaddr_mac_str(const uint8_t mac[6], char out[NETADDR_MAC_STRLEN]);

#endif
