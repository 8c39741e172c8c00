/*
 * host/arch/paging.h: the host's own address space: physical memory mapped
 * one-to-one with 4 MiB pages, and slot 1023 (the Switcher region) pointing
 * at the switcher page table of the guest about to run.
 */
#ifndef LGREF_HOST_PAGING_H
#define LGREF_HOST_PAGING_H

#include <stdint.h>

/* Physical address of the host's page directory (its %cr3). */
extern uint32_t host_cr3;

/* Build the identity map and turn on paging with CR0.WP and without PGE. */
void paging_init(void);

/* Point the host's Switcher slot at a guest's switcher page table. The
 * check is inline: entering the guest that ran last, the usual case,
 * costs no call on the exit path (host/arch/hot.h). */
extern uint32_t paging_switcher_mapped;	/* the slot's frame now */
void paging_map_switcher_slot(uint32_t switcher_pt_phys);
static inline void paging_map_switcher(uint32_t switcher_pt_phys)
{
	if (paging_switcher_mapped != switcher_pt_phys)
		paging_map_switcher_slot(switcher_pt_phys);
}

#endif
