/*
 * tests/unit/pattern_test.c: the self-describing sector pattern
 * (lib/pattern.c): the header words, determinism, that sectors and seeds
 * differ, unaligned buffers, and that a check finds the first wrong word,
 * whether one bit flipped, a sector landed in the wrong place or the data
 * is stale from another seed.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "pattern.h"

#define SECTORS 8
static uint8_t buf[SECTORS * 512 + 16];
static uint8_t other[SECTORS * 512];

static uint32_t word(const uint8_t *p, unsigned i)
{
	uint32_t w;

	memcpy(&w, p + 4 * i, 4);
	return w;
}

static void test_header_words(void)
{
	pattern_fill(buf, 1000, SECTORS, 0xABCD1234u);
	for (unsigned s = 0; s < SECTORS; s++) {
		CHECK_EQ(word(buf + 512 * s, 0), 1000 + s);
		CHECK_EQ(word(buf + 512 * s, 1), 0xABCD1234u);
	}
}

static void test_fill_then_check(void)
{
	struct pattern_mismatch m = {0};

	pattern_fill(buf, 7, SECTORS, 42);
	CHECK_EQ(pattern_check(buf, 7, SECTORS, 42, &m), 0);
	CHECK_EQ(pattern_check(buf, 7, SECTORS, 42, NULL), 0);
	/* A sub-range checks on its own, at its own sector numbers. */
	CHECK_EQ(pattern_check(buf + 3 * 512, 10, 2, 42, &m), 0);
	/* Zero sectors: nothing to check. */
	CHECK_EQ(pattern_check(buf, 99, 0, 1, &m), 0);
}

static void test_deterministic_and_distinct(void)
{
	pattern_fill(buf, 5, 1, 9);
	pattern_fill(other, 5, 1, 9);
	CHECK(memcmp(buf, other, 512) == 0);
	/* Another sector or another seed changes the stream, not only the
	 * header. */
	pattern_fill(other, 6, 1, 9);
	CHECK(memcmp(buf + 8, other + 8, 504) != 0);
	pattern_fill(other, 5, 1, 10);
	CHECK(memcmp(buf + 8, other + 8, 504) != 0);
	/* The stream is not constant within a sector. */
	CHECK(word(buf, 2) != word(buf, 3));
}

static void test_unaligned_buffer(void)
{
	uint8_t *p = buf + 3; /* odd address */

	pattern_fill(p, 123456, 3, 0xFFFFFFFFu);
	CHECK_EQ(pattern_check(p, 123456, 3, 0xFFFFFFFFu, NULL), 0);
	CHECK_EQ(word(p, 0), 123456);
}

static void test_bit_flip_found(void)
{
	struct pattern_mismatch m = {0};

	pattern_fill(buf, 100, SECTORS, 77);
	buf[3 * 512 + 200] ^= 0x10; /* sector 103, word 50 */
	CHECK_EQ(pattern_check(buf, 100, SECTORS, 77, &m), -1);
	CHECK_EQ(m.sector, 103);
	CHECK_EQ(m.offset, 200);
	CHECK_EQ(m.actual ^ m.expected, 0x10);
}

static void test_misplaced_sector_found(void)
{
	struct pattern_mismatch m = {0};

	/* Data for sector 51 read back as sector 50: word 0 differs. */
	pattern_fill(buf, 51, 1, 3);
	CHECK_EQ(pattern_check(buf, 50, 1, 3, &m), -1);
	CHECK_EQ(m.sector, 50);
	CHECK_EQ(m.offset, 0);
	CHECK_EQ(m.expected, 50);
	CHECK_EQ(m.actual, 51);
}

static void test_stale_seed_found(void)
{
	struct pattern_mismatch m = {0};

	/* Left over from a run with seed 1, checked for seed 2: word 1. */
	pattern_fill(buf, 8, 2, 1);
	CHECK_EQ(pattern_check(buf, 8, 2, 2, &m), -1);
	CHECK_EQ(m.sector, 8);
	CHECK_EQ(m.offset, 4);
	CHECK_EQ(m.expected, 2);
	CHECK_EQ(m.actual, 1);
	/* All zeroes (a fresh disk) fails at word 0 of the first sector,
	 * except for sector 0, whose word 0 is 0: there it is word 1. */
	memset(buf, 0, 512);
	CHECK_EQ(pattern_check(buf, 0, 1, 5, &m), -1);
	CHECK_EQ(m.offset, 4);
}

static void test_last_word_checked(void)
{
	struct pattern_mismatch m = {0};

	pattern_fill(buf, 0, 2, 11);
	buf[2 * 512 - 1] ^= 0x80;
	CHECK_EQ(pattern_check(buf, 0, 2, 11, &m), -1);
	CHECK_EQ(m.sector, 1);
	CHECK_EQ(m.offset, 508);
}

static void test_rand(void)
{
	uint32_t st = pattern_seed_state(0, 0);
	uint32_t a = pattern_rand(&st), b = pattern_rand(&st);

	CHECK(st != 0);
	CHECK(a != b);
	/* The state never becomes 0, whatever it is seeded from. */
	for (uint32_t s = 0; s < 1000; s++)
		CHECK(pattern_seed_state(s, s * 7) != 0);
	/* xorshift32 from 1: its well-known first value. */
	st = 1;
	CHECK_EQ(pattern_rand(&st), 270369);
}

int main(void)
{
	RUN(test_header_words);
	RUN(test_fill_then_check);
	RUN(test_deterministic_and_distinct);
	RUN(test_unaligned_buffer);
	RUN(test_bit_flip_found);
	RUN(test_misplaced_sector_found);
	RUN(test_stale_seed_found);
	RUN(test_last_word_checked);
	RUN(test_rand);
	return CHECK_DONE();
}
