/*
 * tests/boot/net_malformed.c: malformed frames are counted and dropped,
 * and crash nothing. This guest is the injector, guest 1 on a --sharenet
 * LAN whose guest 0 (the victim) is the default guest.elf. Its own net
 * driver is up as usual (MAC in slot 1, a stack at ip=), but the frames
 * below bypass it: each is built by hand and sent with a SEND_DMA of our
 * own straight to slot 0's key, as a peer that lies would send them.
 *
 * Each bad frame trips a different check, so the victim's `net` shows
 * each drop counter (lib/netstack.h) at exactly 1, or the driver's
 * rx_bad_len for the runt, which never reaches the stack. The oversize
 * frame is cut by the host to the victim's 1514-byte buffer, where it is
 * a packet of an unknown protocol. ICMP and UDP checksums are not checked
 * on a NOCSUM LAN, so there is no case for them here.
 *
 * Then a well-formed echo request: the victim must still answer it (it
 * asks for our MAC first, and our own stack answers that). We stay up,
 * answering with our stack, until the victim has pinged us twice.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lguest/launcher.h>

#include "../../drivers/net.h"
#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/irq.h"
#include "../../kernel/x86.h"
#include "../../lib/arp.h"
#include "../../lib/icmp.h"
#include "../../lib/inet_csum.h"
#include "../../lib/netbytes.h"
#include "../../lib/netpeer.h"
#include "user_test.h"

#define VICTIM_IP 0x0A000001u  /* 10.0.0.1 */
#define OUR_IP 0x0A000002u     /* 10.0.0.2, from ip= */
#define ECHO_ID 0x4D46         /* "MF" */
#define WAIT_MS 10000

static struct lguest_dma tx __attribute__((aligned(128)));
static uint8_t frame[4096] __attribute__((aligned(4096))); /* one page */
static uint32_t victim_key;
static uint8_t victim_mac[6], our_mac[6];
static volatile bool echo_answered;

static void nap_ms(unsigned ms)
{
	uint64_t end = clock_now_ns() + ms * 1000000ull;
	uint32_t flags = irq_save();

	while (clock_now_ns() < end) {
		timer_nap(end - clock_now_ns());
		irq_wait();
	}
	irq_restore(flags);
}

/* The device page, from the bus: our slot's page is the LAN's. */
static bool find_lan(void)
{
	volatile struct lguest_device_desc *d =
		vm_map_io(gpa(bootparams_mem_bytes()), 1);

	for (unsigned i = 0; i < LGUEST_MAX_DEVICES; i++) {
		if (d[i].type != LGUEST_DEVICE_T_NET)
			continue;
		uint32_t page_gpa = d[i].pfn * PAGE_SIZE;
		volatile uint8_t *page = vm_map_io(gpa(page_gpa), 1);
		uint64_t end = clock_now_ns() + WAIT_MS * 1000000ull;
		while (page[0] == 0 && clock_now_ns() < end)
			nap_ms(10); /* the victim has not published its MAC */
		if (page[0] == 0)
			return false;
		for (unsigned j = 0; j < 6; j++)
			victim_mac[j] = page[j];
		victim_mac[0] &= (uint8_t)~LGUEST_NET_PROMISC;
		victim_key = LGUEST_NET_SLOT_KEY(page_gpa, 0);
		return true;
	}
	return false;
}

/* Send frame[0..len) to the victim's key; retried while its buffers
 * are full. Returns the used_len of the send that got through (0 if
 * none did within a second). */
static uint32_t inject(uint16_t len)
{
	for (unsigned tries = 0; tries < 1000; tries++) {
		memset(&tx, 0, sizeof(tx));
		tx.addr[0] = gpa_val(virt_to_gpa(frame));
		tx.len[0] = len;
		hcall(LHCALL_SEND_DMA, victim_key, gpa_val(virt_to_gpa(&tx)),
		      0);
		if (tx.used_len)
			return tx.used_len;
		nap_ms(1);
	}
	return 0;
}

static uint8_t *eth(const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memset(frame, 0, sizeof(frame));
	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	net_put16(frame + 12, type);
	return frame + NET_ETH_HLEN;
}

/* A well-formed IPv4 header from us to dst at frame + 14 for `payload`
 * bytes of protocol proto; returns the payload's address. */
