/*
 * tests/boot/lan_wake.c: a guest-to-guest send that wakes a halted guest
 * hands it the CPU at once (host/core/run.c H:145): the receiver has
 * run, and answered, before the sender's SEND_DMA returns. Two copies
 * share one LAN:
 *   - role=rx binds one receive buffer and halts; its IRQ handler takes
 *     the frame and re-arms the buffer (as drivers/net.c does, before
 *     anything else), answers with a frame of its own to tx's key and
 *     returns, and it halts again;
 *   - role=tx binds one buffer for the answers, then, with interrupts
 *     off and without ever halting, sends ROUNDS frames, each with a
 *     fresh number, and looks at its answer buffer as soon as each
 *     SEND_DMA returns: the answer to that very frame must be there.
 * A host that ran the receiver only when the sender halted or its slice
 * ended (as before H:145) fails every round: the sender never halts, so
 * the answer buffer is still empty when each send returns. Nothing here
 * is timed: with two guests, the receiver's turn always ends (it halts)
 * before the sender runs again. With the word `crowd` (lan_wake_crowd:
 * a third guest wants the CPU all along) neither copy checks what came
 * when, which the slices decide then; the test checks the host's count
 * of hand-offs, none of which it may make.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../kernel/app.h"
#include "boot_check.h"
#include "lan_test.h"

#define TX_KEY_OFFSET 2400	/* slot 600's key: tx's answer buffer */
#define RX_KEY_OFFSET 2408	/* slot 602's key: rx's buffer */
#define TEST_IRQ 20
#define ROUNDS 20
#define PHASE_RX_READY 1
#define PHASE_TX_DONE 2

static struct lguest_dma rx_dma __attribute__((aligned(128)));
static struct lguest_dma tx_dma __attribute__((aligned(128)));
static uint32_t rx_word __attribute__((aligned(16)));	/* what came in */
static uint32_t tx_word __attribute__((aligned(16)));	/* what goes out */
static volatile unsigned answered;

static void arm(struct lguest_dma *d, uint32_t *word)
{
	memset(d, 0, sizeof(*d));
	d->addr[0] = gpa_val(virt_to_gpa(word));
	d->len[0] = sizeof(*word);
	x86_barrier();
	d->used_len = 0;
}

static uint32_t bind(struct lguest_dma *d, uint32_t key_offset)
{
	return hcall(LHCALL_BIND_DMA, lan_gpa + key_offset,
		     gpa_val(virt_to_gpa(d)),
		     (1u << LHCALL_BIND_DMA_COUNT_SHIFT) | TEST_IRQ);
}

/* Send tx_word to the key at key_offset; returns used_len. */
static uint32_t send(uint32_t key_offset)
{
	static struct lguest_dma out __attribute__((aligned(128)));

	memset(&out, 0, sizeof(out));
	out.addr[0] = gpa_val(virt_to_gpa(&tx_word));
	out.len[0] = sizeof(tx_word);
	hcall(LHCALL_SEND_DMA, lan_gpa + key_offset,
	      gpa_val(virt_to_gpa(&out)), 0);
	return out.used_len;
}

/* rx: re-arm, then answer a frame with its number plus one. */
static void rx_irq(unsigned irq)
{
	(void)irq;
	if (rx_dma.used_len == 0)
		return;
	uint32_t got = rx_word;
	arm(&rx_dma, &rx_word);
	tx_word = got + 1;
	answered++;
	send(TX_KEY_OFFSET);
}

/* tx: the answers are looked at where they land; the IRQ says nothing
 * more. */
static void tx_irq(unsigned irq)
{
	(void)irq;
}

static void run_rx(void)
{
	arm(&rx_dma, &rx_word);
	CHECK_EQ(bind(&rx_dma, RX_KEY_OFFSET), 1);
	CHECK_EQ(irq_register(TEST_IRQ, rx_irq), 0);
	lan_set_phase(PHASE_RX_READY);
	lan_wait_phase(PHASE_TX_DONE);
	if (!strstr(bootparams_cmdline(), "crowd"))
		CHECK_EQ(answered, ROUNDS);
	printf("rx: answered %u frames\n", answered);
}

static void run_tx(void)
{
	unsigned at_once = 0, sent = 0;

	lan_wait_phase(PHASE_RX_READY);
	arm(&tx_dma, &rx_word);
	CHECK_EQ(bind(&tx_dma, TX_KEY_OFFSET), 1);
	CHECK_EQ(irq_register(TEST_IRQ, tx_irq), 0);
	uint32_t flags = irq_save();	/* no halt, no handler from here */
	for (uint32_t i = 1; i <= ROUNDS; i++) {
		arm(&tx_dma, &rx_word);
		tx_word = 1000 * i;
		sent += send(RX_KEY_OFFSET) == sizeof(tx_word);
		if (tx_dma.used_len == sizeof(rx_word) &&
		    rx_word == 1000 * i + 1)
			at_once++;
	}
	irq_restore(flags);
	/* Beside a guest that wants the CPU (lan_wake_crowd) the host makes
	 * no hand-off, and what arrives when depends on the slices: only the
	 * host's counts are checked then. */
	if (!strstr(bootparams_cmdline(), "crowd")) {
		CHECK_EQ(sent, ROUNDS);
		CHECK_EQ(at_once, ROUNDS);
	}
	printf("tx: %u of %u answers there when SEND_DMA returned\n",
	       at_once, ROUNDS);
	lan_set_phase(PHASE_TX_DONE);
}

void app_main(void)
{
	const char *cmdline = bootparams_cmdline();

	printf("TEST lan_wake START\n");
	CHECK(lan_find() >= 0);
	if (!lan)
		goto out;
	if (strstr(cmdline, "role=rx"))
		run_rx();
	else if (strstr(cmdline, "role=tx"))
		run_tx();
	else
		CHECK(!"role=rx or role=tx");
out:
	test_finish("lan_wake");
}
