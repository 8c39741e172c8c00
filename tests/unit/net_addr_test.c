/*
 * tests/unit/net_addr_test.c: addresses as text (lib/netaddr.c) and the
 * command-line configuration (lib/netcfg.c): strict dotted quads, prefix
 * lengths, masks both ways, printing, and ip=/gw=/promisc with defaults
 * from the guest id, the device number, and bad values.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "netaddr.h"
#include "netcfg.h"

static void test_parse_ip_good(void)
{
	uint32_t ip = 0;

	CHECK(netaddr_parse_ip("10.0.2.15", &ip));
	CHECK_EQ(ip, 0x0A00020F);
	CHECK(netaddr_parse_ip("255.255.255.255", &ip));
	CHECK_EQ(ip, 0xFFFFFFFF);
	CHECK(netaddr_parse_ip("0.0.0.0", &ip));
	CHECK_EQ(ip, 0);
	CHECK(netaddr_parse_ip("010.001.002.003", &ip)); /* decimal, not octal */
	CHECK_EQ(ip, 0x0A010203);
}

static void test_parse_ip_bad(void)
{
	static const char *bad[] = {
		"", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256",
		"1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", ".1.2.3",
		"+1.2.3.4", "1.2.3.-4", "1.2.3.0004", "a.b.c.d", "1.2.3.4x",
		"1.2.3.4/24", "99999999999.1.1.1",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t ip = 0x55555555;
		if (netaddr_parse_ip(bad[i], &ip))
			printf("FAIL accepted \"%s\"\n", bad[i]);
		CHECK(!netaddr_parse_ip(bad[i], &ip));
		CHECK_EQ(ip, 0x55555555); /* untouched */
	}
}

static void test_parse_cidr(void)
{
	uint32_t ip = 0;
	unsigned prefix = 24;

	CHECK(netaddr_parse_cidr("192.168.1.7/16", &ip, &prefix));
	CHECK_EQ(ip, 0xC0A80107);
	CHECK_EQ(prefix, 16);
	prefix = 24;
	CHECK(netaddr_parse_cidr("192.168.1.7", &ip, &prefix));
	CHECK_EQ(prefix, 24); /* the default stays */
	CHECK(netaddr_parse_cidr("1.2.3.4/0", &ip, &prefix));
	CHECK_EQ(prefix, 0);
	CHECK(netaddr_parse_cidr("1.2.3.4/32", &ip, &prefix));
	CHECK_EQ(prefix, 32);
	prefix = 7;
	CHECK(!netaddr_parse_cidr("1.2.3.4/33", &ip, &prefix));
	CHECK(!netaddr_parse_cidr("1.2.3.4/", &ip, &prefix));
	CHECK(!netaddr_parse_cidr("1.2.3.4/24x", &ip, &prefix));
	CHECK(!netaddr_parse_cidr("1.2.3.4//24", &ip, &prefix));
	CHECK(!netaddr_parse_cidr("1.2.3/24", &ip, &prefix));
	CHECK_EQ(prefix, 7);
}

static void test_masks(void)
{
	CHECK_EQ(netaddr_prefix_mask(0), 0);
	CHECK_EQ(netaddr_prefix_mask(1), 0x80000000u);
	CHECK_EQ(netaddr_prefix_mask(24), 0xFFFFFF00u);
	CHECK_EQ(netaddr_prefix_mask(31), 0xFFFFFFFEu);
	CHECK_EQ(netaddr_prefix_mask(32), 0xFFFFFFFFu);
	for (unsigned p = 0; p <= 32; p++)
		CHECK_EQ(netaddr_mask_prefix(netaddr_prefix_mask(p)), p);
}

static void test_print(void)
{
	char ip[NETADDR_IP_STRLEN], mac[NETADDR_MAC_STRLEN];
	const uint8_t m[6] = {0x02, 0x00, 0x0F, 0xA0, 0x00, 0xFF};

	CHECK(strcmp(netaddr_ip_str(0x0A00020F, ip), "10.0.2.15") == 0);
	CHECK(strcmp(netaddr_ip_str(0xFFFFFFFF, ip), "255.255.255.255") == 0);
	CHECK(strcmp(netaddr_mac_str(m, mac), "02:00:0f:a0:00:ff") == 0);
}

