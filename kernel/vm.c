/*
 * kernel/vm.c: the guest's memory map and page tables.
 *
 * Guest-physical memory, as the launcher left it (spec §1.1, §1.4):
 *
 *   0x0000             zero page (copied by kernel/bootparams.c)
 *   0x1000             command line (copied too)
 *   0x2000 .. 1 MiB    free
 *   1 MiB .. _end      this kernel: text, data, BSS, boot stack
 *   .. lt_start        free
 *   lt_start .. top    the launcher's page tables: PTE pages, then the
 *                      page directory; free once we run on our own
 *   top .. mem         the initrd, if any (kept)
 *   mem                the device page, not RAM (drivers/bus.c)
 *
 * Our page directory maps PAGE_OFFSET + [0, ram) to [0, ram) with 4 KiB
 * pages, supervisor read-write, leaving out one guard page under the boot
 * stack. Device pages go in a window above that (vm_map_io). Nothing is
 * ever mapped in the top 4 MiB, which belong to the host's Switcher.
 */
#include <string.h>

#include "bootparams.h"
#include "hcall.h"
#include "palloc.h"
#include "trap.h"
#include "vm.h"
#include "x86.h"

/* Kernel-only entries; no PWT/PCD/PSE/Global (spec §5.1). */
#define VM_PDE_FLAGS (X86_PTE_PRESENT | X86_PTE_RW)
#define VM_PTE_FLAGS (X86_PTE_PRESENT | X86_PTE_RW)

/* Low pages we never hand out: the zero page and the command line. */
#define VM_LOW_RESERVED (2 * PAGE_SIZE)

/* The launcher maps at most 4 GiB - PAGE_OFFSET of RAM (spec §1.4). */
#define VM_LAUNCHER_MAP_MAX (0xFFFFFFFFu - PAGE_OFFSET + 1)

static uint32_t *vm_pgdir_page;  /* our page directory */
static bool vm_switched;         /* NEW_PGTABLE done: report changes */
static uint32_t vm_ram_end;      /* RAM in the linear map */
static uint32_t vm_io_next = PAGE_OFFSET + VM_RAM_MAX;

void mm_bad_virt(const volatile void *p)
{
	panic("virt_to_gpa: %p is outside the linear map", (const void *)p);
}

gpa_t vm_pgdir(void)
{
	return virt_to_gpa(vm_pgdir_page);
}

uint32_t vm_ram_bytes(void)
{
	return vm_ram_end;
}

/*
 * The PTE slot for `va`, creating its page table if needed. Once we run on
 * this directory, a new directory entry is reported with SET_PMD.
 */
static uint32_t *vm_pte_slot(uint32_t va)
{
	uint32_t index = va >> X86_PDE_SHIFT;

	if (index >= VM_IO_END >> X86_PDE_SHIFT)
		panic("vm: 0x%08lx is in the Switcher's 4 MiB", (unsigned long)va);
	if (!(vm_pgdir_page[index] & X86_PTE_PRESENT)) {
		uint32_t *table = palloc_page_zeroed();
		if (!table)
			panic("vm: out of memory for page tables");
		vm_pgdir_page[index] = gpa_val(virt_to_gpa(table)) | VM_PDE_FLAGS;
		if (vm_switched)
			hcall_async(LHCALL_SET_PMD, gpa_val(vm_pgdir()), index, 0);
	}
	uint32_t *table = gpa_to_virt(gpa(vm_pgdir_page[index] & X86_PTE_FRAME_MASK));
	return &table[(va >> PAGE_SHIFT) % X86_PTES_PER_PAGE];
}

/*G:110 From now on the host must hear about every change to our page
 * tables: it keeps "shadow" copies, filled in lazily on page faults, and a
 * stale shadow entry would keep a mapping alive after we removed it.
 * SET_PTE and SET_PMD answer nothing, so they go in the async ring and ride
 * along with our next exit. :*/
static void vm_set_pte(uint32_t va, uint32_t pte)
{
	*vm_pte_slot(va) = pte;
	if (vm_switched)
		hcall_async(LHCALL_SET_PTE, gpa_val(vm_pgdir()), va, pte);
}
/*:*/