static uint8_t *ipv4(uint32_t src, uint32_t dst, uint8_t proto,
		     uint16_t payload)
{
	uint8_t *h = eth(victim_mac, our_mac, NET_ETHERTYPE_IPV4);

	h[0] = 0x45;
	net_put16(h + 2, (uint16_t)(NET_IP_HLEN + payload));
	net_put16(h + 4, 0x77);
	h[8] = 64;
	h[9] = proto;
	net_put32(h + 12, src);
	net_put32(h + 16, dst);
	net_put16(h + 10, inet_csum(h, NET_IP_HLEN));
	return h + NET_IP_HLEN;
}

static void ipv4_recsum(void)
{
	uint8_t *h = frame + NET_ETH_HLEN;

	net_put16(h + 10, 0);
	net_put16(h + 10, inet_csum(h, (size_t)(h[0] & 0xF) * 4));
}

static uint16_t ip_frame_len(uint16_t payload)
{
	return (uint16_t)(NET_ETH_HLEN + NET_IP_HLEN + payload);
}

/* An ICMP echo request of n data bytes after a good IPv4 header. */
static uint16_t echo_request(uint32_t dst, uint16_t seq, uint16_t n)
{
	uint8_t *m = ipv4(OUR_IP, dst, NET_IP_PROTO_ICMP,
			  (uint16_t)(NET_ICMP_HLEN + n));

	m[0] = ICMP_ECHO_REQUEST;
	net_put16(m + 4, ECHO_ID);
	net_put16(m + 6, seq);
	for (unsigned i = 0; i < n; i++)
		m[NET_ICMP_HLEN + i] = (uint8_t)i;
	net_put16(m + 2, inet_csum(m, NET_ICMP_HLEN + n));
	return ip_frame_len((uint16_t)(NET_ICMP_HLEN + n));
}

static uint16_t udp_to(uint16_t port, uint16_t ulen, uint16_t sent)
{
	uint8_t *u = ipv4(OUR_IP, VICTIM_IP, NET_IP_PROTO_UDP, sent);

	net_put16(u, 40000);
	net_put16(u + 2, port);
	net_put16(u + 4, ulen);
	return ip_frame_len(sent);
}

