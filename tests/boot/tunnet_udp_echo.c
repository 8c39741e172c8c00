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
static const uint16_t echo_port = ECHO_PORT;

static struct tn_dev dev;
static uint8_t got[LGUEST_NET_BUF_SIZE];
static uint8_t reply[LGUEST_NET_BUF_SIZE];



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
		uint32_t n = tn_wait(&dev, got, 60000, tn_is_udp_to, &echo_port);
		CHECK(n > 0);
		if (!n)
			break;
		uint16_t len = tn_udp_echo(reply, got, dev.mac);
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
