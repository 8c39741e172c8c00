/*
 * tests/boot/tunnet_test.h: what the --tunnet boot tests share. They test
 * the host's side of spec §8.3 ("Launcher variants") with frames built by
 * hand, so they need no network driver or IP stack of the guest's: find
 * the net device, bind receive buffers at slot 1's key (page + 4), send
 * to slot 0's key (page + 0), and look at what QEMU's user-mode network
 * (slirp: the gateway 10.0.2.2 answers ARP and ping) sends back.
 *
 * The buffers are bound with their own IRQ when the device's (index + 1)
 * is taken by a network driver, whose buffers then stop getting frames:
 * the host fills the newest binding (spec §6.5).
 */
#ifndef LGREF_TESTS_BOOT_TUNNET_TEST_H
#define LGREF_TESTS_BOOT_TUNNET_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/irq.h"
#include "../../kernel/x86.h"
#include "boot_check.h"

#define TN_SPARE_IRQ 20		/* when the device's own IRQ is taken */
#define TN_BUFS 8		/* NUM_SKBS */
#define TN_ETH_ARP 0x0806
#define TN_ETH_IP 0x0800

static const uint8_t tn_my_ip[4] = { 10, 0, 2, 15 };
static const uint8_t tn_gw_ip[4] = { 10, 0, 2, 2 };

/* The device under test and our receive buffers. */
struct tn_dev {
	unsigned index;		/* bus slot */
	uint16_t features;
	uint32_t key0;		/* page gpa: slot 0, the launcher */
	uint32_t key1;		/* page gpa + 4: slot 1, us */
	volatile uint8_t *page;	/* the device page, mapped */
	uint8_t nic_mac[6];	/* slot 0, promiscuous bit cleared */
	uint8_t mac[6];		/* ours: 02:00:id_lo:id_hi:00:00 */
	unsigned irq;		/* what our buffers are bound with */
	unsigned nbufs;
	struct lguest_dma rx[TN_BUFS] __attribute__((aligned(1024)));
	uint8_t data[TN_BUFS][LGUEST_NET_BUF_SIZE];
	struct lguest_dma tx __attribute__((aligned(128)));
};

static volatile unsigned tn_irqs;

static void tn_irq(unsigned irq)
{
	(void)irq;
	tn_irqs++;
}

static inline uint16_t tn_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void tn_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void tn_print_mac(const char *what, const uint8_t *m)
{
	printf("%s%02x:%02x:%02x:%02x:%02x:%02x\n", what, m[0], m[1], m[2],
	       m[3], m[4], m[5]);
}

/* The first network device on the bus; false if there is none. */
static inline bool tn_find(struct tn_dev *d)
{
	volatile struct lguest_device_desc *descs =
		vm_map_io(gpa(bootparams_mem_bytes()), 1);

	for (unsigned i = 0; i < LGUEST_MAX_DEVICES; i++) {
		if (descs[i].type != LGUEST_DEVICE_T_NET)
			continue;
		d->index = i;
		d->features = descs[i].features;
		d->key0 = descs[i].pfn * PAGE_SIZE;
		d->key1 = LGUEST_NET_SLOT_KEY(d->key0, NET_PEERNUM);
		d->page = vm_map_io(gpa(d->key0), 1);
		for (unsigned j = 0; j < 6; j++)
			d->nic_mac[j] = d->page[j];
		d->nic_mac[0] &= (uint8_t)~LGUEST_NET_PROMISC;
		uint16_t id = lguest_data.guestid;
		const uint8_t mac[6] = { LGUEST_NET_MAC0, 0, (uint8_t)id,
					 (uint8_t)(id >> 8), 0, 0 };
		memcpy(d->mac, mac, 6);
		return true;
	}
	return false;
}

/* Buffer i as its guest-physical sections: odd ones in two pieces, so
 * the host's scatter crosses a section boundary. */
static inline void tn_arm(struct tn_dev *d, unsigned i, uint16_t len)
{
	uint32_t base = gpa_val(virt_to_gpa(d->data[i]));

	memset(&d->rx[i], 0, sizeof(d->rx[i]));
	if (i % 2 && len > 100) {
		d->rx[i].addr[0] = base;
		d->rx[i].len[0] = 100;
		d->rx[i].addr[1] = base + 100;
		d->rx[i].len[1] = (uint16_t)(len - 100);
	} else {
		d->rx[i].addr[0] = base;
		d->rx[i].len[0] = len;
	}
	x86_barrier();
	d->rx[i].used_len = 0;	/* last: now the host may fill it */
}

/* Write our MAC into slot 1, arm n buffers of len bytes and bind them at
 * slot 1's key. Returns BIND_DMA's answer (1 = bound). */