static uint16_t arp(uint16_t htype, uint16_t op, uint32_t spa, uint16_t len)
{
	static const uint8_t all[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	uint8_t *a = eth(all, our_mac, NET_ETHERTYPE_ARP);

	net_put16(a, htype);
	net_put16(a + 2, NET_ETHERTYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	net_put16(a + 6, op);
	memcpy(a + 8, our_mac, 6);
	net_put32(a + 14, spa);
	net_put32(a + 24, VICTIM_IP);
	return (uint16_t)(NET_ETH_HLEN + len);
}

/* One bad frame: build it, send it, check the host took all of it (or
 * `want` bytes of it). */
static void bad(const char *what, uint16_t len, uint32_t want)
{
	uint32_t got = inject(len);

	CHECK_EQ(got, want ? want : len);
	printf("inject: %s (%u bytes)\n", what, len);
}

static void inject_all(void)
{
	static const uint8_t stranger[6] = {0x02, 0, 0x09, 0, 0, 0};
	uint16_t n;
	uint8_t *p;

	bad("runt", 10, 0);                     /* driver: rx_bad_len */

	n = echo_request(VICTIM_IP, 1, 8);
	memcpy(frame, stranger, 6);
	bad("to another MAC", n, 0);            /* rx_not_for_us */
	n = echo_request(VICTIM_IP, 1, 8);
	memcpy(frame + 6, victim_mac, 6);
	bad("from the victim's own MAC", n, 0); /* rx_from_us */
	eth(victim_mac, our_mac, 0x86DD);
	bad("unknown ethertype", NET_ETH_HLEN + 40, 0); /* rx_unknown_type */

	bad("truncated ARP", arp(1, ARP_OP_REQUEST, OUR_IP, 20), 0);
	bad("ARP not for Ethernet", arp(6, ARP_OP_REQUEST, OUR_IP, 28), 0);
	bad("ARP op 9", arp(1, 9, OUR_IP, 28), 0);
	bad("ARP claiming the victim's IP",     /* arp_conflict */
	    arp(1, ARP_OP_REQUEST, VICTIM_IP, 28), 0);

	ipv4(OUR_IP, VICTIM_IP, NET_IP_PROTO_UDP, 0);
	bad("truncated IPv4", NET_ETH_HLEN + NET_IP_HLEN - 1, 0);
	n = echo_request(VICTIM_IP, 1, 8);
	frame[NET_ETH_HLEN] = 0x65;             /* version 6 */
	ipv4_recsum();
	bad("IPv4 version 6", n, 0);
	n = echo_request(VICTIM_IP, 1, 8);
	frame[NET_ETH_HLEN] = 0x44;             /* IHL 4 */
	bad("IPv4 IHL 4", n, 0);
	n = echo_request(VICTIM_IP, 1, 8);
	net_put16(frame + NET_ETH_HLEN + 2, 200);
	ipv4_recsum();
	bad("IPv4 total length past the frame", n, 0);
	n = echo_request(VICTIM_IP, 1, 8);
	frame[NET_ETH_HLEN + 10] ^= 0x55;
	bad("IPv4 header checksum", n, 0);
	n = echo_request(VICTIM_IP, 1, 8);
	net_put16(frame + NET_ETH_HLEN + 6, 0x2000); /* more fragments */
	ipv4_recsum();
	bad("IPv4 fragment", n, 0);
	n = echo_request(VICTIM_IP, 1, 8);
	net_put32(frame + NET_ETH_HLEN + 12, 0x0A0000FFu); /* a broadcast */
	ipv4_recsum();
	bad("IPv4 from a broadcast address", n, 0);
	bad("IPv4 to another address", echo_request(0x0A00004Du, 1, 8), 0);

	/* 2000 bytes sent, 1514 arrive: a TCP packet of 1500 bytes. */
	ipv4(OUR_IP, VICTIM_IP, 6, NET_ETH_MTU - NET_IP_HLEN);
	bad("oversize frame (TCP)", 2000, NET_ETH_FRAME_MAX);

	p = ipv4(OUR_IP, VICTIM_IP, NET_IP_PROTO_ICMP, 4);
	p[0] = ICMP_ECHO_REQUEST;
	bad("truncated ICMP", ip_frame_len(4), 0);
	n = echo_request(VICTIM_IP, 1, 8);
	p = frame + NET_ETH_HLEN + NET_IP_HLEN;
	p[0] = 13;                              /* timestamp request */
	net_put16(p + 2, 0);
	net_put16(p + 2, inet_csum(p, NET_ICMP_HLEN + 8));
	bad("ICMP timestamp request", n, 0);    /* icmp_ignored */

	bad("truncated UDP", udp_to(7, 8, 4), 0);
	bad("UDP length past the packet", udp_to(7, 100, 12), 0);
	bad("UDP to a closed port", udp_to(4444, 12, 12), 0); /* udp_no_port */
}

static void echo_reply(struct netstack *ns, void *ctx,
		       const struct icmp_echo_rx *e)
{
	(void)ns;
	(void)ctx;
	if (e->src_ip == VICTIM_IP && e->id == ECHO_ID && e->seq == 2 &&
	    e->len == 32)
		echo_answered = true;
}

/* Wait up to ms for *flag, or for the stack's echo-request count to
 * reach `requests` when flag is NULL. */
static bool wait_for(volatile bool *flag, struct netstack *ns,
		     uint32_t requests, unsigned ms)
{
	uint64_t end = clock_now_ns() + ms * 1000000ull;
	uint32_t flags = irq_save();
	bool done;

	for (;;) {
		done = flag ? *flag : ns->cnt.icmp_echo_requests >= requests;
		if (done || clock_now_ns() >= end)
			break;
		irq_wait();
	}
	irq_restore(flags);
	return done;
}

void app_main(void)
{
	printf("TEST net_malformed START\n");
	struct net_if *nif = net_get(0);
	CHECK(nif != NULL);
	if (!nif || !find_lan()) {
		printf("FAIL no LAN, or no victim on it\n");
		return;
	}
	struct netstack *ns = net_stack(nif);
	netpeer_mac(lguest_data.guestid, our_mac);
	CHECK(memcmp(our_mac, ns->cfg.mac, 6) == 0);
	CHECK_EQ(ns->cfg.ip, OUR_IP);
	uint32_t flags = irq_save();
	icmp_set_echo_handler(ns, echo_reply, NULL);
	irq_restore(flags);

	inject_all();
	/* The victim is still there: it answers a proper echo request. */
	uint16_t n = echo_request(VICTIM_IP, 2, 32);
	CHECK_EQ(inject(n), n);
	CHECK(wait_for(&echo_answered, ns, 0, WAIT_MS));
	printf("inject: done; the victim answered the echo request\n");
	fflush(stdout);

	/* Now the victim looks at its counters and pings us twice. */
	CHECK(wait_for(NULL, ns, 2, 30000));
	printf("inject: the victim pinged us\n");
	test_finish("net_malformed");
}
