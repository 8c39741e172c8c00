/*
 * tests/boot/attack_stale_mem.c: security test of the host's lazy zeroing
 * of guest memory (host/rules/gmem.c, struct gmem's `scrubbed`). A launch
 * no longer zeroes the guest's memory; gmem must zero each page before any
 * byte of it reaches the guest or another guest through a device. This
 * guest looks for what an earlier owner of its host memory left there.
 *
 * role=check, started with --respawn=1 --sharenet=stale:
 *   - its first launch (no relaunch=N) takes every free page and fills it
 *     with a pattern, then powers off, so that the host memory it gives
 *     back is dirty;
 *   - its relaunch (relaunch=1: the same slot, and the host takes the
 *     highest free run that fits, so the same host memory) first sends
 *     SEND_PAGES free pages it never touched, one frame each, to the
 *     role=sink guest over the LAN (the host's walk of the sender's
 *     buffer must zero them first), and then reads every free page of its
 *     RAM through its linear map (shadow page tables: gmem_frame) and
 *     checks that each is zero.
 * role=sink: receives each frame into a page it filled with 0xEE, checks
 * the page is all zero, and counts; it answers through the LAN page's
 * phase word so that the sender waits for each check.
 * A page the host did not zero holds the pattern; the counts printed make
 * sure a scan that read nothing cannot pass.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../kernel/app.h"
#include "../../kernel/palloc.h"
#include "boot_check.h"
#include "lan_test.h"

#define FILL_WORD 0x5A1E0000u	/* | the low bits of the page number */
#define SEND_PAGES 32
#define KEY_OFFSET 2408
#define TEST_IRQ 20
#define PHASE_SINK_READY 1
#define PHASE_GOT 100		/* + frames checked by the sink */

/* Every word of the page at p is zero? If not, say where and what. */
static bool page_zero(const void *p, const char *how)
{
	const volatile uint32_t *w = p;

	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		if (w[i]) {
			printf("FAIL %s: gpa 0x%lx word %u is 0x%08lx, not 0\n",
			       how, (unsigned long)gpa_val(virt_to_gpa(p)), i,
			       (unsigned long)w[i]);
			fflush(stdout);
			test_failures++;
			return false;
		}
	return true;
}

/* ------------------------------------------------------------- sink */

static struct lguest_dma rx_dma __attribute__((aligned(128)));
static uint8_t *rx_page;
static volatile unsigned got, got_zero;

static void arm(void)
{
	memset(rx_page, 0xEE, PAGE_SIZE);
	memset(&rx_dma, 0, sizeof(rx_dma));
	rx_dma.addr[0] = gpa_val(virt_to_gpa(rx_page));
	rx_dma.len[0] = PAGE_SIZE;
	x86_barrier();
	rx_dma.used_len = 0;
}

static void sink_irq(unsigned irq)
{
	(void)irq;
	if (rx_dma.used_len == 0)
		return;
	CHECK_EQ(rx_dma.used_len, PAGE_SIZE);
	got_zero += page_zero(rx_page, "frame");
	got++;
	arm();
	lan_set_phase(PHASE_GOT + got);
}

static void run_sink(void)
{
	rx_page = palloc_pages(1);
	CHECK(rx_page != NULL);
	if (!rx_page)
		return;
	arm();
	CHECK_EQ(irq_register(TEST_IRQ, sink_irq), 0);
	CHECK_EQ(hcall(LHCALL_BIND_DMA, lan_gpa + KEY_OFFSET,
		       gpa_val(virt_to_gpa(&rx_dma)),
		       (1u << LHCALL_BIND_DMA_COUNT_SHIFT) | TEST_IRQ), 1);
	lan_set_phase(PHASE_SINK_READY);
	lan_wait_phase(PHASE_GOT + SEND_PAGES);
	printf("sink: %u frames of untouched pages, %u all zero\n", got,
	       got_zero);
	CHECK_EQ(got_zero, SEND_PAGES);
}

