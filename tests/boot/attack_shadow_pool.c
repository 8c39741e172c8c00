/*
 * tests/boot/attack_shadow_pool.c: is a guest's quota of shadow pages
 * really its own? host/core/shadow.c bounds each guest's shadow pages by
 * a quota, but the pages come from the host's common pool on demand, and
 * nothing at launch makes sure the pool can give every guest its quota.
 * When the guests' memory nearly fills the machine (what tools/lguest
 * gives QEMU when the guests ask for more than it can have: 3583 MiB,
 * and the host launches what fits), the quotas add up to more than is
 * left, and whoever fills the pool first has another guest killed
 * ("host out of memory for shadow page tables") although that guest is
 * within its quota.
 *
 * The host now keeps every guest's quota at launch: the hog, launched
 * second, is refused because the pool could not give both their quotas
 * (host/core/guests.c H:065); the victim, told so with alone=1, runs its
 * 2100 tables on its own. Run as first written (both guests, no alone=)
 * it shows the hole on a host without the check.
 *
 * Two guests on one --sharenet LAN:
 *   role=victim (guest 0, 2047 MiB: quota 2308 pages) waits until the
 *     hog is done, then maps a page in 700 regions of each of 3 user
 *     spaces and reads them all: 2100 shadow page tables, within its
 *     quota (and beyond it the host would recycle, never kill).
 *   role=hog (guest 1, 1520 MiB: quota 1780 pages) does the same first
 *     with 580 regions a space: about 1750 pages, just under its quota,
 *     so that it keeps them all; then waits for the victim to finish or
 *     die. The pool left after the two guests' memory is about 3430
 *     pages: 1750 + 2100 do not fit.
 */
#include <string.h>

#include "lan_test.h"
#include "user_test.h"

#define SPACES 3
#define REGION_VA(i) (0x00400000u * ((i) + 1))	/* 4 MiB .. 2.8 GiB */

static struct uvm spaces[SPACES];
static unsigned regions;

static unsigned fill(void)
{
	unsigned bad = 0;

	for (unsigned s = 0; s < SPACES; s++) {
		if (uvm_create(&spaces[s]) != 0)
			panic("out of memory");
		void *page = uvm_map_new(&spaces[s], REGION_VA(0), X86_PTE_RW);
		*(volatile uint32_t *)page = 0x5A5A0000u | s;
		gpa_t frame = virt_to_gpa(page);
		for (unsigned i = 1; i < regions; i++)
			uvm_map(&spaces[s], REGION_VA(i), frame, X86_PTE_RW);
	}
	for (unsigned s = 0; s < SPACES; s++) {
		uvm_switch(&spaces[s]);
		for (unsigned i = 0; i < regions; i++)
			bad += *(volatile uint32_t *)REGION_VA(i) !=
			       (0x5A5A0000u | s);
	}
	uvm_switch(NULL);
	return bad;
}

void app_main(void)
{
	bool hog = strstr(bootparams_cmdline(), "role=hog") != NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST attack_shadow_pool %s START\n", hog ? "hog" : "victim");
	/* The hog stays just under its quota (1780), so that it keeps
	 * every page it took; the victim asks for 2100, under its 2308. */
	regions = hog ? 580 : 700;
	if (lan_find() < 0) {
		printf("FAIL no --sharenet device\n");
		return;
	}
	if (hog) {
		CHECK_EQ(fill(), 0);
		printf("hog: %u regions in %u spaces mapped and read\n",
		       regions, SPACES);
		lan_set_phase(1);
		/* Until the victim is done, or gone (its slot cleared). */
		uint32_t flags = irq_save();
		while (*lan_phase() != 2 && lan[0] != 0)
			irq_wait();
		irq_restore(flags);
		printf("hog: the victim is %s\n",
		       *lan_phase() == 2 ? "done" : "gone");
	} else {
		lan[0] = 0x02;	/* our slot's MAC: the hog sees us leave */
		if (!strstr(bootparams_cmdline(), "alone=1"))
			lan_wait_phase(1);
		CHECK_EQ(fill(), 0);
		printf("victim: %u regions in %u spaces mapped and read\n",
		       regions, SPACES);
		lan_set_phase(2);
	}
	test_finish(hog ? "attack_shadow_pool hog" : "attack_shadow_pool victim");
}
