/*
 * lib/netpeer.c: the lguest network page's rules (lib/netpeer.h).
 */
#include <string.h>

#include "netpeer.h"

void netpeer_mac(uint16_t guestid, uint8_t mac[6])
{
	mac[0] = 0x02; /* locally administered, unicast */
	mac[1] = 0x00;
	mac[2] = (uint8_t)(guestid & 0xFF);
	mac[3] = (uint8_t)(guestid >> 8);
	mac[4] = 0x00;
	mac[5] = 0x00;
}

bool netpeer_slot_used(const uint8_t slot_mac[6])
{
	return slot_mac[0] != 0;
}

bool netpeer_wants(const uint8_t slot_mac[6], const uint8_t dst[6])
{
	if (!netpeer_slot_used(slot_mac))
		return false;
	if ((dst[0] & 1) || (slot_mac[0] & NETPEER_PROMISC))
		return true;
	return (slot_mac[0] & ~NETPEER_PROMISC) == dst[0] &&
	       memcmp(slot_mac + 1, dst + 1, 5) == 0;
}
