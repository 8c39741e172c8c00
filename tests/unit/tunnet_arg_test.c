/*
 * tests/unit/tunnet_arg_test.c: tunnet_arg_parse() (host/rules/tunnet_arg.c),
 * the value of --tunnet=: an IPv4 address or bridge:<name>, and every
 * near miss refused with a message naming the value.
 */
#include <string.h>

#include "check.h"                 /* the test framework (tests/unit/) */
#include "rules/tunnet_arg.h" /* the parser */

static char err[256];
static struct tunnet_arg a;

static int parse(const char *v)
{
	memset(err, 0, sizeof(err));
	return tunnet_arg_parse(v, &a, err, sizeof(err));
}

static void test_ipv4(void)
{
	CHECK_EQ(parse("10.0.2.2"), 0);
	CHECK_EQ(a.kind, TUNNET_IPV4);
	CHECK(memcmp(a.ipv4, (uint8_t[]){ 10, 0, 2, 2 }, 4) == 0);
	CHECK_EQ(parse("192.168.19.1"), 0);
	CHECK_EQ(a.ipv4[0], 192);
	CHECK_EQ(a.ipv4[3], 1);
	CHECK_EQ(parse("0.0.0.0"), 0);
	CHECK_EQ(parse("255.255.255.255"), 0);
	CHECK_EQ(a.ipv4[2], 255);
	CHECK_EQ(parse("010.000.002.002"), 0);	/* decimal, not octal */
	CHECK_EQ(a.ipv4[0], 10);
	CHECK_EQ(err[0], 0);
}

static void test_bad_ipv4(void)
{
	static const char *bad[] = {
		"", "1.2.3", "1.2.3.4.5", "1..2.3", "256.0.0.1", "1.2.3.256",
		"0001.1.1.1", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "-1.2.3.4",
		"1.2.3.4x", "1.2.3.", ".1.2.3", "1,2,3,4", "10.0.2.2/24",
		"br0", "bridge", "Bridge:br0",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i]) != -1)
			printf("FAIL accepted '%s'\n", bad[i]);
		CHECK_EQ(parse(bad[i]), -1);
	}
	parse("1.2.3");
	CHECK(strcmp(err, "--tunnet=1.2.3: expected an IPv4 address "
		     "(a.b.c.d) or bridge:<name>") == 0);
}

static void test_bridge(void)
{
	CHECK_EQ(parse("bridge:br0"), 0);
	CHECK_EQ(a.kind, TUNNET_BRIDGE);
	CHECK(strcmp(a.bridge, "br0") == 0);
	CHECK_EQ(parse("bridge:123456789012345"), 0);	/* 15: the most */
	CHECK(strcmp(a.bridge, "123456789012345") == 0);
	CHECK_EQ(parse("bridge:1.2.3.4"), 0);
	CHECK_EQ(a.kind, TUNNET_BRIDGE);
}

static void test_bad_bridge(void)
{
	CHECK_EQ(parse("bridge:"), -1);
	CHECK(strcmp(err, "--tunnet=bridge:: a bridge name is 1 to 15 "
		     "characters without '/'") == 0);
	CHECK_EQ(parse("bridge:1234567890123456"), -1);
	CHECK_EQ(parse("bridge:a/b"), -1);
}

int main(void)
{
	RUN(test_ipv4);
	RUN(test_bad_ipv4);
	RUN(test_bridge);
	RUN(test_bad_bridge);
	return CHECK_DONE();
}
