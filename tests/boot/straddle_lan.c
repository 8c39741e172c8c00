/*
 * tests/boot/straddle_lan.c: guest-to-guest DMA whose section straddles
 * the --sharenet page (issue 11, hole 1). Between guests the §6.2 rules
 * hold (docs/abi.md): no section may cross a page, and a bad list kills
 * its owner; a send that moves nothing from a non-empty source is a
 * failure: the sender's used_len becomes 0, and the receiver gets no
 * write and no IRQ (§6.4 b). The host's new piece-by-piece copy must not
 * relax that. Three copies of this guest share one LAN, each with the LAN
 * as its first device, so its page follows the descriptor page:
 *   - role=victim binds a receive buffer whose one section runs from the
 *     descriptor page into the LAN page;
 *   - role=rx binds an ordinary receive buffer at another key;
 *   - role=tx sends an ordinary frame to the victim's key: the victim is
 *     killed, and tx's used_len is 0; then tx sends a section that
 *     straddles its own descriptor page and LAN page to rx's key, and is
 *     killed itself;
 *   - rx, alone, finds its buffer untouched and no IRQ, and powers off.
 * The guests take turns through lan_test.h's phase word and see each
 * other leave by their slots' MACs being cleared (docs/abi.md §14.1).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../kernel/app.h"
#include "boot_check.h"
#include "lan_test.h"

#define VICTIM_KEY_OFFSET 2400	/* slot 600's key */
#define RX_KEY_OFFSET 2408	/* slot 602's key */
#define TEST_IRQ 20
#define HALF 16			/* the straddling section: 16 + 16 bytes */

static struct lguest_dma dma __attribute__((aligned(128)));
static uint8_t buf[200] __attribute__((aligned(256)));
static volatile unsigned test_irqs;

static void test_irq(unsigned irq)
{
	(void)irq;
	test_irqs++;
}

/* Sleep until slot s of the LAN is unused: its guest has gone. */
static void wait_slot_free(unsigned s)
{
	uint32_t flags = irq_save();

	while (lan[s * LGUEST_NET_SIZEOF] != 0)
		irq_wait();
	irq_restore(flags);
}

static uint32_t bind(uint32_t key_offset)
{
	x86_barrier();
	dma.used_len = 0;
	return hcall(LHCALL_BIND_DMA, lan_gpa + key_offset,
		     gpa_val(virt_to_gpa(&dma)),
		     (1u << LHCALL_BIND_DMA_COUNT_SHIFT) | TEST_IRQ);
}

static uint32_t send(uint32_t key_offset)
{
	dma.used_len = 0x1234;	/* a failure must write 0 */
	hcall(LHCALL_SEND_DMA, lan_gpa + key_offset,
	      gpa_val(virt_to_gpa(&dma)), 0);
	return dma.used_len;
}

static void run_victim(void)
{
	memset(&dma, 0, sizeof(dma));
	dma.addr[0] = lan_gpa - HALF;
	dma.len[0] = 2 * HALF;
	CHECK_EQ(bind(VICTIM_KEY_OFFSET), 1);
	printf("victim: bound one section of %u bytes at 0x%lx, across the "
	       "LAN page's start\n", 2 * HALF, (unsigned long)(lan_gpa - HALF));
	fflush(stdout);
	lan_set_phase(1);
	for (;;) {		/* killed at the sender's send */
		uint32_t flags = irq_save();
		irq_wait();
		irq_restore(flags);
	}
}

static void run_rx(void)
{
	lan_wait_phase(1);
	memset(buf, 0xEE, sizeof(buf));
	memset(&dma, 0, sizeof(dma));
	dma.addr[0] = gpa_val(virt_to_gpa(buf));
	dma.len[0] = sizeof(buf);
	CHECK_EQ(bind(RX_KEY_OFFSET), 1);
	lan_set_phase(2);
	wait_slot_free(1);	/* tx (slot 1) is gone */
	CHECK_EQ(dma.used_len, 0);
	CHECK_EQ(test_irqs, 0);
	for (unsigned i = 0; i < sizeof(buf); i++)
		if (buf[i] != 0xEE) {
			CHECK_EQ(buf[i], 0xEE);
			break;
		}
	printf("rx: sender gone; nothing written, no IRQ, still running\n");
}

static void run_tx(void)
{
	lan_wait_phase(2);
	memset(buf, 0xA5, sizeof(buf));
	memset(&dma, 0, sizeof(dma));
	dma.addr[0] = gpa_val(virt_to_gpa(buf));
	dma.len[0] = 100;
	CHECK_EQ(send(VICTIM_KEY_OFFSET), 0);
	printf("tx: send to a straddling receive buffer: used_len 0\n");
	wait_slot_free(0);	/* the victim (slot 0) is gone */
	printf("tx: the receiver is gone; sending one section across the "
	       "LAN page's start\n");
	fflush(stdout);
	memset(&dma, 0, sizeof(dma));
	dma.addr[0] = lan_gpa - HALF;
	dma.len[0] = 2 * HALF;
	uint32_t used = send(RX_KEY_OFFSET);
	printf("tx: still running after the straddling send, used_len %lu\n",
	       (unsigned long)used);
}

void app_main(void)
{
	const char *cmdline = bootparams_cmdline();

	printf("TEST straddle_lan START\n");
	CHECK(lan_find() >= 0);
	CHECK_EQ(lan_gpa, bootparams_mem_bytes() + 4096);
	if (!lan || lan_gpa != bootparams_mem_bytes() + 4096)
		goto out;
	CHECK_EQ(irq_register(TEST_IRQ, test_irq), 0);
	if (strstr(cmdline, "role=victim"))
		run_victim();
	else if (strstr(cmdline, "role=rx"))
		run_rx();
	else if (strstr(cmdline, "role=tx"))
		run_tx();
	else
		CHECK(!"role=victim, role=rx or role=tx");
out:
	test_finish("straddle_lan");
}
