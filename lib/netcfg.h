/*
 * lib/netcfg.h: a network interface's addresses, from the guest's command
 * line or the defaults (docs/abi.md §14.2):
 *
 *   ip=A.B.C.D[/N]  the first interface's address; N defaults to 24
 *   gw=A.B.C.D      the first interface's gateway
 *   promisc         every interface asks its LAN for all frames
 *
 * Without ip=, interface n (0 = first, in bus order) of guest `guestid`
 * is 10.0.n.(guestid + 1)/24, so guests sharing a LAN can talk at once;
 * without gw=, there is no gateway. Pure string work.
 */
#ifndef LGREF_LIB_NETCFG_H
#define LGREF_LIB_NETCFG_H

#include <stdbool.h>
#include <stdint.h>

struct netcfg {
	uint32_t ip;       /* host order */
	uint32_t netmask;
	uint32_t gateway;  /* 0: none */
	bool promisc;
};

/*
 * Fill cfg for interface n of guest `guestid` from cmdline. Returns NULL,
 * or a message about an ip= or gw= value it could not parse (that word
 * is ignored; the rest of cfg is still filled in).
 */
const char *netcfg_from_cmdline(const char *cmdline, unsigned n,
				unsigned guestid, struct netcfg *cfg);

#endif
