/*
 * host/rules/check.c: the hypercall argument rules of docs/abi.md §4-§6 as pure
 * functions over copied values (see check.h for each contract). No state,
 * no guest memory access except gmem range questions, no kills: the
 * handler decides what a failure means for the guest.
 */
#include <string.h>

#include "rules/check.h"
#include "rules/hot_section.h"
#include "rules/errmsg.h"

#define PAGE 4096u
#define GDT_DPL_SHIFT 13

/* ------------------------------------------------------------------ IDT */

static bool idt_vector_ignored(unsigned vector)
{
	if (vector < 32)
		return (LGUEST_IDT_IGNORED_MASK >> vector) & 1;
	return vector >= LGUEST_IDT_STORED_VECTORS && vector != SYSCALL_VECTOR;
}

int check_idt_entry(unsigned vector, uint32_t lo, uint32_t hi,
		    uint32_t *stored_lo, uint32_t *stored_hi)
{
	unsigned type = idt_gate_type(hi);

	if (idt_vector_ignored(vector))
		return IDT_IGNORE;
	if (!(hi & LGUEST_IDT_PRESENT)) {
		*stored_lo = *stored_hi = 0;
		return IDT_CLEAR;
	}
	if (type != LGUEST_IDT_TYPE_INTERRUPT && type != LGUEST_IDT_TYPE_TRAP)
		return IDT_KILL;
	*stored_lo = (lo & 0x0000FFFF) | ((uint32_t)LGUEST_KERNEL_CS << 16);
	*stored_hi = hi & LGUEST_IDT_GATE_HI_MASK;
	return IDT_STORE;
}

bool idt_gate_is_direct(unsigned vector, uint32_t stored_hi)
{
	if (!(stored_hi & LGUEST_IDT_PRESENT) ||
	    idt_gate_type(stored_hi) != LGUEST_IDT_TYPE_TRAP)
		return false;
	if (vector == SYSCALL_VECTOR)
		return true;
	if (vector >= 32)
		return false;
	return !(((LGUEST_IDT_NEVER_DIRECT_MASK | LGUEST_IDT_IGNORED_MASK) >>
		  vector) & 1);
}

/* ------------------------------------------------------------------ GDT */

bool gdt_entry_host_owned(unsigned index)
{
	return index < GDT_ENTRIES && ((GDT_HOST_OWNED_MASK >> index) & 1);
}

#define DESC_S_BIT 0x00001000       /* 1: code or data; 0: system */
#define DESC_PRESENT_BIT 0x00008000

void gdt_fixup_entry(uint32_t *lo, uint32_t *hi)
{
	(void)lo; /* base and limit are the guest's business */
	if ((*hi & LGUEST_GDT_DPL_MASK) == 0)
		*hi |= LGUEST_GDT_DPL1;
	*hi |= LGUEST_GDT_ACCESSED;
	/* Our addition (docs/abi.md §14): a present system descriptor — a
	 * TSS, LDT or gate — could switch task or call through to ring 0,
	 * so it is made not-present. Code and data segments cannot escape
	 * the page tables, so they stay as the guest wrote them. */
	if (!(*hi & DESC_S_BIT))
		*hi &= ~DESC_PRESENT_BIT;
}

void gdt_init(uint32_t lo[GDT_ENTRIES], uint32_t hi[GDT_ENTRIES])
{
	memset(lo, 0, GDT_ENTRIES * sizeof(lo[0]));
	memset(hi, 0, GDT_ENTRIES * sizeof(hi[0]));
	lo[GDT_ENTRY_KERNEL_CS] = LGUEST_GDT_FLAT_LO;
	hi[GDT_ENTRY_KERNEL_CS] = LGUEST_GDT_KERNEL_CS_HI;
	lo[GDT_ENTRY_KERNEL_DS] = LGUEST_GDT_FLAT_LO;
	hi[GDT_ENTRY_KERNEL_DS] = LGUEST_GDT_KERNEL_DS_HI;
}

int check_gdt_count(uint32_t count, char *err, size_t errlen)
{
	if (count > GDT_ENTRIES)
		return errmsg(err, errlen, "%u entries, more than the %u of "
			      "the GDT", (unsigned)count,
			      (unsigned)GDT_ENTRIES);
	return 0;
}

int gdt_load(uint32_t lo[GDT_ENTRIES], uint32_t hi[GDT_ENTRIES],
	     const uint32_t *table, uint32_t count, char *err, size_t errlen)
{
	if (check_gdt_count(count, err, errlen))
		return -1;
	for (unsigned i = 0; i < count; i++) {
		if (gdt_entry_host_owned(i))
			continue;
		lo[i] = table[2 * i];
		hi[i] = table[2 * i + 1];
	}
	for (unsigned i = 0; i < GDT_ENTRIES; i++)
		if (!gdt_entry_host_owned(i))
			gdt_fixup_entry(&lo[i], &hi[i]);
	return 0;
}

void gdt_load_tls(uint32_t lo[GDT_ENTRIES], uint32_t hi[GDT_ENTRIES],
		  const uint32_t table[2 * GDT_ENTRY_TLS_ENTRIES])
{
	for (unsigned i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		unsigned e = GDT_ENTRY_TLS_MIN + i;

		lo[e] = table[2 * i];
		hi[e] = table[2 * i + 1];
		gdt_fixup_entry(&lo[e], &hi[e]);
	}
}

/* --------------------------------------------------------------- paging */

