/*
 * tests/unit/printable_test.c: guest text on the host's log
 * (host/rules/printable.c): printable ASCII passes, everything else and
 * the backslash become \xNN, so no guest byte can start a log line.
 */
#include <string.h>

#include "check.h"
#include "rules/printable.h"

static char out[64];

static void test_plain(void)
{
	CHECK(strcmp(printable_copy(out, sizeof(out), "Power down"),
		     "Power down") == 0);
	CHECK(strcmp(printable_copy(out, sizeof(out), ""), "") == 0);
}

static void test_escapes(void)
{
	CHECK(strcmp(printable_copy(out, sizeof(out),
				    "boom\nguest 1: powered off\r"),
		     "boom\\x0aguest 1: powered off\\x0d") == 0);
	CHECK(strcmp(printable_copy(out, sizeof(out), "a\\b\x7f\xff"),
		     "a\\x5cb\\x7f\\xff") == 0);
	CHECK(strchr(out, '\n') == NULL);
}

static void test_truncation(void)
{
	char small[8];

	/* Room for 7 characters: "abcdefg", never half an escape. */
	CHECK(strcmp(printable_copy(small, sizeof(small), "abcdefghij"),
		     "abcdefg") == 0);
	CHECK(strcmp(printable_copy(small, sizeof(small), "abcd\n"),
		     "abcd") == 0);
	CHECK(strcmp(printable_copy(small, sizeof(small), "abc\n"),
		     "abc\\x0a") == 0);
	char one[1];
	CHECK(strcmp(printable_copy(one, sizeof(one), "x"), "") == 0);
}

int main(void)
{
	RUN(test_plain);
	RUN(test_escapes);
	RUN(test_truncation);
	return CHECK_DONE();
}
