/*
 * tests/boot/tunnet_bad_dma.c: bad DMA on a --tunnet device costs a frame,
 * not the guest (docs/host-design.md "Network (tunnet)"; the 2.6.23
 * Launcher exited). Sends of 13 and 1515 bytes and one with a section
 * above guest memory come back with used_len 0, each with a line on the
 * host's log; a receive buffer above guest memory, and one too small for
 * the frame, lose that frame. Between and after, pings still work.
 */
#include "tunnet_test.h"

#define OUTSIDE 0xFFFFF000u	/* far above any guest's memory */

static struct tn_dev dev;
static uint8_t frame[2 * LGUEST_NET_BUF_SIZE];
static uint8_t got[LGUEST_NET_BUF_SIZE];
static uint8_t small_buf[60];
static uint8_t gw_mac[6];
static struct lguest_dma other __attribute__((aligned(128)));

static bool is_arp_reply(const uint8_t *f, uint32_t len, const void *arg)
{
	(void)arg;
	return len >= 42 && tn_get16(f + 12) == TN_ETH_ARP &&
	       tn_get16(f + LGUEST_NET_HDR_LEN + 6) == 2 &&
	       memcmp(f + LGUEST_NET_HDR_LEN + 14, tn_gw_ip, 4) == 0;
}

static bool is_pong(const uint8_t *f, uint32_t len, const void *arg)
{
	return tn_is_pong(f, len, &dev, *(const uint16_t *)arg, 56);
}

static void ping_ok(uint16_t seq)
{
	uint16_t len = tn_ping(frame, &dev, gw_mac, seq, 56);

	CHECK_EQ(tn_send(&dev, frame, len), len);
	CHECK_EQ(tn_wait(&dev, got, 5000, is_pong, &seq), len);
	printf("ping seq %u: ok\n", seq);
}

/* Bind `other` (one buffer) in place of ours, ping, give the host time
 * to try the reply on it, and put ours back. */
static void ping_into_other(uint16_t seq)
{
	CHECK_EQ(tn_unbind(&dev), 1);
	CHECK_EQ(hcall(LHCALL_BIND_DMA, dev.key1,
		       gpa_val(virt_to_gpa(&other)),
		       1u << LHCALL_BIND_DMA_COUNT_SHIFT | dev.irq), 1);
	uint16_t len = tn_ping(frame, &dev, gw_mac, seq, 56);
	CHECK_EQ(tn_send(&dev, frame, len), len);
	uint64_t end = clock_now_ns() + 500000000u;
	while (clock_now_ns() < end) {
		uint32_t flags = irq_save();
		irq_wait();
		irq_restore(flags);
	}
	CHECK_EQ(other.used_len, 0);	/* handed back unfilled */
	CHECK_EQ(hcall(LHCALL_BIND_DMA, dev.key1,
		       gpa_val(virt_to_gpa(&other)), 0), 1);
	CHECK_EQ(tn_bind(&dev, TN_BUFS, LGUEST_NET_BUF_SIZE), 1);
}

void app_main(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];

	printf("TEST tunnet_bad_dma START\n");
	CHECK(tn_find(&dev));
	if (!tn_find(&dev))
		goto out;
	CHECK_EQ(tn_bind(&dev, TN_BUFS, LGUEST_NET_BUF_SIZE), 1);
	uint16_t len = tn_arp(frame, bcast, 1, dev.mac, tn_my_ip, zero,
			      tn_gw_ip);
	CHECK_EQ(tn_send(&dev, frame, len), len);
	CHECK(tn_wait(&dev, got, 5000, is_arp_reply, NULL) >= 42);
	memcpy(gw_mac, got + LGUEST_NET_HDR_LEN + 8, 6);
	ping_ok(1);

	/* Sends the host refuses: too short, too long, outside memory. */
	len = tn_ping(frame, &dev, gw_mac, 2, 56);
	CHECK_EQ(tn_send(&dev, frame, 13), 0);
	memset(frame + len, 0, sizeof(frame) - len);
	CHECK_EQ(tn_send(&dev, frame, LGUEST_NET_BUF_SIZE + 1), 0);
	memset(&dev.tx, 0, sizeof(dev.tx));
	dev.tx.addr[0] = gpa_val(virt_to_gpa(frame));
	dev.tx.len[0] = LGUEST_NET_HDR_LEN;
	dev.tx.addr[1] = OUTSIDE;
	dev.tx.len[1] = 84;
	CHECK_EQ(tn_send_dma(&dev, dev.key0), 0);
	printf("bad sends: used_len 0, still running\n");
	ping_ok(3);

	/* Receive buffers the host cannot use. */
	memset(&other, 0, sizeof(other));
	other.addr[0] = OUTSIDE;
	other.len[0] = LGUEST_NET_BUF_SIZE;
	ping_into_other(4);
	printf("receive buffer outside memory: frame lost, still running\n");
	memset(&other, 0, sizeof(other));
	other.addr[0] = gpa_val(virt_to_gpa(small_buf));
	other.len[0] = sizeof(small_buf);
	ping_into_other(5);
	printf("receive buffer too small: frame lost, still running\n");
	ping_ok(6);
out:
	if (test_failures == 0)
		printf("TEST tunnet_bad_dma PASS\n");
	fflush(stdout);
}