static void test_cfg_defaults(void)
{
	struct netcfg c;

	CHECK(netcfg_from_cmdline("", 0, 0, &c) == NULL);
	CHECK_EQ(c.ip, 0x0A000001);         /* 10.0.0.1 */
	CHECK_EQ(c.netmask, 0xFFFFFF00u);
	CHECK_EQ(c.gateway, 0);
	CHECK(!c.promisc);
	CHECK(netcfg_from_cmdline("quiet", 2, 5, &c) == NULL);
	CHECK_EQ(c.ip, 0x0A000206);         /* 10.0.2.6: device 2, guest 5 */
}

static void test_cfg_ip_gw(void)
{
	struct netcfg c;
	const char *line = "hello ip=10.0.2.15/16 gw=10.0.2.2 promisc x=y";

	CHECK(netcfg_from_cmdline(line, 0, 3, &c) == NULL);
	CHECK_EQ(c.ip, 0x0A00020F);
	CHECK_EQ(c.netmask, 0xFFFF0000u);
	CHECK_EQ(c.gateway, 0x0A000202);
	CHECK(c.promisc);
	/* ip= and gw= are the first device's; promisc is everyone's. */
	CHECK(netcfg_from_cmdline(line, 1, 3, &c) == NULL);
	CHECK_EQ(c.ip, 0x0A000104);
	CHECK_EQ(c.gateway, 0);
	CHECK(c.promisc);
	/* Without /n, /24. */
	CHECK(netcfg_from_cmdline("ip=192.168.7.9", 0, 0, &c) == NULL);
	CHECK_EQ(c.ip, 0xC0A80709);
	CHECK_EQ(c.netmask, 0xFFFFFF00u);
}

static void test_cfg_words_whole(void)
{
	struct netcfg c;

	/* Not words of their own: ignored. */
	CHECK(netcfg_from_cmdline("xip=1.2.3.4 mgw=1.1.1.1 promiscuous", 0, 0,
				  &c) == NULL);
	CHECK_EQ(c.ip, 0x0A000001);
	CHECK_EQ(c.gateway, 0);
	CHECK(!c.promisc);
	/* The second ip= word after a false match is still found. */
	CHECK(netcfg_from_cmdline("aip=1.1.1.1 ip=2.2.2.2", 0, 0, &c) == NULL);
	CHECK_EQ(c.ip, 0x02020202);
}

static void test_cfg_bad_values(void)
{
	struct netcfg c;

	CHECK(netcfg_from_cmdline("ip=10.0.0.300", 0, 0, &c) != NULL);
	CHECK_EQ(c.ip, 0x0A000001); /* the default stays */
	CHECK(netcfg_from_cmdline("ip=0.0.0.0", 0, 0, &c) != NULL);
	CHECK(netcfg_from_cmdline("ip=", 0, 0, &c) != NULL);
	CHECK(netcfg_from_cmdline("ip=1.2.3.4/99", 0, 0, &c) != NULL);
	CHECK(netcfg_from_cmdline("gw=1.2.3", 0, 0, &c) != NULL);
	CHECK_EQ(c.gateway, 0);
	CHECK(netcfg_from_cmdline(
		"ip=1.2.3.4/24aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0,
		0, &c) != NULL);
	/* A bad gw= does not spoil a good ip=. */
	CHECK(netcfg_from_cmdline("ip=10.1.1.1/8 gw=nope", 0, 0, &c) != NULL);
	CHECK_EQ(c.ip, 0x0A010101);
	CHECK_EQ(c.netmask, 0xFF000000u);
}

int main(void)
{
	RUN(test_parse_ip_good);
	RUN(test_parse_ip_bad);
	RUN(test_parse_cidr);
	RUN(test_masks);
	RUN(test_print);
	RUN(test_cfg_defaults);
	RUN(test_cfg_ip_gw);
	RUN(test_cfg_words_whole);
	RUN(test_cfg_bad_values);
	return CHECK_DONE();
}