int check_pde(uint32_t pde, uint32_t pfnlimit, char *err, size_t errlen)
{
	uint32_t flags = pde & 0xFFF;

	if (flags & ~(uint32_t)LGUEST_PDE_ALLOWED_FLAGS)
		return errmsg(err, errlen, "PDE 0x%08x: flags 0x%03x outside "
			      "0x%03x (P, RW, U, A, D)", (unsigned)pde,
			      (unsigned)flags, LGUEST_PDE_ALLOWED_FLAGS);
	if (pde / PAGE >= pfnlimit)
		return errmsg(err, errlen, "PDE 0x%08x: frame 0x%x is not below "
			      "pfnlimit 0x%x", (unsigned)pde,
			      (unsigned)(pde / PAGE), (unsigned)pfnlimit);
	return 0;
}

int check_pte(uint32_t pte, uint32_t pfnlimit, char *err, size_t errlen)
{
	if (pte & LGUEST_PTE_FORBIDDEN_FLAGS)
		return errmsg(err, errlen, "PTE 0x%08x: flags 0x%03x include "
			      "PWT (0x008) or bit 7 (0x080)", (unsigned)pte,
			      (unsigned)(pte & 0xFFF));
	if (pte / PAGE >= pfnlimit)
		return errmsg(err, errlen, "PTE 0x%08x: frame 0x%x is not below "
			      "pfnlimit 0x%x", (unsigned)pte,
			      (unsigned)(pte / PAGE), (unsigned)pfnlimit);
	return 0;
}

uint32_t shadow_pte_flags(uint32_t guest_pte)
{
	return guest_pte & 0xFFF & ~(uint32_t)LGUEST_PTE_STRIPPED_FLAGS;
}

/* ------------------------------------------------------------ SET_STACK */

int check_set_stack(uint32_t ss, uint32_t esp, uint32_t pages, char *err,
		    size_t errlen)
{
	(void)esp;
	if ((ss & 3) != GUEST_PL)
		return errmsg(err, errlen, "stack selector 0x%x has RPL %u, "
			      "not %u", (unsigned)ss, (unsigned)(ss & 3),
			      (unsigned)GUEST_PL);
	if (pages > LGUEST_STACK_MAX_PAGES)
		return errmsg(err, errlen, "%u stack pages, more than %u",
			      (unsigned)pages,
			      (unsigned)LGUEST_STACK_MAX_PAGES);
	return 0;
}

/* ------------------------------------------------------------------ DMA */

RULES_DMA_HOT
int check_dma_key(uint32_t key)
{
	return key % LGUEST_DMA_KEY_ALIGN ? -1 : 0;
}

RULES_DMA_HOT
int check_dma_key_in(const struct gmem *g, uint32_t key, char *err,
		     size_t errlen)
{
	if (check_dma_key(key))
		return errmsg(err, errlen, "key 0x%x is not a multiple of %u",
			      (unsigned)key, (unsigned)LGUEST_DMA_KEY_ALIGN);
	if (!gmem_range_ok(g, gpa(key), LGUEST_DMA_KEY_ALIGN))
		return errmsg(err, errlen, "key 0x%x is outside guest memory "
			      "(0x%x pages)", (unsigned)key,
			      (unsigned)g->pfnlimit);
	return 0;
}

/* One section of a guest-to-guest transfer. */
static int check_g2g_section(const struct gmem *g, unsigned i, uint32_t addr,
			     uint32_t len, char *err, size_t errlen)
{
	if (len > LGUEST_DMA_MAX_SECTION_LEN)
		return errmsg(err, errlen, "DMA section %u: len %u is more than "
			      "%u", i, (unsigned)len,
			      (unsigned)LGUEST_DMA_MAX_SECTION_LEN);
	if (addr % PAGE + len > PAGE)
		return errmsg(err, errlen, "DMA section %u: addr 0x%x len %u "
			      "crosses a page boundary", i, (unsigned)addr,
			      (unsigned)len);
	if (!gmem_range_ok(g, gpa(addr), len))
		return errmsg(err, errlen, "DMA section %u: addr 0x%x len %u "
			      "is outside guest memory (0x%x pages)", i,
			      (unsigned)addr, (unsigned)len,
			      (unsigned)g->pfnlimit);
	return 0;
}

/* One section of DMA the host services as the Launcher. */
RULES_DMA_HOT
static int check_device_section(const struct gmem *g, unsigned i,
				uint32_t addr, uint32_t len, char *err,
				size_t errlen)
{
	if ((uint64_t)addr + len >= gmem_limit(g))
		return errmsg(err, errlen, "DMA section %u: addr 0x%x len %u "
			      "does not end below the top of guest memory "
			      "(0x%x pages)", i, (unsigned)addr, (unsigned)len,
			      (unsigned)g->pfnlimit);
	return 0;
}

RULES_DMA_HOT
int check_dma_sections(const struct lguest_dma *dma, const struct gmem *g,
		       bool guest_to_guest, uint32_t *total_len, char *err,
		       size_t errlen)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
		uint32_t addr = dma->addr[i], len = dma->len[i];
		int bad;

		if (len == 0)
			break;
		bad = guest_to_guest
			      ? check_g2g_section(g, i, addr, len, err, errlen)
			      : check_device_section(g, i, addr, len, err,
						     errlen);
		if (bad)
			return -1;
		total += len;
	}
	if (total_len)
		*total_len = (uint32_t)total;
	return 0;
}

int check_bind_dma_args(uint32_t key, uint32_t ecx, unsigned *count,
			unsigned *irq)
{
	*irq = ecx & LHCALL_BIND_DMA_IRQ_MASK;
	*count = (ecx >> LHCALL_BIND_DMA_COUNT_SHIFT) &
		 LHCALL_BIND_DMA_COUNT_MASK;
	if (*irq >= LGUEST_IRQS)
		return BIND_RETURN_0;
	if (check_dma_key(key))
		return BIND_KILL;
	return BIND_OK;
}
