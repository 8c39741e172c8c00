/*
 * tests/boot/straddle_tunnet.c: --tunnet frames whose one DMA section
 * straddles a --sharenet page (issue 11, hole 1; docs/abi.md §6.2: the
 * Launcher's DMA may cross pages). Started with `--tunnet=10.0.2.2
 * --sharenet=A --sharenet=B`, so the tun device's page is followed by LAN
 * A's page and then LAN B's.
 *
 * Sending: an ICMP echo request to slirp's gateway is laid out across a
 * boundary (the Ethernet and IP headers and part of the payload before
 * it, the rest after) and sent as ONE section; the gateway's reply must
 * carry the same payload with good checksums, which it can only do if
 * the frame left intact. The old host refused such a send (used_len 0).
 * Receiving: our only receive buffer is one section across a boundary;
 * the gateway's reply to an ordinary ping must land in it intact, the
 * part after the boundary in the shared page.
 */
#include "straddle_test.h"
#include "tunnet_test.h"

#define WAIT_MS 20000	/* a bound for failure only: slirp answers at once */

static struct tn_dev dev;
static struct st_window win;
static uint8_t frame[LGUEST_NET_BUF_SIZE];
static uint8_t got[LGUEST_NET_BUF_SIZE];
static uint8_t gw_mac[6];
static struct lguest_dma straddle_rx __attribute__((aligned(128)));

static bool is_arp_reply(const uint8_t *f, uint32_t len, const void *arg)
{
	(void)arg;
	return len >= 42 && tn_get16(f + 12) == TN_ETH_ARP &&
	       tn_get16(f + LGUEST_NET_HDR_LEN + 6) == 2 &&
	       memcmp(f + LGUEST_NET_HDR_LEN + 14, tn_gw_ip, 4) == 0;
}

struct pong {
	uint16_t seq, payload;
};

static bool is_pong(const uint8_t *f, uint32_t len, const void *arg)
{
	const struct pong *p = arg;

	return tn_is_pong(f, len, &dev, p->seq, p->payload);
}

/* A ping of `payload` bytes sent from ONE section whose first `before`
 * bytes lie before `boundary`; the reply is awaited in our ordinary
 * buffers. */
static void send_across(const char *what, uint32_t boundary, uint16_t seq,
			uint16_t payload, int before)
{
	struct pong p = { seq, payload };
	uint16_t len = tn_ping(frame, &dev, gw_mac, seq, payload);

	st_open(&win, boundary, 1);
	st_put(&win, -before, frame, len);
	memset(&dev.tx, 0, sizeof(dev.tx));
	dev.tx.addr[0] = st_gpa(&win, -before);
	dev.tx.len[0] = len;
	CHECK_EQ(tn_send_dma(&dev, dev.key0), len);
	uint32_t n = tn_wait(&dev, got, WAIT_MS, is_pong, &p);
	CHECK_EQ(n, len);
	if (n == len)
		printf("%s: %u-byte frame, %d bytes before the boundary, sent "
		       "as one section: reply seq %u, payload and checksums "
		       "ok\n", what, len, before, seq);
	st_restore(&win);
	fflush(stdout);
}

/* Arm straddle_rx over [off, off + LGUEST_NET_BUF_SIZE) of the window. */
static void arm_straddle(int off)
{
	memset(&straddle_rx, 0, sizeof(straddle_rx));
	straddle_rx.addr[0] = st_gpa(&win, off);
	straddle_rx.len[0] = LGUEST_NET_BUF_SIZE;
	x86_barrier();
	straddle_rx.used_len = 0;
}

/* Our only receive buffer is one section with `before` bytes before
 * `boundary`; an ordinary ping's reply must arrive in it intact. */
