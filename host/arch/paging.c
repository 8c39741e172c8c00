/*
 * host/arch/paging.c: the host's page directory. Every physical address below
 * 0xFFC00000 is mapped to itself with a 4 MiB page, so host code can use a
 * physical address as a pointer; the top 4 MiB is the Switcher region.
 * CR0.WP is set so read-only pages bind ring 0 and ring 1 alike (the guest
 * kernel runs at ring 1, which paging counts as supervisor), and PGE stays
 * off so no host translation survives a %cr3 load into a guest.
 */
#include <lguest/lguest.h>

#include "arch/hot.h"
#include "arch/paging.h"
#include "arch/switcher.h"
#include "arch/x86.h"

static uint32_t host_pd[1024] __attribute__((aligned(4096)));
uint32_t host_cr3;
/* host_pd[1023]'s frame, kept on the exit path's page: entering the same
 * guest again then reads no page directory. */
uint32_t paging_switcher_mapped EXIT_HOT_DATA;

void paging_init(void)
{
	for (uint32_t i = 0; i < LGUEST_SWITCHER_PDE_INDEX; i++)
		host_pd[i] = (i << 22) | PTE_PS | PTE_RW | PTE_P;
	host_cr3 = (uint32_t)(uintptr_t)host_pd;
	write_cr4((read_cr4() | CR4_PSE) & ~CR4_PGE);
	write_cr3(host_cr3);
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
}

void paging_map_switcher_slot(uint32_t switcher_pt_phys)
{
	paging_switcher_mapped = switcher_pt_phys;
	host_pd[LGUEST_SWITCHER_PDE_INDEX] =
		switcher_pt_phys ? (switcher_pt_phys | PTE_RW | PTE_P) : 0;
	for (uint32_t va = SWITCHER_CODE; va < SWITCHER_CODE + SWITCHER_PAGES * 4096;
	     va += 4096)
		invlpg(va);
}
