/*
 * host/core/shadow.h: shadow page tables (docs/abi.md §5). See shadow.c.
 */
#ifndef LGREF_HOST_SHADOW_H
#define LGREF_HOST_SHADOW_H

#include "core/guest.h"

/* LHCALL_NEW_PGTABLE (and the launcher's initial directory). -1: killed. */
int shadow_new_pgtable(struct guest *g, uint32_t gpgdir);

/* Host-physical address of the shadow directory the guest runs on. */
uint32_t shadow_current_cr3(const struct guest *g);

/* Try to satisfy a guest page fault from the guest's own tables. False if
 * the fault must be reflected (or the guest was killed: check it). */
bool shadow_demand_page(struct guest *g, uint32_t vaddr, uint32_t errcode);

/* LHCALL_SET_PTE, LHCALL_SET_PMD, LHCALL_FLUSH_TLB. */
void shadow_set_pte(struct guest *g, uint32_t gpgdir, uint32_t vaddr,
		    uint32_t gpte);
void shadow_set_pmd(struct guest *g, uint32_t gpgdir, uint32_t index);
int shadow_flush(struct guest *g, bool everything);

/* Map the SET_STACK pages writable in the current shadow. -1: killed. */
int shadow_pin_stack(struct guest *g);

/* Give every shadow page back (the guest is gone). */
void shadow_free_all(struct guest *g);

/* The most shadow pages g may hold (host/core/shadow.c). */
uint32_t shadow_quota(const struct guest *g);

#endif