static void receive_across(const char *what, uint32_t boundary, uint16_t seq,
			   uint16_t payload, int before)
{
	struct pong p = { seq, payload };
	uint16_t len = tn_ping(frame, &dev, gw_mac, seq, payload);
	uint64_t end;
	bool ok = false;

	st_open(&win, boundary, 1);
	uint8_t lo = *st_at(&win, -before - 1);
	uint8_t hi = *st_at(&win, -before + LGUEST_NET_BUF_SIZE);
	CHECK_EQ(tn_unbind(&dev), 1);
	arm_straddle(-before);
	CHECK_EQ(hcall(LHCALL_BIND_DMA, dev.key1,
		       gpa_val(virt_to_gpa(&straddle_rx)),
		       1u << LHCALL_BIND_DMA_COUNT_SHIFT | dev.irq), 1);
	CHECK_EQ(tn_send(&dev, frame, len), len);
	end = clock_now_ns() + (uint64_t)WAIT_MS * 1000000u;
	while (!ok && clock_now_ns() < end) {
		uint32_t flags = irq_save();
		uint32_t n = straddle_rx.used_len;
		if (n == 0)
			irq_wait();
		irq_restore(flags);
		if (n == 0)
			continue;
		CHECK(n <= LGUEST_NET_BUF_SIZE);
		if (n > LGUEST_NET_BUF_SIZE)
			break;
		st_get(&win, -before, got, n);
		arm_straddle(-before);
		const uint8_t *a = got + LGUEST_NET_HDR_LEN;
		if (n >= 42 && tn_get16(got + 12) == TN_ETH_ARP &&
		    tn_get16(a + 6) == 1 && memcmp(a + 24, tn_my_ip, 4) == 0) {
			/* slirp asks for us before it answers */
			static uint8_t reply[64];
			uint16_t rn = tn_arp(reply, a + 8, 2, dev.mac, tn_my_ip,
					     a + 8, a + 14);
			tn_send(&dev, reply, rn);
			continue;
		}
		ok = is_pong(got, n, &p) && n == len;
	}
	CHECK(ok);
	if (ok)
		printf("%s: %u-byte reply into one section, %d bytes before "
		       "the boundary: payload and checksums ok\n", what, len,
		       before);
	CHECK_EQ(hcall(LHCALL_BIND_DMA, dev.key1,
		       gpa_val(virt_to_gpa(&straddle_rx)), 0), 1);
	CHECK_EQ(*st_at(&win, -before - 1), lo);
	CHECK_EQ(*st_at(&win, -before + LGUEST_NET_BUF_SIZE), hi);
	st_restore(&win);
	CHECK_EQ(tn_bind(&dev, TN_BUFS, LGUEST_NET_BUF_SIZE), 1);
	fflush(stdout);
}

void app_main(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint32_t mem = bootparams_mem_bytes();
	uint32_t lan_a = st_sharenet_page(0), lan_b = st_sharenet_page(1);

	printf("TEST straddle_tunnet START\n");
	CHECK(tn_find(&dev));
	CHECK_EQ(dev.key0, mem + 4096);
	CHECK_EQ(lan_a, mem + 8192);
	CHECK_EQ(lan_b, mem + 12288);
	if (dev.key0 != mem + 4096 || lan_a != mem + 8192 ||
	    lan_b != mem + 12288)
		goto out;
	CHECK_EQ(tn_bind(&dev, TN_BUFS, LGUEST_NET_BUF_SIZE), 1);
	uint16_t len = tn_arp(frame, bcast, 1, dev.mac, tn_my_ip, zero,
			      tn_gw_ip);
	CHECK_EQ(tn_send(&dev, frame, len), len);
	CHECK(tn_wait(&dev, got, WAIT_MS, is_arp_reply, NULL) >= 42);
	memcpy(gw_mac, got + LGUEST_NET_HDR_LEN + 8, 6);

	/* 14 + 20 + 8 header bytes and 58 of payload before the boundary. */
	send_across("send, tun page into LAN A", lan_a, 1, 1000, 100);
	send_across("send, LAN A into LAN B", lan_b, 2, 1472, 1000);
	receive_across("receive, tun page into LAN A", lan_a, 3, 1000, 77);
	receive_across("receive, LAN A into LAN B", lan_b, 4, 1472, 1400);
out:
	test_finish("straddle_tunnet");
}
