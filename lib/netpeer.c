/*
 * lib/netpeer.c: the lguest network page's rules (lib/netpeer.h).
 */
#include <string.h>

#include "netpeer.h"
#include "hot.h"

void netpeer_mac(uint16_t guestid, uint8_t mac[6])
{
	mac[0] = 0x02; /* locally administered, unicast */
	mac[1] = 0x00;
	mac[2] = (uint8_t)(guestid & 0xFF);
	mac[3] = (uint8_t)(guestid >> 8);
	mac[4] = 0x00;
	mac[5] = 0x00;
}

GUEST_HOT_TEXT
bool netpeer_slot_used(const uint8_t slot_mac[6])
{
	return slot_mac[0] != 0;
}

GUEST_HOT_TEXT
bool netpeer_wants(const uint8_t slot_mac[6], const uint8_t dst[6])
{
	if (!netpeer_slot_used(slot_mac))
		return false;
	if ((dst[0] & 1) || (slot_mac[0] & NETPEER_PROMISC))
		return true;
	return (slot_mac[0] & ~NETPEER_PROMISC) == dst[0] &&
	       memcmp(slot_mac + 1, dst + 1, 5) == 0;
}

/* A send must look at every slot of the page, and a LAN's page is
 * nearly all zeroes. Only a slot's first byte says whether it is used,
 * so only those bytes are read: sixteen of them at a time (from a slot
 * that is a multiple of 16), passed over together when all are zero, and
 * only otherwise looked at one by one. Under QEMU's TCG every load costs
 * about the same whatever its width, so this is 682 loads for an empty
 * page where reading every word took 1024: about 1 us less per frame
 * sent (docs/host-design.md "Guest-to-guest network"). */
#define NETPEER_BLOCK 16

GUEST_HOT_TEXT
unsigned netpeer_next_used(const volatile uint8_t *page, unsigned s)
{
	while (s < NETPEER_SLOTS) {
		if (s % NETPEER_BLOCK == 0 && s + NETPEER_BLOCK <= NETPEER_SLOTS) {
			const volatile uint8_t *p = page + 6 * s;
			if ((p[0] | p[6] | p[12] | p[18] | p[24] | p[30] |
			     p[36] | p[42] | p[48] | p[54] | p[60] | p[66] |
			     p[72] | p[78] | p[84] | p[90]) == 0) {
				s += NETPEER_BLOCK;
				continue;
			}
		}
		if (page[6 * s] != 0)
			return s;
		s++;
	}
	return NETPEER_SLOTS;
}
