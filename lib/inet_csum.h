/*
 * lib/inet_csum.h: the Internet checksum (RFC 1071), the ones' complement
 * sum of 16-bit big-endian words that IPv4, ICMP and UDP all use, and the
 * pseudo-header sum UDP adds in front. Pure arithmetic.
 */
#ifndef LGREF_LIB_INET_CSUM_H
#define LGREF_LIB_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Add len bytes to a running sum (start with 0). Only the last piece of
 * a message may have an odd length: its final byte counts as the high
 * half of a word whose low half is 0.
 */
uint32_t inet_csum_add(uint32_t sum, const void *data, size_t len);

/* The sum of the IPv4 pseudo-header: addresses, protocol, length. */
uint32_t inet_csum_pseudo(uint32_t src_ip, uint32_t dst_ip, uint8_t proto,
			  uint16_t len);

/*
 * Fold a running sum to 16 bits and complement it: the value to store in
 * a checksum field (computed with that field 0). Over a message that
 * already holds its checksum, the result is 0 exactly when it is right.
 */
uint16_t inet_csum_fold(uint32_t sum);

/* inet_csum_fold(inet_csum_add(0, data, len)). */
uint16_t inet_csum(const void *data, size_t len);

#endif
