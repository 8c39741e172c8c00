/*
 * tests/unit/logfmt_test.c: a line kept by host/arch/logfmt.c and
 * formatted later reads exactly as vsnprintf formats it at once, for every
 * conversion the host's lines use and the edges around them; a %s is
 * copied when the line is kept; what kept lines do not take (or what does
 * not fit) is refused, so that the caller formats at once; and a record
 * that is cut short or damaged is refused, never read past.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "arch/logfmt.h"

static uint8_t rec[4096];

static size_t keep(size_t room, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = logfmt_keep(rec, room, fmt, ap);
	va_end(ap);
	return n;
}

/* Keep the line, format it later, and compare with vsnprintf now: the
 * text, and the length unless a %s was longer than a line shows (then
 * the length counts what was kept). */
static __attribute__((format(printf, 3, 4))) int
compare(bool check_length, size_t outlen, const char *fmt, ...)
{
	char want[600], got[600];
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	int want_len = vsnprintf(want, outlen, fmt, ap);
	size_t n = logfmt_keep(rec, sizeof(rec), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (n == 0) {
		printf("  not kept: \"%s\"\n", fmt);
		return 0;
	}
	memset(got, 'Z', sizeof(got));
	int got_len = logfmt_format(got, outlen, rec, n);
	if ((check_length && got_len != want_len) || strcmp(got, want) != 0 ||
	    (outlen < sizeof(got) && got[outlen] != 'Z')) {
		printf("  \"%s\": got %d \"%s\", want %d \"%s\"\n", fmt,
		       got_len, got, want_len, want);
		return 0;
	}
	return 1;
}

#define same(...) compare(true, __VA_ARGS__)
#define same_text(...) compare(false, __VA_ARGS__)

static void test_conversions(void)
{
	int x = 7;

	CHECK(same(512, "plain text, no conversion\n"));
	CHECK(same(512, "%u MiB free for guests\n", 126u));
	CHECK(same(512, "guest %u: %s, %u MiB, entry %#x, page_offset %#x, "
		   "pfnlimit %#x, command line \"%s\"%s\n", 0u,
		   "build/guest.elf", 64u, 0xc010002du, 0xc0000000u, 0x4001u,
		   "run=poweroff ", ""));
	CHECK(same(512, "%d %d %i %+d % d %05d %-5d|\n", -1, 2147483647,
		   -2147483647 - 1, 3, 4, -42, 9));
	CHECK(same(512, "%x %X %#x %08x %02x %03x %o %5o\n", 0xdeadbeefu,
		   0xabcu, 0u, 0x1234u, 0x5u, 0x7u, 8u, 8u));
	CHECK(same(512, "%lu %ld %+ld %#lx %08lx %03lu %lx\n", 4000000000ul,
		   -5l, -6l, 0x80000000ul, 0x1ul, 7ul, 0ul));
	CHECK(same(512, "%hu %hd %hx %#hx\n", 70000u, -3, 0x1ffff, 0x12345));
	CHECK(same(512, "%c%c%c %p %p\n", 'a', '\n', 0x41, (void *)&x,
		   (void *)0));
	CHECK(same(512, "100%% done, %s%%\n", "all"));
	CHECK(same(512, "%s|%10s|%-10s|%.3s|%-7s|%s\n", "x", "right",
		   "left", "truncated", "", "last"));
}

static void test_stars(void)
{
	CHECK(same(512, "[%.*s]\n", 4, "abcdefgh"));
	CHECK(same(512, "[%.*s]\n", -1, "negative: all of it"));
	CHECK(same(512, "[%.*s]\n", 0, "none"));
	CHECK(same(512, "[%*d] [%*d] [%-*d]\n", 6, 42, -6, 42, 4, 1));
	CHECK(same(512, "[%*.*s] [%.*u]\n", 8, 3, "abcdef", 5, 42u));
	/* %.*s of bytes that are not a string: only n are read. */
	char raw[4] = { 'a', 'b', 'c', 'd' };
	CHECK(same(512, "[%.*s] [%.2s]\n", 3, raw, raw));
}

static void test_cut(void)
{
	char long_string[2000];

	memset(long_string, 's', sizeof(long_string) - 1);
	long_string[sizeof(long_string) - 1] = '\0';
	CHECK(same(1, "anything %u\n", 5u));
	CHECK(same(8, "0123456789 %s\n", "more"));
	CHECK(same(12, "ab%sgh%uij\n", "cdef", 12345u));
	CHECK(same(13, "%d %s %x\n", -100, "middle", 0xffu));
	CHECK(same(5, "%s\n", "a string longer than the line"));
	/* A string is kept up to what a line can show: the same text. */
	CHECK(same_text(LOGFMT_LINE_MAX, "%s\n", long_string));
	CHECK(same_text(LOGFMT_LINE_MAX, "line: \"%s\" end\n", long_string));
	CHECK(same_text(LOGFMT_LINE_MAX, "%.1500s|\n", long_string));
	CHECK(same_text(LOGFMT_LINE_MAX, "%-600s|%s\n", "padded", long_string));
	/* The format's pointer, NULL or not, LOGFMT_LINE_MAX - 1 bytes, NUL. */
	CHECK_EQ(keep(sizeof(rec), "%s", long_string),
		 sizeof(const char *) + 1 + LOGFMT_LINE_MAX);
}

/* The strings are the ones when the line was kept. */
static void test_strings_copied(void)
{
	char name[16] = "first";
	char out[64];
	const char *volatile none = NULL;	/* printf's "(null)" */

	size_t n = keep(sizeof(rec), "name %s, %s\n", name, none);
	CHECK(n > 0);
	strcpy(name, "second");
	char want[64];
	snprintf(want, sizeof(want), "name %s, %s\n", "first", none);
	CHECK_EQ(logfmt_format(out, sizeof(out), rec, n), strlen(want));
	CHECK(strcmp(out, want) == 0);
}

/* What kept lines do not take, and what does not fit, is refused. */
static void test_refused(void)
{
	CHECK_EQ(keep(sizeof(rec), "%llu\n", 1ull), 0);
	CHECK_EQ(keep(sizeof(rec), "%jd\n", (long long)1), 0);
	/* newlib's small printf has no hh, z or t (it prints them as text
	 * and takes no argument), and decides %#o's 0 from the conversion
	 * before: formatted one conversion at a time, they would differ. */
	CHECK_EQ(keep(sizeof(rec), "%hhu %u\n", 1, 2u), 0);
	CHECK_EQ(keep(sizeof(rec), "%zu %u\n", (size_t)1, 2u), 0);
	CHECK_EQ(keep(sizeof(rec), "%td %u\n", (ptrdiff_t)1, 2u), 0);
	CHECK_EQ(keep(sizeof(rec), "%#o\n", 8u), 0);
	CHECK_EQ(keep(sizeof(rec), "%-#5o\n", 8u), 0);
	CHECK_EQ(keep(sizeof(rec), "%ls\n", L"wide"), 0);
	CHECK_EQ(keep(sizeof(rec), "%lc\n", 'w'), 0);
	CHECK_EQ(keep(sizeof(rec), "%5%\n"), 0);
	CHECK_EQ(keep(sizeof(rec), "trailing %"), 0);
	CHECK_EQ(keep(sizeof(rec), "%n\n", (int *)NULL), 0);
	CHECK_EQ(keep(sizeof(rec), "%f\n", 1.0), 0);
	CHECK_EQ(keep(sizeof(rec), "%0000000000000000000000000000000d\n",
		      1), 0);	/* a spec longer than the record's limit */
	/* Room: the format's pointer and the argument, no less. */
	size_t whole = keep(sizeof(rec), "%u %s\n", 1u, "abc");
	CHECK(whole > 0);
	CHECK_EQ(keep(whole, "%u %s\n", 1u, "abc"), whole);
	CHECK_EQ(keep(whole - 1, "%u %s\n", 1u, "abc"), 0);
	CHECK_EQ(keep(sizeof(const char *) - 1, "text\n"), 0);
}

/* A record cut short, or with bytes after it, is not formatted. */
static void test_damaged_records(void)
{
	char out[64];
	size_t n = keep(sizeof(rec), "%u %s %d\n", 1u, "abc", -2);

	CHECK(n > 0);
	CHECK_EQ(logfmt_format(out, sizeof(out), rec, n), strlen("1 abc -2\n"));
	for (size_t cut = 0; cut < n; cut++) {
		CHECK_EQ(logfmt_format(out, sizeof(out), rec, cut), -1);
		CHECK(out[0] == '\0' || strlen(out) < sizeof(out));
	}
	CHECK_EQ(logfmt_format(out, sizeof(out), rec, n + 1), -1);
	/* The string's NUL gone: the record ends inside it. */
	size_t s = keep(sizeof(rec), "%s\n", "abc");
	CHECK(s > 0);
	rec[s - 1] = 'x';
	CHECK_EQ(logfmt_format(out, sizeof(out), rec, s), -1);
}

int main(void)
{
	RUN(test_conversions);
	RUN(test_stars);
	RUN(test_cut);
	RUN(test_strings_copied);
	RUN(test_refused);
	RUN(test_damaged_records);
	return CHECK_DONE();
}
