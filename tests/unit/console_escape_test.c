/*
 * tests/unit/console_escape_test.c: the console's escape parser
 * (host/rules/console_escape.c): plain bytes pass, Ctrl-A and a hex digit picks
 * a guest, Ctrl-A n the next, Ctrl-A Ctrl-A is one Ctrl-A, anything else
 * after Ctrl-A is reported and swallowed, and the parser is back to
 * plain bytes after every sequence.
 */
#include "check.h"
#include "rules/console_escape.h"

static struct console_escape st;
static unsigned arg;

static enum console_escape_action feed(uint8_t c)
{
	arg = 0xDEAD;
	return console_escape_feed(&st, c, &arg);
}

static void test_plain_bytes(void)
{
	st = (struct console_escape){ 0 };
	for (unsigned c = 0; c < 256; c++) {
		if (c == CONSOLE_ESCAPE_CHAR)
			continue;
		CHECK_EQ(feed((uint8_t)c), CONSOLE_ESC_BYTE);
		CHECK_EQ(arg, c);
	}
}

static void test_select(void)
{
	const char *digits = "0123456789abcdefABCDEF";
	const unsigned want[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				  13, 14, 15, 10, 11, 12, 13, 14, 15 };

	st = (struct console_escape){ 0 };
	for (unsigned i = 0; digits[i]; i++) {
		CHECK_EQ(feed(CONSOLE_ESCAPE_CHAR), CONSOLE_ESC_NONE);
		CHECK_EQ(feed((uint8_t)digits[i]), CONSOLE_ESC_SELECT);
		CHECK_EQ(arg, want[i]);
		/* and back to plain input */
		CHECK_EQ(feed((uint8_t)digits[i]), CONSOLE_ESC_BYTE);
		CHECK_EQ(arg, (unsigned)digits[i]);
	}
}

static void test_next_and_literal(void)
{
	st = (struct console_escape){ 0 };
	CHECK_EQ(feed(CONSOLE_ESCAPE_CHAR), CONSOLE_ESC_NONE);
	CHECK_EQ(feed('n'), CONSOLE_ESC_NEXT);
	CHECK_EQ(feed('n'), CONSOLE_ESC_BYTE);
	CHECK_EQ(feed(CONSOLE_ESCAPE_CHAR), CONSOLE_ESC_NONE);
	CHECK_EQ(feed(CONSOLE_ESCAPE_CHAR), CONSOLE_ESC_BYTE);
	CHECK_EQ(arg, CONSOLE_ESCAPE_CHAR);
	/* The literal Ctrl-A does not begin another escape. */
	CHECK_EQ(feed('1'), CONSOLE_ESC_BYTE);
	CHECK_EQ(arg, '1');
	/* Three Ctrl-As: one literal, then an escape begun. */
	CHECK_EQ(feed(CONSOLE_ESCAPE_CHAR), CONSOLE_ESC_NONE);
	CHECK_EQ(feed(CONSOLE_ESCAPE_CHAR), CONSOLE_ESC_BYTE);
	CHECK_EQ(feed(CONSOLE_ESCAPE_CHAR), CONSOLE_ESC_NONE);
	CHECK_EQ(feed('2'), CONSOLE_ESC_SELECT);
	CHECK_EQ(arg, 2);
}

static void test_unknown(void)
{
	const uint8_t odd[] = { 'x', 'N', 'g', 'G', ' ', '\r', '\n', 0x00,
				0x1B, 0x7F, 0xFF, '/', ':', '@', '`' };

	st = (struct console_escape){ 0 };
	for (unsigned i = 0; i < sizeof(odd); i++) {
		CHECK_EQ(feed(CONSOLE_ESCAPE_CHAR), CONSOLE_ESC_NONE);
		CHECK_EQ(feed(odd[i]), CONSOLE_ESC_UNKNOWN);
		CHECK_EQ(arg, odd[i]);
		CHECK_EQ(feed('q'), CONSOLE_ESC_BYTE);	/* swallowed, then plain */
	}
}

int main(void)
{
	RUN(test_plain_bytes);
	RUN(test_select);
	RUN(test_next_and_literal);
	RUN(test_unknown);
	return CHECK_DONE();
}
