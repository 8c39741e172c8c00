/*
 * tests/unit/netargs_test.c: the network commands' arguments
 * (lib/netargs.c): an address and up to max_nums numbers, defaults kept
 * for the numbers left out, and everything else refused.
 */
#include <limits.h>
#include <stdint.h>

#include "check.h"
#include "netargs.h"

static void test_good(void)
{
	uint32_t ip = 0;
	unsigned long n[2] = {10, 1472};

	CHECK_EQ(netargs_parse(" 10.0.0.2", &ip, n, 2), 0);
	CHECK_EQ(ip, 0x0A000002);
	CHECK_EQ(n[0], 10);
	CHECK_EQ(n[1], 1472);
	CHECK_EQ(netargs_parse(" 10.0.0.3 50", &ip, n, 2), 1);
	CHECK_EQ(ip, 0x0A000003);
	CHECK_EQ(n[0], 50);
	CHECK_EQ(n[1], 1472);
	CHECK_EQ(netargs_parse("  192.168.1.1   7   64  ", &ip, n, 2), 2);
	CHECK_EQ(ip, 0xC0A80101);
	CHECK_EQ(n[0], 7);
	CHECK_EQ(n[1], 64);
	/* Ranges are the caller's to check. */
	CHECK_EQ(netargs_parse(" 10.0.0.2 0", &ip, n, 1), 1);
	CHECK_EQ(n[0], 0);
}

static void test_bad(void)
{
	uint32_t ip = 0;
	unsigned long n[2] = {1, 2};

	CHECK_EQ(netargs_parse("", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse("   ", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.256", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.2 x", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.2 5 x", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.2 5x", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.2 -5", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.2 +5", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.2 1 2 3", &ip, n, 2), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.2 1", &ip, n, 0), -1);
	CHECK_EQ(netargs_parse(" 10.0.0.2 1234567890123456789012345", &ip, n,
			       2), -1);
}

static void test_huge(void)
{
	uint32_t ip = 0;
	unsigned long n[1] = {4};

	CHECK_EQ(netargs_parse(" 10.0.0.2 99999999999999999999", &ip, n, 1), 1);
	CHECK_EQ(n[0], ULONG_MAX);
}

int main(void)
{
	RUN(test_good);
	RUN(test_bad);
	RUN(test_huge);
	return CHECK_DONE();
}
