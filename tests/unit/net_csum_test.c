/*
 * tests/unit/net_csum_test.c: the Internet checksum (lib/inet_csum.c):
 * RFC 1071's worked example, a real IPv4 header, odd lengths, sums in
 * pieces, the pseudo-header, and that a message holding its own
 * checksum sums to 0.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "inet_csum.h"

static void test_rfc1071_example(void)
{
	/* RFC 1071 section 3: the sum of these words is 0xDDF2. */
	const uint8_t b[] = {0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7};

	CHECK_EQ(inet_csum_add(0, b, sizeof(b)), 0xDDF2);
	CHECK_EQ(inet_csum(b, sizeof(b)), 0x220D);
}

static void test_ipv4_header(void)
{
	/* 192.168.0.1 -> 192.168.0.199, UDP, checksum 0xB861. */
	uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
			 0x40, 0x11, 0x00, 0x00, 0xC0, 0xA8, 0x00, 0x01,
			 0xC0, 0xA8, 0x00, 0xC7};

	CHECK_EQ(inet_csum(h, sizeof(h)), 0xB861);
	h[10] = 0xB8;
	h[11] = 0x61;
	CHECK_EQ(inet_csum(h, sizeof(h)), 0); /* verifies */
	h[15] ^= 1;
	CHECK(inet_csum(h, sizeof(h)) != 0);  /* one flipped bit shows */
}

static void test_odd_length(void)
{
	const uint8_t b[] = {0x12, 0x34, 0x56};

	/* The last byte is the high half of a word: 0x1234 + 0x5600. */
	CHECK_EQ(inet_csum_add(0, b, 3), 0x6834);
	CHECK_EQ(inet_csum(b, 3), (uint16_t)~0x6834);
	CHECK_EQ(inet_csum(b, 0), 0xFFFF);
}

static void test_pieces_and_carries(void)
{
	uint8_t b[1500];

	for (unsigned i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(0xFF - i % 3); /* many carries */
	uint32_t whole = inet_csum_add(0, b, sizeof(b));
	uint32_t parts = inet_csum_add(0, b, 600);
	parts = inet_csum_add(parts, b + 600, 0); /* an empty piece */
	parts = inet_csum_add(parts, b + 600, 900);
	CHECK(whole <= 0xFFFF);
	CHECK_EQ(inet_csum_fold(parts), inet_csum_fold(whole));
	/* All ones: ones' complement "negative zero" folds to 0. */
	memset(b, 0xFF, 4);
	CHECK_EQ(inet_csum(b, 4), 0);
}

static void test_pseudo_header(void)
{
	/* 10.0.0.1 -> 10.0.0.2, UDP, 12 bytes:
	 * 0x0A00 + 0x0001 + 0x0A00 + 0x0002 + 17 + 12 = 0x1420 */
	CHECK_EQ(inet_csum_pseudo(0x0A000001, 0x0A000002, 17, 12), 0x1420);
	/* Carries fold back in: 5 * 0xFFFF + 0xFF is 0xFF, ones' complement. */
	uint32_t s = inet_csum_pseudo(0xFFFFFFFF, 0xFFFFFFFF, 0xFF, 0xFFFF);
	CHECK_EQ(s, 0xFF);
}

int main(void)
{
	RUN(test_rfc1071_example);
	RUN(test_ipv4_header);
	RUN(test_odd_length);
	RUN(test_pieces_and_carries);
	RUN(test_pseudo_header);
	return CHECK_DONE();
}