static inline uint32_t tn_bind(struct tn_dev *d, unsigned n, uint16_t len)
{
	volatile uint8_t *slot1 =
		d->page + sizeof(struct lguest_net) * NET_PEERNUM;

	for (unsigned j = 0; j < 6; j++)
		slot1[j] = d->mac[j];
	if (!d->irq) {
		d->irq = LGUEST_DEVICE_IRQ(d->index);
		if (irq_register(d->irq, tn_irq)) {
			d->irq = TN_SPARE_IRQ;
			CHECK_EQ(irq_register(d->irq, tn_irq), 0);
		}
	}
	d->nbufs = n;
	for (unsigned i = 0; i < n; i++)
		tn_arm(d, i, len);
	return hcall(LHCALL_BIND_DMA, d->key1, gpa_val(virt_to_gpa(d->rx)),
		     n << LHCALL_BIND_DMA_COUNT_SHIFT | d->irq);
}

static inline uint32_t tn_unbind(struct tn_dev *d)
{
	return hcall(LHCALL_BIND_DMA, d->key1, gpa_val(virt_to_gpa(d->rx)), 0);
}

/* SEND_DMA of the DMA in d->tx to key (normally key0); its used_len. */
static inline uint32_t tn_send_dma(struct tn_dev *d, uint32_t key)
{
	d->tx.used_len = 0;
	hcall(LHCALL_SEND_DMA, key, gpa_val(virt_to_gpa(&d->tx)), 0);
	return d->tx.used_len;
}

/* Send len bytes at frame as two sections (the header, the rest). */
static inline uint32_t tn_send(struct tn_dev *d, const uint8_t *frame,
			       uint16_t len)
{
	memset(&d->tx, 0, sizeof(d->tx));
	d->tx.addr[0] = gpa_val(virt_to_gpa(frame));
	d->tx.len[0] = len < LGUEST_NET_HDR_LEN ? len : LGUEST_NET_HDR_LEN;
	if (len > LGUEST_NET_HDR_LEN) {
		d->tx.addr[1] = d->tx.addr[0] + LGUEST_NET_HDR_LEN;
		d->tx.len[1] = (uint16_t)(len - LGUEST_NET_HDR_LEN);
	}
	return tn_send_dma(d, d->key0);
}

static inline unsigned tn_eth(uint8_t *f, const uint8_t *dst,
			      const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	tn_put16(f + 12, type);
	return LGUEST_NET_HDR_LEN;
}

/* An ARP packet (op 1 request, 2 reply) after an Ethernet header. */
static inline uint16_t tn_arp(uint8_t *f, const uint8_t *eth_dst, uint16_t op,
			      const uint8_t *sha, const uint8_t *spa,
			      const uint8_t *tha, const uint8_t *tpa)
{
	uint8_t *a = f + tn_eth(f, eth_dst, sha, TN_ETH_ARP);

	tn_put16(a, 1);			/* Ethernet */
	tn_put16(a + 2, TN_ETH_IP);
	a[4] = 6;
	a[5] = 4;
	tn_put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	return LGUEST_NET_HDR_LEN + 28;
}

