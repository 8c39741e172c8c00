/*
 * tests/boot/lan_rules.c: the guest-to-guest SEND_DMA rules of spec §6.4 b,
 * seen from both ends. Two copies of this guest share one --sharenet page;
 * "role=rx" binds four receive buffers, "role=tx" sends to them:
 *   - a send lands in the first free buffer; both used_len are the length;
 *   - a longer send is cut to the buffer (min of the two totals);
 *   - a key nobody bound: nothing happens, used_len is not written;
 *   - all buffers full: used_len 0, yet the receiver's IRQ is raised;
 *   - the sender's own binding at the same key is never a target;
 *   - the cursor moves on by one from where it was, not past the buffer
 *     used, so it can lag;
 *   - at last the sender sends a section that crosses a page: it is
 *     killed, and the receiver (and the host) carry on.
 * The test keys are far from the slots the net driver uses (its slot keys
 * are page + 4 * slot for slots 0 and 1), so the driver cannot interfere.
 * The two guests take turns through a phase word in the page's last four
 * bytes, which no slot covers (682 * 6 = 4092).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lguest/launcher.h>
#include <lguest/lguest.h>

#include "../../kernel/bootparams.h"
#include "../../kernel/hcall.h"
#include "../../kernel/irq.h"
#include "../../kernel/lguest_data.h"
#include "../../kernel/mm.h"
#include "../../kernel/vm.h"
#include "../../kernel/x86.h"
#include "lan_test.h"
#include "user_test.h"

#define RX_KEY_OFFSET 2400	/* slot 600's key */
#define NOBODY_KEY_OFFSET 2404	/* slot 601's key: never bound */
#define TEST_IRQ 20
#define NBUF 4
#define BUF_BYTES 1000

static volatile unsigned test_irqs;

static struct lguest_dma rx[NBUF] __attribute__((aligned(128)));
static struct lguest_dma own __attribute__((aligned(128)));
static struct lguest_dma tx __attribute__((aligned(128)));
static uint8_t rxbuf[NBUF][BUF_BYTES] __attribute__((aligned(4096)));
static uint8_t txbuf[3 * 4096] __attribute__((aligned(4096)));
static uint8_t ownbuf[BUF_BYTES];

/* Take any interrupt that is pending: HALT delivers it at once (and with
 * none pending, returns at the next timer tick). */
static void take_pending_irqs(void)
{
	uint32_t flags = irq_save();

	irq_wait();
	irq_restore(flags);
}

static void test_irq(unsigned irq)
{
	(void)irq;
	test_irqs++;
}

static void arm(struct lguest_dma *d, void *buf, uint16_t len)
{
	memset(d, 0, sizeof(*d));
	d->addr[0] = gpa_val(virt_to_gpa(buf));
	d->len[0] = len;
	x86_barrier();
	d->used_len = 0;
}

/* Send `len` bytes of byte value `fill` from txbuf in sections of at most
 * 1000 bytes; returns the used_len the host left (preset to `preset`). */
static uint32_t send(uint32_t key_offset, unsigned len, uint8_t fill,
		     uint32_t preset)
{
	memset(&tx, 0, sizeof(tx));
	memset(txbuf, fill, len);
	for (unsigned i = 0, off = 0; off < len; i++, off += 1000) {
		tx.addr[i] = gpa_val(virt_to_gpa(txbuf + i * 4096));
		tx.len[i] = (uint16_t)(len - off < 1000 ? len - off : 1000);
		if (i)
			memset(txbuf + i * 4096, fill, tx.len[i]);
	}
	tx.used_len = preset;
	hcall(LHCALL_SEND_DMA, lan_gpa + key_offset,
	      gpa_val(virt_to_gpa(&tx)), 0);
	return tx.used_len;
}

