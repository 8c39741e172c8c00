/*
 * tests/unit/crc32_test.c: lib/crc32.c gives zlib's CRC-32: the standard
 * check value, the empty string, and the same sum in one or many pieces.
 */
#include <string.h>

#include "check.h"
#include "crc32.h"

static void test_check_value(void)
{
	CHECK_EQ(crc32_update(0, "123456789", 9), 0xCBF43926);
	CHECK_EQ(crc32_update(0, "", 0), 0);
	CHECK_EQ(crc32_update(0, "a", 1), 0xE8B7BE43);
}

static void test_pieces(void)
{
	const char *text = "the quick brown fox jumps over the lazy dog";
	size_t n = strlen(text);
	uint32_t whole = crc32_update(0, text, n);
	uint32_t parts = 0;

	for (size_t i = 0; i < n; i += 7)
		parts = crc32_update(parts, text + i, n - i < 7 ? n - i : 7);
	CHECK_EQ(parts, whole);
	CHECK_EQ(whole, 0xCE0C5114); /* zlib.crc32 of the same text */
}

int main(void)
{
	RUN(test_check_value);
	RUN(test_pieces);
	return CHECK_DONE();
}
