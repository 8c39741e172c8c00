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

/* A send must look at every slot of the page, and a LAN's page is
 * nearly all zeroes: so four slots at a time (24 bytes, six aligned
 * words from an even slot) are passed over when they are all zero, and
 * only otherwise looked at one by one (a slot is used if its mac[0] is
 * not 0). About four times fewer loads and tests than slot by slot, a
 * few microseconds per frame under QEMU's TCG. */
unsigned netpeer_next_used(const volatile uint8_t *page, unsigned s)
{
	const volatile uint32_t *w = (const volatile uint32_t *)page;

	while (s < NETPEER_SLOTS) {
		if (s % 2 == 0 && s + 4 <= NETPEER_SLOTS) {
			unsigned i = s / 2 * 3;	/* byte 6 * s, a word index */
			if ((w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] |
			     w[i + 5]) == 0) {
				s += 4;
				continue;
			}
		}
		if (page[6 * s] != 0)
			return s;
		s++;
	}
	return NETPEER_SLOTS;
}
