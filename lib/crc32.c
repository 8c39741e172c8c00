/*
 * lib/crc32.c: CRC-32, reflected polynomial 0xEDB88320, as zlib computes
 * it. A 16-entry table keeps it small; speed is not the point here.
 */
#include "crc32.h"

static const uint32_t crc32_nibble[16] = {
	0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC,
	0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
	0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
	0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ crc32_nibble[crc & 0xF];
		crc = (crc >> 4) ^ crc32_nibble[crc & 0xF];
	}
	return ~crc;
}