/* ------------------------------------------------------------ check */

/* Fill every free page with the pattern and power off. */
static void fill(void)
{
	unsigned n = 0;
	uint32_t *p;

	while ((p = palloc_pages(1))) {
		uint32_t pfn = gpa_val(virt_to_gpa(p)) / PAGE_SIZE;
		for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
			p[i] = FILL_WORD | (pfn & 0xFFFF);
		n++;
	}
	printf("check: filled %u pages\n", n);
	fflush(stdout);
	poweroff();
}

/* Send pages never touched to the sink, one a frame. */
static void send_untouched(void)
{
	static struct lguest_dma out __attribute__((aligned(128)));
	uint8_t *src = palloc_pages(SEND_PAGES);
	unsigned sent = 0;

	CHECK(src != NULL);
	if (!src)
		return;
	lan_wait_phase(PHASE_SINK_READY);
	for (unsigned i = 0; i < SEND_PAGES; i++) {
		memset(&out, 0, sizeof(out));
		out.addr[0] = gpa_val(virt_to_gpa(src + i * PAGE_SIZE));
		out.len[0] = PAGE_SIZE;
		hcall(LHCALL_SEND_DMA, lan_gpa + KEY_OFFSET,
		      gpa_val(virt_to_gpa(&out)), 0);
		sent += out.used_len == PAGE_SIZE;
		lan_wait_phase(PHASE_GOT + i + 1);
	}
	CHECK_EQ(sent, SEND_PAGES);
	printf("check: sent %u untouched pages\n", sent);
	for (unsigned i = 0; i < SEND_PAGES; i++)
		page_zero(src + i * PAGE_SIZE, "sent page");
}

/* Every other free page, read through the linear map. The launcher's
 * page tables at the top of RAM (freed by kernel/vm.c once it has its
 * own) hold the loader's entries: those are cleared here (they are ours
 * now), and the rest of each page must be zero, as the host wrote only
 * those few words of the directory and of a last, partly used page of
 * PTEs (17 MiB of RAM: 256 of its 1024). */
static void check_ram(void)
{
	unsigned n = 0, bad = 0, free_pages = palloc_free_count();
	uint32_t mem = bootparams_mem_bytes();
	uint32_t ram_pages = mem / PAGE_SIZE;
	uint32_t pte_pages = (ram_pages + 1023) / 1024;
	uint32_t tables = mem - (1 + pte_pages) * PAGE_SIZE;
	uint32_t *p;

	while ((p = palloc_pages(1))) {
		uint32_t at = gpa_val(virt_to_gpa(p));
		n++;
		if (at < tables) {
			bad += !page_zero(p, "ram");
			continue;
		}
		if (at == mem - PAGE_SIZE) {		/* the directory */
			for (unsigned i = PAGE_OFFSET >> 22;
			     i < (PAGE_OFFSET >> 22) + pte_pages; i++)
				p[i] = 0;
		} else {				/* PTEs */
			uint32_t first = (at - tables) / PAGE_SIZE * 1024;
			for (unsigned i = 0; i < 1024 && first + i < ram_pages;
			     i++)
				p[i] = 0;
		}
		bad += !page_zero(p, "launcher page table");
	}
	printf("check: %u free pages read, %u not zero\n", n, bad);
	/* A 17 MiB guest has some 2200 pages free at this point. */
	CHECK(n == free_pages && n >= 1500);
}

static void run_check(void)
{
	if (cmdline_number("relaunch", 0) == 0)
		fill();
	send_untouched();
	check_ram();
}

void app_main(void)
{
	const char *cmdline = bootparams_cmdline();

	CHECK(lan_find() >= 0);
	if (lan && strstr(cmdline, "role=sink"))
		run_sink();
	else if (lan && strstr(cmdline, "role=check"))
		run_check();
	else
		CHECK(!"role=sink or role=check, and a LAN");
	test_finish("attack_stale_mem");
	poweroff();
}
