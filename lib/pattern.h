/*
 * lib/pattern.h: self-describing disk contents for block tests and the
 * block benchmark. Every 512-byte sector written carries its own sector
 * number and a seed in its first 8 bytes; the other 504 bytes are a
 * pseudo-random stream derived from both. A read can then be checked
 * without keeping a copy of what was written, and a sector that landed in
 * the wrong place, or is left over from an earlier run (another seed),
 * shows up as a mismatch at a known offset. Pure logic, no hardware.
 */
#ifndef LGREF_LIB_PATTERN_H
#define LGREF_LIB_PATTERN_H

#include <stdint.h>

#define PATTERN_SECTOR_SIZE 512

/* Where a check failed: the first differing 32-bit word. */
struct pattern_mismatch {
	uint32_t sector;   /* the sector number the data was read from */
	uint32_t offset;   /* byte offset of the word within that sector */
	uint32_t expected; /* the word the pattern says */
	uint32_t actual;   /* the word found */
};

/*
 * Fill `count` sectors at `buf` (any alignment) with the pattern for
 * sectors `sector`, `sector` + 1, ... under `seed`. Little-endian words:
 * word 0 = sector number, word 1 = seed, words 2..127 = the stream.
 */
void pattern_fill(void *buf, uint32_t sector, uint32_t count, uint32_t seed);

/*
 * Check `count` sectors at `buf` against the pattern for `sector`... under
 * `seed`. Returns 0 if all match; else -1, with the first mismatch in *m
 * (if m is not NULL).
 */
int pattern_check(const void *buf, uint32_t sector, uint32_t count,
		  uint32_t seed, struct pattern_mismatch *m);

/*
 * xorshift32: the next value of a small pseudo-random sequence. *state
 * must not be 0 (pattern_seed_state() never returns 0).
 */
uint32_t pattern_rand(uint32_t *state);

/* A non-zero xorshift state derived from a sector number and a seed. */
uint32_t pattern_seed_state(uint32_t sector, uint32_t seed);

#endif
