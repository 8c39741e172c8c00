/*
 * host/rules/tunnet_arg.h: the value of a --tunnet= option (docs/abi.md §8.3,
 * §9.3). The 2.6.23 Launcher took an IPv4 address, which it gave its TAP
 * device, or "bridge:<name>", a bridge to put the TAP in. Our TAP is a
 * QEMU NIC, so the value only names the outside (docs/host-design.md
 * "Network (tunnet)"): tools/lguest turns it into QEMU's netdev, and the
 * host checks it here and prints it. Pure: unit test and fuzzer.
 */
#ifndef LGREF_HOST_TUNNET_ARG_H
#define LGREF_HOST_TUNNET_ARG_H

#include <stddef.h>
#include <stdint.h>

#define TUNNET_BRIDGE_PREFIX "bridge:"
#define TUNNET_IFNAME_MAX 15	/* Linux interface names: IFNAMSIZ - 1 */

enum tunnet_kind {
	TUNNET_IPV4,	/* the outside host, as the guest sees it */
	TUNNET_BRIDGE,	/* a bridge on the machine QEMU runs on */
};

struct tunnet_arg {
	enum tunnet_kind kind;
	uint8_t ipv4[4];			/* TUNNET_IPV4: a.b.c.d */
	char bridge[TUNNET_IFNAME_MAX + 1];	/* TUNNET_BRIDGE: the name */
};

/*
 * Parse a --tunnet value (NUL-terminated): either four decimal numbers
 * 0..255 of one to three digits joined by dots ("10.0.2.2"), or
 * "bridge:" and a name of 1..15 bytes without '/'. Nothing else, no
 * blanks. Returns 0 and fills *out, or -1 with err.
 */
int tunnet_arg_parse(const char *value, struct tunnet_arg *out, char *err,
		     size_t errlen);

#endif