static void run_rx(void)
{
	for (unsigned i = 0; i < NBUF; i++)
		arm(&rx[i], rxbuf[i], BUF_BYTES);
	CHECK_EQ(irq_register(TEST_IRQ, test_irq), 0);
	CHECK_EQ(hcall(LHCALL_BIND_DMA, lan_gpa + RX_KEY_OFFSET,
		       gpa_val(virt_to_gpa(rx)),
		       (NBUF << LHCALL_BIND_DMA_COUNT_SHIFT) | TEST_IRQ), 1);
	lan_set_phase(1);

	lan_wait_phase(2);
	CHECK_EQ(rx[0].used_len, 100);
	CHECK_EQ(rxbuf[0][0], 0xA1);
	CHECK_EQ(rxbuf[0][99], 0xA1);
	CHECK_EQ(rx[1].used_len, 1000);	/* cut from 3000 */
	CHECK_EQ(rxbuf[1][999], 0xB2);
	CHECK_EQ(rx[2].used_len, 10);
	CHECK_EQ(rx[3].used_len, 20);
	take_pending_irqs();
	CHECK(test_irqs >= 1);
	printf("rx: four buffers filled in order, IRQs seen\n");
	/* Free only buffer 2; the cursor is back at 0 after four sends. */
	arm(&rx[2], rxbuf[2], BUF_BYTES);
	lan_set_phase(3);

	lan_wait_phase(4);
	CHECK_EQ(rx[2].used_len, 30);	/* found by searching on from 0 */
	/* Now the cursor is 1 (0 + 1), not 3 (2 + 1). Free 0 and 2: a send
	 * searching from 1 finds 2; one searching from 3 would find 0. */
	arm(&rx[0], rxbuf[0], BUF_BYTES);
	arm(&rx[2], rxbuf[2], BUF_BYTES);
	lan_set_phase(5);

	lan_wait_phase(6);
	CHECK_EQ(rx[2].used_len, 40);
	CHECK_EQ(rx[0].used_len, 0);
	printf("rx: the cursor lags as in 2.6.23\n");
	lan_set_phase(7);

	/* The sender breaks the rules next and dies, which clears its slot;
	 * buffer 0 is free for its last send. */
	while (lan[6] != 0)
		take_pending_irqs();
	printf("rx: peer gone, still running\n");
}

static void run_tx(void)
{
	/* Our MAC in slot 1 (if the net driver has not put it there), so
	 * that the receiver can see us leave. */
	lan[6] = 0x02;
	lan_wait_phase(1);
	CHECK_EQ(send(RX_KEY_OFFSET, 100, 0xA1, 0), 100);
	CHECK_EQ(send(RX_KEY_OFFSET, 3000, 0xB2, 0), 1000);
	CHECK_EQ(send(NOBODY_KEY_OFFSET, 50, 0xC3, 0x1234), 0x1234);
	CHECK_EQ(send(RX_KEY_OFFSET, 10, 0xD4, 0), 10);
	CHECK_EQ(send(RX_KEY_OFFSET, 20, 0xE5, 0), 20);
	/* Full. Our own binding at the same key is no target either. */
	arm(&own, ownbuf, BUF_BYTES);
	CHECK_EQ(hcall(LHCALL_BIND_DMA, lan_gpa + RX_KEY_OFFSET,
		       gpa_val(virt_to_gpa(&own)),
		       (1 << LHCALL_BIND_DMA_COUNT_SHIFT) | TEST_IRQ), 1);
	CHECK_EQ(send(RX_KEY_OFFSET, 60, 0xF6, 0), 0);
	CHECK_EQ(own.used_len, 0);
	printf("tx: full buffers and our own binding: nothing sent\n");
	lan_set_phase(2);

	lan_wait_phase(3);
	CHECK_EQ(send(RX_KEY_OFFSET, 30, 0x11, 0), 30);
	lan_set_phase(4);
	lan_wait_phase(5);
	CHECK_EQ(send(RX_KEY_OFFSET, 40, 0x22, 0), 40);
	lan_set_phase(6);
	lan_wait_phase(7);

	printf("tx: sending a section that crosses a page\n");
	fflush(stdout);
	memset(&tx, 0, sizeof(tx));
	tx.addr[0] = gpa_val(virt_to_gpa(txbuf + 4000));
	tx.len[0] = 200;
	hcall(LHCALL_SEND_DMA, lan_gpa + RX_KEY_OFFSET,
	      gpa_val(virt_to_gpa(&tx)), 0);
	printf("FAIL tx: still alive after a page-crossing send\n");
}

void app_main(void)
{
	bool is_rx = strstr(bootparams_cmdline(), "role=rx") != NULL;
	bool is_tx = strstr(bootparams_cmdline(), "role=tx") != NULL;

	printf("TEST lan_rules %s START\n", is_rx ? "rx" : "tx");
	int dev = lan_find();
	if (dev >= 0) {
		printf("lan: device %d, slot %u\n", dev,
		       lan_features & LGUEST_NET_F_SLOT_MASK);
		CHECK(lan_features & LGUEST_NET_F_NOCSUM);
	}
	if (dev < 0 || (!is_rx && !is_tx)) {
		printf("FAIL no --sharenet device or no role=\n");
		return;
	}
	if (is_rx)
		run_rx();
	else
		run_tx();
	test_finish(is_rx ? "lan_rules rx" : "lan_rules tx");
}
