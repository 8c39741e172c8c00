/*
 * host/rules/check.h: pure validators for hypercall arguments (STYLE.md §7:
 * copy, then validate). A handler copies what the guest passed (registers,
 * descriptors, a struct lguest_dma) into host memory once, calls one of
 * these on the copy, and only then acts. Nothing here reads guest memory
 * except through a gmem the caller passes, so the unit tests and fuzzers
 * call exactly what the hypervisor calls.
 *
 * Messages written to (err, errlen) name the field and the bad value; the
 * caller prefixes the hypercall ("SET_STACK: %s"), since several calls
 * share a rule (check_pte() serves SET_PTE and the page-fault path).
 *
 * Not to be confused with tests/unit/check.h, the test framework; unit
 * tests include this one as "../../host/rules/check.h".
 */
#ifndef LGREF_HOST_CHECK_H
#define LGREF_HOST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lguest/launcher.h>
#include <lguest/lguest.h>

#include "rules/gmem.h"

/* ------------------------------------------------------------ IDT (§4.7) */

enum idt_verdict {
	IDT_IGNORE, /* vector 2, 8, 15, 31 or >= 64 other than 0x80 */
	IDT_CLEAR,  /* not present: the stored entry becomes 0, 0 */
	IDT_STORE,  /* store *stored_lo, *stored_hi */
	IDT_KILL,   /* present with a type other than 0xE or 0xF */
};

/*
 * LOAD_IDT_ENTRY(vector, lo, hi). Returns an enum idt_verdict. For
 * IDT_STORE the stored form is: selector forced to LGUEST_KERNEL_CS with
 * the offset kept (lo), hi & LGUEST_IDT_GATE_HI_MASK (the guest's DPL is
 * kept). For IDT_CLEAR both are set to 0; otherwise they are untouched.
 * Ignored vectors win over every other rule (Linux puts a task gate at 8).
 */
int check_idt_entry(unsigned vector, uint32_t lo, uint32_t hi,
		    uint32_t *stored_lo, uint32_t *stored_hi);

/* The gate type (bits 8-11 of the high word), for kill messages. */
static inline unsigned idt_gate_type(uint32_t hi)
{
	return (hi >> LGUEST_IDT_TYPE_SHIFT) & LGUEST_IDT_TYPE_MASK;
}

/*
 * §4.5: may the CPU deliver this stored gate straight into the guest?
 * Only a present trap gate (type 0xF) for vectors 0..31 other than 2, 7,
 * 8, 13, 14, 15 and 31, or for vector 0x80.
 */
bool idt_gate_is_direct(unsigned vector, uint32_t stored_hi);

/* ------------------------------------------------------------ GDT (§4.8) */

/* Entries 10, 11, 16 and 31 are the host's; false for index >= 32. */
bool gdt_entry_host_owned(unsigned index);

/* The fix-up for every guest-owned entry: DPL 0 becomes 1, the accessed
 * bit is set, and a system descriptor (TSS, LDT, call or task gate) is
 * made not-present. lo is never changed. Idempotent. */
void gdt_fixup_entry(uint32_t *lo, uint32_t *hi);

/* The guest's GDT before any LOAD_GDT: all zero except 12 and 13. */
void gdt_init(uint32_t lo[GDT_ENTRIES], uint32_t hi[GDT_ENTRIES]);

/* LOAD_GDT's count: at most GDT_ENTRIES. 0 or -1 with err. */
int check_gdt_count(uint32_t count, char *err, size_t errlen);

/*
 * Apply LOAD_GDT to the guest's copy: table holds count descriptors as
 * (lo, hi) word pairs, copied from the guest. Entries [0, count) are
 * replaced, except host-owned ones (ignored); later entries are kept;
 * then every guest-owned entry is fixed up. -1 with err if count > 32,
 * and then nothing changes.
 */
