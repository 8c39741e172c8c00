/*
 * kernel/uvm.h: user address spaces. Each is a page directory of its own
 * whose kernel half (PAGE_OFFSET and up) is the kernel's: the directory
 * entries are copied, so every space shares the kernel's page tables, as
 * Linux does and as the host assumes (spec §5.1). The user half is
 * private. Every change is reported to the host (SET_PTE, SET_PMD) before
 * it returns, so the next access sees it (spec §5.2).
 */
#ifndef LGREF_KERNEL_UVM_H
#define LGREF_KERNEL_UVM_H

#include <stdint.h>

#include "mm.h"

struct uvm {
	uint32_t *pgdir; /* linear-map pointer to the page directory */
};

/*
 * A new address space with an empty user half. Kernel page tables made
 * after this call (vm_map_io() of a new 4 MiB region) are not seen in it.
 * Returns 0, or -1 when out of memory.
 */
int uvm_create(struct uvm *as);

/* The gpa of its page directory: NEW_PGTABLE's and SET_PTE's argument. */
gpa_t uvm_pgdir(const struct uvm *as);

/* The PTE for user address `va`, or NULL if no page table covers it.
 * Writing through it is not reported: see uvm_set_pte(), uvm_flush(). */
uint32_t *uvm_pte(const struct uvm *as, uint32_t va);

/*
 * Set the PTE for user address `va` to `pte` (a gpa and X86_PTE_* flags),
 * making a page table (user, writable directory entry) if needed, and tell
 * the host. Panics if `va` is not a user address or memory runs out.
 */
void uvm_set_pte(struct uvm *as, uint32_t va, uint32_t pte);

/* Map frame `frame` at `va` for user mode: Present | User | `flags`. */
void uvm_map(struct uvm *as, uint32_t va, gpa_t frame, uint32_t flags);

/* A fresh zeroed page mapped at `va` as uvm_map() does; returns its
 * kernel (linear-map) address. */
void *uvm_map_new(struct uvm *as, uint32_t va, uint32_t flags);

/* Drop the whole page table covering `va` (4 MiB): clear the directory
 * entry, tell the host (SET_PMD) and free the table page. */
void uvm_drop_table(struct uvm *as, uint32_t va);

/* After PTEs of the current space were changed behind the host's back
 * through uvm_pte(): forget all user mappings (FLUSH_TLB(0)). */
void uvm_flush(void);

/*
 * Make `as` the current address space (NEW_PGTABLE), or the kernel's own
 * page directory if `as` is NULL; then name the ring-1 stack again
 * (SET_STACK), as Linux does on every switch (spec §4.9).
 */
void uvm_switch(struct uvm *as);

#endif
