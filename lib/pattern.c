/*
 * lib/pattern.c: the sector pattern of lib/pattern.h. Words are moved
 * with __builtin_memcpy so buffers need no alignment; on x86 that
 * compiles to plain loads and stores even under -ffreestanding (which
 * turns a plain memcpy into a call per word). The benchmark checks every
 * byte it reads between two requests, so this loop is on its clock.
 */
#include <stddef.h>
#include <string.h>

#include "pattern.h"
#include "hot.h"

#define PATTERN_WORDS (PATTERN_SECTOR_SIZE / 4)

GUEST_HOT_TEXT
uint32_t pattern_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* A mixing function (murmur3's finaliser) so that neighbouring sectors
 * and seeds start far apart in the xorshift sequence. */
GUEST_HOT_TEXT
uint32_t pattern_seed_state(uint32_t sector, uint32_t seed)
{
	uint32_t h = sector * 0x9E3779B1u ^ seed * 0x85EBCA77u ^ 0x6C677265u;

	h ^= h >> 16;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	h *= 0xC2B2AE35u;
	h ^= h >> 16;
	return h ? h : 1;
}

static uint32_t pattern_word(uint32_t i, uint32_t sector, uint32_t seed,
			     uint32_t *state)
{
	if (i == 0)
		return sector;
	if (i == 1)
		return seed;
	return pattern_rand(state);
}

void pattern_fill(void *buf, uint32_t sector, uint32_t count, uint32_t seed)
{
	uint8_t *p = buf;

	for (uint32_t s = 0; s < count; s++, sector++) {
		uint32_t state = pattern_seed_state(sector, seed);
		for (uint32_t i = 0; i < PATTERN_WORDS; i++, p += 4) {
			uint32_t w = pattern_word(i, sector, seed, &state);
			__builtin_memcpy(p, &w, 4);
		}
	}
}

int pattern_check(const void *buf, uint32_t sector, uint32_t count,
		  uint32_t seed, struct pattern_mismatch *m)
{
	const uint8_t *p = buf;

	for (uint32_t s = 0; s < count; s++, sector++) {
		uint32_t state = pattern_seed_state(sector, seed);
		for (uint32_t i = 0; i < PATTERN_WORDS; i++, p += 4) {
			uint32_t want = pattern_word(i, sector, seed, &state);
			uint32_t got;
			__builtin_memcpy(&got, p, 4);
			if (got == want)
				continue;
			if (m) {
				m->sector = sector;
				m->offset = i * 4;
				m->expected = want;
				m->actual = got;
			}
			return -1;
		}
	}
	return 0;
}
