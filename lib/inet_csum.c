/*
 * lib/inet_csum.c: the Internet checksum (lib/inet_csum.h). Byte by byte
 * rather than word by word, so any alignment and either host byte order
 * give the same answer; frames are at most 1514 bytes, so speed is moot.
 */
#include "inet_csum.h"
#include "hot.h"

/* Carries out of the low 16 bits go back in (ones' complement). */
GUEST_HOT_TEXT
static uint32_t inet_csum_carry(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return sum;
}

GUEST_HOT_TEXT
uint32_t inet_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	sum = inet_csum_carry(sum);
	for (; len >= 2; p += 2, len -= 2) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		if (sum & 0x80000000u)
			sum = inet_csum_carry(sum);
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return inet_csum_carry(sum);
}

GUEST_HOT_TEXT
uint32_t inet_csum_pseudo(uint32_t src_ip, uint32_t dst_ip, uint8_t proto,
			  uint16_t len)
{
	uint32_t sum = (src_ip >> 16) + (src_ip & 0xFFFF) + (dst_ip >> 16) +
		       (dst_ip & 0xFFFF) + proto + len;

	return inet_csum_carry(sum);
}

GUEST_HOT_TEXT
uint16_t inet_csum_fold(uint32_t sum)
{
	return (uint16_t)~inet_csum_carry(sum);
}

GUEST_HOT_TEXT
uint16_t inet_csum(const void *data, size_t len)
{
	return inet_csum_fold(inet_csum_add(0, data, len));
}
