/*
 * kernel/uvm.c: user address spaces (kernel/uvm.h). The kernel's own page
 * directory is kernel/vm.c's; this file makes more directories that share
 * its kernel half, fills their user half, and keeps the host informed.
 */
#include <string.h>

#include <lguest/lguest.h>

#include "hcall.h"
#include "palloc.h"
#include "trap.h"
#include "user.h"
#include "uvm.h"
#include "vm.h"
#include "x86.h"

/* User page tables: present, writable and user at the directory level; a
 * page's own PTE decides (spec §5.1: the CPU enforces both levels). */
#define UVM_PDE_FLAGS (X86_PTE_PRESENT | X86_PTE_RW | X86_PTE_USER)
#define UVM_KERNEL_PDE (PAGE_OFFSET >> X86_PDE_SHIFT)

static unsigned uvm_pde_index(uint32_t va)
{
	if (va >= PAGE_OFFSET)
		panic("uvm: 0x%08lx is not a user address", (unsigned long)va);
	return va >> X86_PDE_SHIFT;
}

gpa_t uvm_pgdir(const struct uvm *as)
{
	return virt_to_gpa(as->pgdir);
}

/*G:250 A new address space, Linux's pgd_alloc(). The user half starts
 * empty; the kernel half is a copy of the kernel's directory entries, so
 * it points at the very same page tables and every kernel mapping is the
 * same in every space. The host counts on that: it keeps kernel mappings
 * when it recycles a shadow directory, and applies a SET_PTE for a kernel
 * address to all of them. :*/
int uvm_create(struct uvm *as)
{
	const uint32_t *kernel = gpa_to_virt(vm_pgdir());

	as->pgdir = palloc_page_zeroed();
	if (!as->pgdir)
		return -1;
	memcpy(&as->pgdir[UVM_KERNEL_PDE], &kernel[UVM_KERNEL_PDE],
	       (X86_PTES_PER_PAGE - UVM_KERNEL_PDE) * sizeof(uint32_t));
	return 0;
}
/*:*/

uint32_t *uvm_pte(const struct uvm *as, uint32_t va)
{
	uint32_t pde = as->pgdir[uvm_pde_index(va)];

	if (!(pde & X86_PTE_PRESENT))
		return NULL;
	uint32_t *table = gpa_to_virt(gpa(pde & X86_PTE_FRAME_MASK));
	return &table[(va >> PAGE_SHIFT) % X86_PTES_PER_PAGE];
}

/*G:260 Changing a user mapping: write the entry, then tell the host with
 * SET_PTE, naming the directory it belongs to -- the host may hold shadows
 * of several directories (up to four), and only that one's is affected.
 * A new page table gets a SET_PMD too. Both are synchronous: the host must
 * have forgotten the old translation before anyone can use it again. :*/
void uvm_set_pte(struct uvm *as, uint32_t va, uint32_t pte)
{
	unsigned index = uvm_pde_index(va);

	if (!(as->pgdir[index] & X86_PTE_PRESENT)) {
		uint32_t *table = palloc_page_zeroed();
		if (!table)
			panic("uvm: out of memory for a page table");
		as->pgdir[index] = gpa_val(virt_to_gpa(table)) | UVM_PDE_FLAGS;
		hcall(LHCALL_SET_PMD, gpa_val(uvm_pgdir(as)), index, 0);
	}
	*uvm_pte(as, va) = pte;
	hcall(LHCALL_SET_PTE, gpa_val(uvm_pgdir(as)), mm_page_down(va), pte);
}
/*:*/

void uvm_map(struct uvm *as, uint32_t va, gpa_t frame, uint32_t flags)
{
	uvm_set_pte(as, va, (gpa_val(frame) & X86_PTE_FRAME_MASK) | flags |
			    X86_PTE_PRESENT | X86_PTE_USER);
}

void *uvm_map_new(struct uvm *as, uint32_t va, uint32_t flags)
{
	void *page = palloc_page_zeroed();

	if (!page)
		panic("uvm: out of memory for a user page");
	uvm_map(as, va, virt_to_gpa(page), flags);
	return page;
}

void uvm_drop_table(struct uvm *as, uint32_t va)
{
	unsigned index = uvm_pde_index(va);
	uint32_t pde = as->pgdir[index];

	if (!(pde & X86_PTE_PRESENT))
		return;
	as->pgdir[index] = 0;
	hcall(LHCALL_SET_PMD, gpa_val(uvm_pgdir(as)), index, 0);
	palloc_free_page(gpa_to_virt(gpa(pde & X86_PTE_FRAME_MASK)));
}

void uvm_flush(void)
{
	hcall(LHCALL_FLUSH_TLB, 0, 0, 0);
}

/*G:270 Switching address spaces, Linux's switch_mm(): NEW_PGTABLE with
 * the new directory. The host finds its shadow of that directory among
 * the four it caches, or makes one, possibly by recycling another. Then
 * SET_STACK again, as Linux does on every context switch: the host pins
 * the ring-1 stack in the (perhaps new) shadow, so a trap from ring 3 can
 * always push its frame. :*/
void uvm_switch(struct uvm *as)
{
	gpa_t pgdir = as ? uvm_pgdir(as) : vm_pgdir();

	hcall(LHCALL_NEW_PGTABLE, gpa_val(pgdir), 0, 0);
	user_set_stack();
}
/*:*/
