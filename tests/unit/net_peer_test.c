/*
 * tests/unit/net_peer_test.c: the lguest network page's rules
 * (lib/netpeer.c, spec §8.3): the MAC from the guest id, used and unused
 * slots, and who gets a frame: broadcast and multicast to all, unicast
 * to the MAC's owner (its promiscuous bit ignored), anything to a
 * promiscuous slot; and the scan for used slots, which reads first
 * bytes sixteen slots at a time.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "netpeer.h"

static void test_mac_from_guestid(void)
{
	uint8_t m[6];
	const uint8_t zero[6] = {0x02, 0, 0, 0, 0, 0};
	const uint8_t big[6] = {0x02, 0, 0x34, 0x12, 0, 0};

	netpeer_mac(0, m);
	CHECK(memcmp(m, zero, 6) == 0);
	netpeer_mac(0x1234, m);
	CHECK(memcmp(m, big, 6) == 0);
	CHECK(netpeer_slot_used(m));      /* first byte 0x02 */
	CHECK(!(m[0] & NETPEER_PROMISC)); /* unicast */
}

static void test_unused_slot(void)
{
	const uint8_t empty[6] = {0, 0, 1, 0, 0, 0};
	const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

	CHECK(!netpeer_slot_used(empty));
	CHECK(!netpeer_wants(empty, bcast));
	CHECK(!netpeer_wants(empty, empty));
}

static void test_unicast(void)
{
	const uint8_t a[6] = {0x02, 0, 1, 0, 0, 0};
	const uint8_t b[6] = {0x02, 0, 2, 0, 0, 0};
	const uint8_t a_promisc_bit[6] = {0x03, 0, 1, 0, 0, 0};

	CHECK(netpeer_wants(a, a));
	CHECK(!netpeer_wants(a, b));
	CHECK(!netpeer_wants(b, a));
	/* A promiscuous slot gets everything, its own MAC included. */
	CHECK(netpeer_wants(a_promisc_bit, a));
	CHECK(netpeer_wants(a_promisc_bit, b));
}

static void test_multicast_and_broadcast(void)
{
	const uint8_t a[6] = {0x02, 0, 1, 0, 0, 0};
	const uint8_t bcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	const uint8_t mcast[6] = {0x01, 0x00, 0x5E, 0x00, 0x00, 0x01};

	CHECK(netpeer_wants(a, bcast));
	CHECK(netpeer_wants(a, mcast));
}

static void test_tun_launcher_slot(void)
{
	/* The tun launcher's slot 0: the TAP's MAC with the promiscuous bit
	 * set, so every frame goes there. */
	const uint8_t tap[6] = {0x5A | 1, 0x11, 0x22, 0x33, 0x44, 0x55};
	const uint8_t any[6] = {0x02, 0, 0, 0, 0, 0};

	CHECK(netpeer_wants(tap, any));
}

/* netpeer_next_used() against a slot-by-slot scan, for pages with used
 * slots at every place in a sixteen-slot block, at block edges, in the
 * last ten slots (672..681) which no block covers, and slots whose only
 * non-zero bytes are not mac[0] (unused: skipped, whole blocks of them
 * too, since only first bytes are read). */
static void test_next_used(void)
{
	static uint8_t page[4096] __attribute__((aligned(4)));
	const unsigned used[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13,
				 14, 15, 16, 17, 31, 32, 333, 655, 656, 671,
				 672, 676, 679, 680, 681};

	memset(page, 0, sizeof(page));
	CHECK(netpeer_next_used(page, 0) == NETPEER_SLOTS);
	CHECK(netpeer_next_used(page, NETPEER_SLOTS) == NETPEER_SLOTS);
	for (unsigned u = 0; u < sizeof(used) / sizeof(used[0]); u++) {
		memset(page, 0, sizeof(page));
		page[6 * used[u]] = 0x02;
		page[6 * 10 + 3] = 0x77;	/* slot 10: unused, not zero */
		page[6 * 681 + 5] = 0x77;	/* slot 681 too */
		for (unsigned t = 32; t < 48; t++)	/* a block of them */
			if (t != used[u])
				memset(page + 6 * t + 1, 0x55, 5);
		for (unsigned s = 0; s <= NETPEER_SLOTS; s++) {
			unsigned want = NETPEER_SLOTS;
			for (unsigned t = s; t < NETPEER_SLOTS; t++)
				if (page[6 * t] != 0) {
					want = t;
					break;
				}
			CHECK(netpeer_next_used(page, s) == want);
		}
	}
	/* Every slot used: each is found from itself. */
	memset(page, 0x02, 6 * NETPEER_SLOTS);
	for (unsigned s = 0; s < NETPEER_SLOTS; s++)
		CHECK(netpeer_next_used(page, s) == s);
}

int main(void)
{
	RUN(test_mac_from_guestid);
	RUN(test_unused_slot);
	RUN(test_unicast);
	RUN(test_multicast_and_broadcast);
	RUN(test_tun_launcher_slot);
	RUN(test_next_used);
	return CHECK_DONE();
}
