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

/* Point the host's Switcher slot at a guest's switcher page table. */
void paging_map_switcher(uint32_t switcher_pt_phys);

#endif
