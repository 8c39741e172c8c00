/*
 * lib/netbytes.h: reading and writing network-order (big-endian) fields
 * at any byte offset of a frame. Frames arrive at whatever alignment the
 * buffer has, so the stack never casts a frame to a struct: every field
 * goes through these, which also keeps UBSan's alignment checks quiet.
 */
#ifndef LGREF_LIB_NETBYTES_H
#define LGREF_LIB_NETBYTES_H

#include <stdint.h>

static inline uint16_t net_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t net_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void net_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void net_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