static inline uint16_t tn_csum(const uint8_t *p, unsigned len)
{
	uint32_t sum = 0;

	for (unsigned i = 0; i + 1 < len; i += 2)
		sum += tn_get16(p + i);
	if (len % 2)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An ICMP echo request from us to the gateway with `payload` bytes of
 * (seq + i) & 0xFF. Returns the frame length. */
static inline uint16_t tn_ping(uint8_t *f, const struct tn_dev *d,
			       const uint8_t *gw_mac, uint16_t seq,
			       uint16_t payload)
{
	uint8_t *ip = f + tn_eth(f, gw_mac, d->mac, TN_ETH_IP);
	uint8_t *icmp = ip + 20;
	uint16_t ip_len = (uint16_t)(20 + 8 + payload);

	memset(ip, 0, 28);
	ip[0] = 0x45;
	tn_put16(ip + 2, ip_len);
	tn_put16(ip + 4, seq);		/* identification */
	ip[8] = 64;			/* TTL */
	ip[9] = 1;			/* ICMP */
	memcpy(ip + 12, tn_my_ip, 4);
	memcpy(ip + 16, tn_gw_ip, 4);
	tn_put16(ip + 10, tn_csum(ip, 20));
	icmp[0] = 8;			/* echo request */
	tn_put16(icmp + 4, 0x4c47);	/* identifier "LG" */
	tn_put16(icmp + 6, seq);
	for (unsigned i = 0; i < payload; i++)
		icmp[8 + i] = (uint8_t)(seq + i);
	tn_put16(icmp + 2, tn_csum(icmp, 8u + payload));
	return (uint16_t)(LGUEST_NET_HDR_LEN + ip_len);
}

/* Is f (len bytes) the gateway's echo reply to tn_ping(seq, payload)? */
static inline bool tn_is_pong(const uint8_t *f, uint32_t len,
			      const struct tn_dev *d, uint16_t seq,
			      uint16_t payload)
{
	const uint8_t *ip = f + LGUEST_NET_HDR_LEN, *icmp = ip + 20;

	if (len < LGUEST_NET_HDR_LEN + 28u + payload ||
	    tn_get16(f + 12) != TN_ETH_IP || memcmp(f, d->mac, 6) ||
	    ip[0] != 0x45 || ip[9] != 1 || memcmp(ip + 12, tn_gw_ip, 4) ||
	    icmp[0] != 0 || tn_get16(icmp + 4) != 0x4c47 ||
	    tn_get16(icmp + 6) != seq)
		return false;
	for (unsigned i = 0; i < payload; i++)
		if (icmp[8 + i] != (uint8_t)(seq + i))
			return false;
	return tn_csum(ip, 20) == 0 && tn_csum(icmp, 8u + payload) == 0;
}

/* Copy out the first filled buffer (in index order) and re-arm it.
 * Returns its length, 0 if none is filled. An ARP request for our
 * address is answered on the way (slirp may ask before it replies). */
static inline uint32_t tn_take(struct tn_dev *d, uint8_t *out)
{
	for (unsigned i = 0; i < d->nbufs; i++) {
		uint32_t len = d->rx[i].used_len;
		if (len == 0)
			continue;
		CHECK(len >= LGUEST_NET_HDR_LEN && len <= LGUEST_NET_BUF_SIZE);
		if (len > LGUEST_NET_BUF_SIZE)
			len = LGUEST_NET_BUF_SIZE;
		memcpy(out, d->data[i], len);
		tn_arm(d, i, d->rx[i].len[0] + d->rx[i].len[1]);
		const uint8_t *a = out + LGUEST_NET_HDR_LEN;
		if (len >= 42 && tn_get16(out + 12) == TN_ETH_ARP &&
		    tn_get16(a + 6) == 1 && memcmp(a + 24, tn_my_ip, 4) == 0) {
			static uint8_t reply[64];
			uint16_t n = tn_arp(reply, a + 8, 2, d->mac, tn_my_ip,
					    a + 8, a + 14);
			tn_send(d, reply, n);
		}
		return len;
	}
	return 0;
}

/* A tn_wait() match: a UDP datagram to us, to the port *(uint16_t *)arg,
 * with a good IP header checksum and a length that fits the frame. */
static inline bool tn_is_udp_to(const uint8_t *f, uint32_t len,
				const void *arg)
{
	const uint8_t *ip = f + LGUEST_NET_HDR_LEN;
	uint16_t port = *(const uint16_t *)arg;

	return len >= LGUEST_NET_HDR_LEN + 28u &&
	       tn_get16(f + 12) == TN_ETH_IP && ip[0] == 0x45 &&
	       ip[9] == 17 && memcmp(ip + 16, tn_my_ip, 4) == 0 &&
	       tn_get16(ip + 20 + 2) == port && tn_csum(ip, 20) == 0 &&
	       LGUEST_NET_HDR_LEN + (uint32_t)tn_get16(ip + 2) <= len;
}

/* Into reply, from our mac: the datagram f back to its sender, addresses
 * and ports swapped, UDP checksum 0 (none, which IPv4 allows). Returns
 * the frame's length. */
static inline uint16_t tn_udp_echo(uint8_t *reply, const uint8_t *f,
				   const uint8_t *mac)
{
	const uint8_t *ip = f + LGUEST_NET_HDR_LEN, *udp = ip + 20;
	uint16_t ip_len = tn_get16(ip + 2);
	uint8_t *rip = reply + tn_eth(reply, f + 6, mac, TN_ETH_IP);
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

/* Wait up to ms milliseconds for a frame that `match` accepts, dropping
 * the others; it ends up in out. Returns its length, 0 on timeout. */
static inline uint32_t tn_wait(struct tn_dev *d, uint8_t *out, unsigned ms,
			       bool (*match)(const uint8_t *, uint32_t,
					     const void *),
			       const void *arg)
{
	uint64_t end = clock_now_ns() + (uint64_t)ms * 1000000u;

	while (clock_now_ns() < end) {
		uint32_t flags = irq_save();
		uint32_t len = tn_take(d, out);
		if (len == 0)
			irq_wait();
		irq_restore(flags);
		if (len && match(out, len, arg))
			return len;
	}
	return 0;
}

#endif
