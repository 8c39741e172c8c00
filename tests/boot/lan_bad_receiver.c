/*
 * tests/boot/lan_bad_receiver.c: spec §6.2 and §6.4 b, the receiving end.
 * Two copies of this guest share a --sharenet page. "role=rx" binds one
 * receive buffer whose section crosses a page; "role=tx" sends to it. The
 * host checks the receiver's list first, finds it bad and kills the
 * receiver, not the sender, whose used_len is written 0 (a failed copy).
 * The sender then finds nobody bound at the key (a send does nothing and
 * leaves used_len alone) and powers off normally. The guests take turns
 * through the phase word in the page's last four bytes (682 * 6 = 4092).
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
#include "../../kernel/mm.h"
#include "../../kernel/vm.h"
#include "../../kernel/x86.h"
#include "lan_test.h"
#include "user_test.h"

#define KEY_OFFSET 2400 /* slot 600's key: no driver uses it */
#define TEST_IRQ 20

static struct lguest_dma rx __attribute__((aligned(128)));
static struct lguest_dma tx __attribute__((aligned(128)));
static uint8_t buf[2 * 4096] __attribute__((aligned(4096)));

static uint32_t send(uint32_t preset)
{
	memset(&tx, 0, sizeof(tx));
	memset(buf, 0x5A, 100);
	tx.addr[0] = gpa_val(virt_to_gpa(buf));
	tx.len[0] = 100;
	tx.used_len = preset;
	hcall(LHCALL_SEND_DMA, lan_gpa + KEY_OFFSET,
	      gpa_val(virt_to_gpa(&tx)), 0);
	return tx.used_len;
}

static void run_rx(void)
{
	memset(&rx, 0, sizeof(rx));
	rx.addr[0] = gpa_val(virt_to_gpa(buf + 4000));	/* to 4200: crosses */
	rx.len[0] = 200;
	x86_barrier();
	rx.used_len = 0;
	CHECK_EQ(hcall(LHCALL_BIND_DMA, lan_gpa + KEY_OFFSET,
		       gpa_val(virt_to_gpa(&rx)),
		       (1 << LHCALL_BIND_DMA_COUNT_SHIFT) | TEST_IRQ), 1);
	printf("rx: bound a buffer that crosses a page\n");
	fflush(stdout);
	lan_set_phase(1);
	lan_wait_phase(2);	/* never: the sender's send kills us first */
	printf("FAIL rx: still alive\n");
}

static void run_tx(void)
{
	lan_wait_phase(1);
	/* The receiver's list is bad: it dies, the copy fails, used_len 0. */
	CHECK_EQ(send(0x1234), 0);
	printf("tx: send to a bad receiver failed, and we live\n");
	/* Its binding went with it: nothing happens, used_len untouched. */
	CHECK_EQ(send(0x5678), 0x5678);
	printf("tx: nobody bound now\n");
	lan_set_phase(2);
}

void app_main(void)
{
	bool is_rx = strstr(bootparams_cmdline(), "role=rx") != NULL;

	printf("TEST lan_bad_receiver %s START\n", is_rx ? "rx" : "tx");
	if (lan_find() < 0) {
		printf("FAIL no --sharenet device\n");
		return;
	}
	if (is_rx)
		run_rx();
	else
		run_tx();
	test_finish(is_rx ? "lan_bad_receiver rx" : "lan_bad_receiver tx");
}
