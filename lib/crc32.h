/*
 * lib/crc32.h: CRC-32 (the zlib/IEEE 802.3 one), so a guest can prove it
 * read a disk's bytes exactly: the test computes the same sum natively
 * with Python's zlib.crc32.
 */
#ifndef LGREF_LIB_CRC32_H
#define LGREF_LIB_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC-32 over len more bytes; start with crc = 0. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
