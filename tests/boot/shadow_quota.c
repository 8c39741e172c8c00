/*
 * tests/boot/shadow_quota.c: a guest that wants more shadow page tables
 * than its quota (host/core/shadow.c: 276 pages for 16 MiB of RAM).
 *
 * One user address space maps a page in each of 400 different 4 MiB
 * regions, each page holding its own marker; reading them all at ring 1
 * makes the host build a shadow page table per region, 400 in all, so it
 * must reach the guest's quota, empty its shadows and build them again
 * on demand. Every read must still see its own page's marker, twice over,
 * and the guest must not be killed for it (docs/security.md: a guest
 * cannot take the host pages another needs).
 */
#include "user_test.h"
#include "boot_check.h"

#define REGIONS 400
#define REGION_VA(i) (0x00400000u * ((i) + 1))	/* 4 MiB .. 1.6 GiB */
#define MARKER(i) (0x5A5A0000u | (i))

static struct uvm space;

void app_main(void)
{
	unsigned bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST shadow_quota START\n");
	if (uvm_create(&space) != 0)
		panic("out of memory");
	for (unsigned i = 0; i < REGIONS; i++) {
		volatile uint32_t *p = uvm_map_new(&space, REGION_VA(i),
						   X86_PTE_RW);
		*p = MARKER(i);
	}
	uvm_switch(&space);
	for (unsigned pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < REGIONS; i++)
			bad += *(volatile uint32_t *)REGION_VA(i) != MARKER(i);
	CHECK_EQ(bad, 0);
	if (bad == 0)
		printf("%u pages in %u regions read twice at ring 1, every "
		       "marker right\n", REGIONS, REGIONS);
	uvm_switch(NULL);
	test_finish("shadow_quota");
}
