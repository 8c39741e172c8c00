/*
 * lib/netpeer.h: the lguest network page's rules (spec §8.3) as pure
 * functions, so drivers/net.c can follow them and the unit tests can
 * check them. The page is an array of 6-byte slots, one MAC per guest on
 * the LAN; a slot whose first byte is 0 is unused, and bit 0 of the
 * first byte (the Ethernet multicast bit, never set in a real unicast
 * MAC) means "send me everything".
 */
#ifndef LGREF_LIB_NETPEER_H
#define LGREF_LIB_NETPEER_H

#include <stdbool.h>
#include <stdint.h>

#define NETPEER_PROMISC 0x01   /* in mac[0]; = LGUEST_NET_PROMISC */
#define NETPEER_SLOTS 682      /* 6-byte slots in a 4096-byte page */

/* A guest's MAC: 02:00:LL:HH:00:00 from its guestid (low, high byte). */
void netpeer_mac(uint16_t guestid, uint8_t mac[6]);

/* Is the slot holding slot_mac in use? */
bool netpeer_slot_used(const uint8_t slot_mac[6]);

/*
 * Does the peer in this slot get a frame for destination MAC dst? Yes if
 * the slot is used and dst is multicast or broadcast, or the peer is
 * promiscuous, or its MAC (bit 0 of byte 0 ignored) is dst.
 */
bool netpeer_wants(const uint8_t slot_mac[6], const uint8_t dst[6]);

/*
 * The first used slot at or after slot s of a network page (4-byte
 * aligned, NETPEER_SLOTS * 6 bytes at least), or NETPEER_SLOTS if none.
 * Read as the page is shared (volatile): only the slots' first bytes,
 * and the one returned was non-zero when read.
 */
unsigned netpeer_next_used(const volatile uint8_t *page, unsigned s);

#endif