int gdt_load(uint32_t lo[GDT_ENTRIES], uint32_t hi[GDT_ENTRIES],
	     const uint32_t *table, uint32_t count, char *err, size_t errlen);

/* Apply LOAD_TLS: three (lo, hi) pairs into entries 6..8, fixed up. */
void gdt_load_tls(uint32_t lo[GDT_ENTRIES], uint32_t hi[GDT_ENTRIES],
		  const uint32_t table[2 * GDT_ENTRY_TLS_ENTRIES]);

/* ------------------------------------------------------- paging (§5.1) */

/* A present guest directory entry the host is about to shadow: flags only
 * within LGUEST_PDE_ALLOWED_FLAGS, frame below pfnlimit. 0 or -1. */
int check_pde(uint32_t pde, uint32_t pfnlimit, char *err, size_t errlen);

/* A guest PTE the host is about to shadow: no PWT, no bit 7, frame below
 * pfnlimit (PCD and Global are tolerated). Present is not tested here
 * (SET_PTE checks non-present values too, §5.2). 0 or -1. */
int check_pte(uint32_t pte, uint32_t pfnlimit, char *err, size_t errlen);

/* The low 12 bits of a shadow PTE for this guest PTE: Global stripped. */
uint32_t shadow_pte_flags(uint32_t guest_pte);

/* ---------------------------------------------------- SET_STACK (§4.9) */

/*
 * SET_STACK(ss, esp, pages): ss must have RPL 1, pages <= 2 (0 pins
 * nothing). esp is not checked here: the stack pages are checked when
 * they are pinned ("bad stack page"). The caller then stores ss & 0xFF,
 * as the 2.6.23 host's 8-bit field did (§4.4 quirk). 0 or -1 with err.
 */
int check_set_stack(uint32_t ss, uint32_t esp, uint32_t pages, char *err,
		    size_t errlen);

/* ---------------------------------------------------------- DMA (§6) */

/* 0 if key is a multiple of 4, else -1. */
int check_dma_key(uint32_t key);

/*
 * A key the host will look up: a multiple of 4 and, since guest memory is
 * all of "Launcher memory" here, its 4 bytes inside [0, pfnlimit * 4096)
 * (keys are never checked against RAM size, §6.2). 0 or -1 with err.
 */
int check_dma_key_in(const struct gmem *g, uint32_t key, char *err,
		     size_t errlen);

/*
 * The sections of a copied struct lguest_dma: the first len 0 ends the
 * list; all 16 may be used. *total_len (if not NULL) gets the sum of the
 * lengths (at most 16 * 65535). Two rule sets (§6.2):
 *  - guest_to_guest: each section inside guest memory (gmem_range_ok),
 *    len <= 4096 and (addr % 4096) + len <= 4096 (no page crossing);
 *  - otherwise (DMA the host services as the Launcher): only addr and
 *    addr + len strictly below pfnlimit * 4096, as the 2.6.23 Launcher
 *    checked; sections may cross pages (the console's do).
 * Returns 0, or -1 with err naming the section, its addr and len.
 */
int check_dma_sections(const struct lguest_dma *dma, const struct gmem *g,
		       bool guest_to_guest, uint32_t *total_len, char *err,
		       size_t errlen);

enum bind_dma_verdict {
	BIND_OK,       /* go on: bind (irq != 0) or unbind (irq == 0) */
	BIND_RETURN_0, /* irq >= 32: return 0 in eax, no kill */
	BIND_KILL,     /* key not a multiple of 4 */
};

/*
 * BIND_DMA(key, array, ecx): *irq = bits 0-7, *count = bits 8-23 of ecx,
 * always set. The irq test comes first, so a bad key with irq >= 32 only
 * fails the call. Returns an enum bind_dma_verdict. On BIND_OK the
 * caller still checks the key against memory (check_dma_key_in()).
 */
int check_bind_dma_args(uint32_t key, uint32_t ecx, unsigned *count,
			unsigned *irq);

#endif
