/*
 * tests/boot/tunnet_udp_echo.c: the guest side of scripts/tunnet_udp.py.
 * Frames that start outside the machine reach a --tunnet guest: with
 * `tools/lguest --udp-forward=PORT`, a datagram to 127.0.0.1:PORT on the
 * machine QEMU runs on arrives here as 10.0.2.15:7, through QEMU's
 * user-mode network, the host's NIC and our buffers at page + 4. We
 * answer QEMU's ARP for 10.0.2.15 (tunnet_test.h does) and echo
 * `count=N` datagrams (default 3), then power off.
 */
#include <stdlib.h>

#include "tunnet_test.h"

#define ECHO_PORT 7

static struct tn_dev dev;
static uint8_t got[LGUEST_NET_BUF_SIZE];
static uint8_t reply[LGUEST_NET_BUF_SIZE];

static bool is_udp_echo(const uint8_t *f, uint32_t len, const void *arg)
{
	const uint8_t *ip = f + LGUEST_NET_HDR_LEN;

	(void)arg;
	return len >= LGUEST_NET_HDR_LEN + 28u &&
	       tn_get16(f + 12) == TN_ETH_IP && ip[0] == 0x45 &&
	       ip[9] == 17 && memcmp(ip + 16, tn_my_ip, 4) == 0 &&
	       tn_get16(ip + 20 + 2) == ECHO_PORT && tn_csum(ip, 20) == 0 &&
	       LGUEST_NET_HDR_LEN + (uint32_t)tn_get16(ip + 2) <= len;
}

/* The same datagram back: addresses and ports swapped, UDP checksum 0
 * (none, which IPv4 allows). */
static uint16_t echo(const uint8_t *f)
{
	const uint8_t *ip = f + LGUEST_NET_HDR_LEN, *udp = ip + 20;
	uint16_t ip_len = tn_get16(ip + 2);
	uint8_t *rip = reply + tn_eth(reply, f + 6, dev.mac, TN_ETH_IP);
	uint8_t *rudp = rip + 20;

	memcpy(rip, ip, ip_len);
	memcpy(rip + 12, ip + 16, 4);
	memcpy(rip + 16, ip + 12, 4);
	rip[8] = 64;
	tn_put16(rip + 10, 0);
	tn_put16(rip + 10, tn_csum(rip, 20));
	memcpy(rudp, udp + 2, 2);
	memcpy(rudp + 2, udp, 2);
	tn_put16(rudp + 6, 0);
	return (uint16_t)(LGUEST_NET_HDR_LEN + ip_len);
}

void app_main(void)
{
	const char *arg = strstr(bootparams_cmdline(), "count=");
	unsigned count = arg ? (unsigned)strtoul(arg + 6, NULL, 10) : 3;

	printf("TEST tunnet_udp_echo START\n");
	CHECK(tn_find(&dev));
	if (!tn_find(&dev))
		goto out;
	CHECK_EQ(tn_bind(&dev, TN_BUFS, LGUEST_NET_BUF_SIZE), 1);
	printf("READY: udp echo on 10.0.2.15:%u for %u datagrams\n", ECHO_PORT,
	       count);
	fflush(stdout);
	for (unsigned i = 0; i < count; i++) {
		uint32_t n = tn_wait(&dev, got, 60000, is_udp_echo, NULL);
		CHECK(n > 0);
		if (!n)
			break;
		uint16_t len = echo(got);
		const uint8_t *ip = got + LGUEST_NET_HDR_LEN;
		CHECK_EQ(tn_send(&dev, reply, len), len);
		printf("echoed %u bytes from %u.%u.%u.%u:%u\n",
		       tn_get16(ip + 20 + 4) - 8u, ip[12], ip[13], ip[14],
		       ip[15], tn_get16(ip + 20));
		fflush(stdout);
	}
out:
	if (test_failures == 0)
		printf("TEST tunnet_udp_echo PASS\n");
	fflush(stdout);
}