/* Where the launcher put its page tables: [*start, *top). */
static void vm_launcher_tables(uint32_t mem, uint32_t *start, uint32_t *top)
{
	gpa_t initrd;
	uint32_t initrd_size;
	uint32_t mapped = mem < VM_LAUNCHER_MAP_MAX ? mem : VM_LAUNCHER_MAP_MAX;
	uint32_t pte_pages = (mapped / PAGE_SIZE + X86_PTES_PER_PAGE - 1) /
			     X86_PTES_PER_PAGE;

	*top = mem;
	if (bootparams_initrd(&initrd, &initrd_size) && gpa_val(initrd) < mem)
		*top = mm_page_down(gpa_val(initrd));
	uint32_t size = (1 + pte_pages) * PAGE_SIZE; /* directory + PTEs */
	*start = *top > size ? *top - size : 0;
}

/*G:100 Memory. The launcher gave us all of RAM, mapped at PAGE_OFFSET by
 * page tables it built at the top of RAM. We find out how much RAM there is
 * from the e820 map in the zero page, hand everything not already in use
 * to the page allocator, build our own page directory and tell the host to
 * switch to it. Only then are the launcher's tables ours to reuse. :*/
void vm_init(void)
{
	uint32_t mem = bootparams_mem_bytes();
	uint32_t kernel_start = gpa_val(virt_to_gpa(_kernel_start));
	uint32_t kernel_end = mm_page_up((uint32_t)(uintptr_t)_end - PAGE_OFFSET);
	uint32_t lt_start, lt_top;

	if (mem < kernel_end + 64 * PAGE_SIZE)
		panic("vm: %lu KiB of RAM is too little", (unsigned long)mem / 1024);
	vm_ram_end = mem < VM_RAM_MAX ? mem : VM_RAM_MAX;
	vm_launcher_tables(mem, &lt_start, &lt_top);
	if (lt_start < kernel_end)
		lt_start = kernel_end;

	palloc_init(vm_ram_end);
	palloc_free_range(gpa(VM_LOW_RESERVED), gpa(kernel_start));
	palloc_free_range(gpa(kernel_end),
			  gpa(lt_start < vm_ram_end ? lt_start : vm_ram_end));

	vm_pgdir_page = palloc_page_zeroed();
	if (!vm_pgdir_page)
		panic("vm: no page for the page directory");
	/* A page table at a time: a lookup per page was 0.7 ms of boot. */
	for (uint32_t pa = 0; pa < vm_ram_end;) {
		uint32_t *slot = vm_pte_slot(PAGE_OFFSET + pa);
		uint32_t left = X86_PTES_PER_PAGE -
				(pa >> PAGE_SHIFT) % X86_PTES_PER_PAGE;
		for (; left && pa < vm_ram_end; left--, pa += PAGE_SIZE)
			*slot++ = pa | VM_PTE_FLAGS;
	}
	uint32_t guard = (uint32_t)(uintptr_t)boot_stack_guard;
	*vm_pte_slot(guard) = 0;

	hcall(LHCALL_NEW_PGTABLE, gpa_val(vm_pgdir()), 0, 0);
	vm_switched = true;

	/* Our kernel mappings differ from the launcher's: it mapped the
	 * guard page, and every page User (0x7, spec §1.5). The host keeps a
	 * shadow directory's kernel half when it recycles the directory for
	 * another address space (spec §5.2), so the shadow that served the
	 * launcher's directory, or ours if the host recycled that one, would
	 * later give a user address space kernel pages mapped User. Drop
	 * every shadow mapping, as Linux does when a kernel mapping changes.
	 * tests/boot/guest_addrspace reads kernel text from ring 3. */
	hcall(LHCALL_FLUSH_TLB, 1, 0, 0);
	palloc_free_range(gpa(lt_start),
			  gpa(lt_top < vm_ram_end ? lt_top : vm_ram_end));
}
/*:*/

void *vm_map_io(gpa_t start, size_t pages)
{
	uint32_t va = vm_io_next;

	if (pages == 0 || pages > (VM_IO_END - va) / PAGE_SIZE)
		panic("vm: no room to map %lu pages at gpa 0x%08lx",
		      (unsigned long)pages, (unsigned long)gpa_val(start));
	for (size_t i = 0; i < pages; i++)
		vm_set_pte(va + i * PAGE_SIZE,
			   (gpa_val(start) + i * PAGE_SIZE) | VM_PTE_FLAGS);
	vm_io_next += pages * PAGE_SIZE;
	return (void *)(uintptr_t)va;
}
