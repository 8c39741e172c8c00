/*
 * host/core/shadow.c: shadow paging (docs/abi.md §5). The guest keeps ordinary
 * two-level page tables full of guest-physical frame numbers; the CPU runs
 * on shadow tables the host fills in lazily, on page faults, translating
 * each frame to host-physical after checking it. A shadow maps only frames
 * below the guest's pfnlimit and, in slot 1023, the guest's own switcher
 * page table: this is what isolates guests from the host and each other
 * (docs/host-design.md).
 *
 * Up to LGUEST_SHADOW_PGDIRS shadow directories are cached per guest, keyed
 * by the guest-physical address of the guest's directory.
 *
 * Each guest's shadow tables are bounded by a quota, in proportion to its
 * memory (shadow_quota()): a guest that reaches it has its own shadows
 * emptied and refilled on demand, like a flush of everything, so it
 * pays for its page tables in faults and never takes host pages another
 * guest needs.
 */
#include <string.h>
#include "arch/hot.h"

#include "rules/check.h"
#include "arch/log.h"
#include "arch/palloc.h"
#include "core/shadow.h"
#include "arch/x86.h"

#define PDE_INDEX(va) ((va) >> 22)
#define PTE_INDEX(va) (((va) >> 12) & 1023)
#define FAULT_WRITE 0x2
#define FAULT_USER 0x4

static uint32_t host_phys(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

static uint32_t guest_frame_to_host(const struct guest *g, uint32_t gpte)
{
	uint8_t *page;

	/* check_pte() has kept the frame below pfnlimit. */
	HOST_ASSERT(gmem_frame(&g->mem, gpte >> 12, &page) == 0);
	return host_phys(page);
}

/* Shadow pages a guest may hold: per cached directory, the directory,
 * enough tables to map all its RAM at page_offset, and 64 more for user
 * space (256 MiB of it mapped at once). 280 pages for 16 MiB of RAM, 2304
 * for 2047 MiB; sixteen guests' quotas fit in the 64 MiB tools/lguest
 * gives the host on top of the guests' memory. */
uint32_t shadow_quota(const struct guest *g)
{
	return LGUEST_SHADOW_PGDIRS *
	       (1 + (g->mem.ram_bytes + (4u << 20) - 1) / (4u << 20) + 64);
}

/*H:315 A guest at its quota of shadow pages: empty every one of its
 * shadow directories (the switcher slot stays) and pin its stack again.
 * What it uses comes back on demand. The guest cannot tell, but for the
 * faults. :*/
static int recycle(struct guest *g)
{
	g->shadow_recycles++;
	g->shadow_recycling = true;
	int rc = shadow_flush(g, true);
	g->shadow_recycling = false;
	return rc;
}

/* A page for g's shadow tables, counted in g->shadow_pages (the host's
 * ledger of pages, host/core/guests.h); NULL when memory is exhausted. */
static uint32_t *shadow_page(struct guest *g)
{
	uint32_t *p = palloc_page();

	g->shadow_pages += p != NULL;
	return p;
}

static void shadow_page_free(struct guest *g, void *p)
{
	palloc_free_page(p);
	g->shadow_pages--;
}

/* Drop one shadow directory entry and free its page table. */
static void drop_pde(struct guest *g, uint32_t *pd, unsigned i)
{
	if (pd[i] & PTE_P)
		shadow_page_free(g, (void *)(uintptr_t)(pd[i] & PTE_FRAME));
	pd[i] = 0;
}

static void drop_range(struct guest *g, uint32_t *pd, unsigned first,
		       unsigned last)
{
	for (unsigned i = first; i < last; i++)
		drop_pde(g, pd, i);
}

static unsigned user_pdes(const struct guest *g)
{
	return PDE_INDEX(g->page_offset);
}

EXIT_HOT_TEXT uint32_t shadow_current_cr3(const struct guest *g)
{
	return host_phys(g->pgdirs[g->cur_pgdir].pd);
}

static int find_pgdir(const struct guest *g, uint32_t gpgdir)
{
	for (unsigned i = 0; i < LGUEST_SHADOW_PGDIRS; i++)
		if (g->pgdirs[i].pd && g->pgdirs[i].guest_pgdir == gpgdir)
			return (int)i;
	return -1;
}

/*H:300 NEW_PGTABLE: find the shadow of this guest directory, or make one.
 * A slot never used before gets a fresh, empty directory (plus the
 * Switcher slot) and the stack is pinned again; a recycled slot keeps its
 * kernel mappings, which are the same in every guest directory, and loses
 * its user ones. The 2.6.23 host picked the slot at random; we take the
 * slots in turn, which the guest cannot tell apart (docs/abi.md §14). :*/
int shadow_new_pgtable(struct guest *g, uint32_t gpgdir)
{
	int slot = find_pgdir(g, gpgdir);
	bool fresh = false;

	if (slot < 0) {
		slot = -1;
		for (unsigned i = 0; i < LGUEST_SHADOW_PGDIRS && slot < 0; i++)
			if (!g->pgdirs[i].pd)
				slot = (int)i;
		if (slot < 0) {
			slot = (int)(g->pin_count++ % LGUEST_SHADOW_PGDIRS);
			drop_range(g, g->pgdirs[slot].pd, 0, user_pdes(g));
		} else {
			uint32_t *pd = shadow_page(g);
			if (!pd) {
				guest_kill(g, "NEW_PGTABLE: host out of memory "
					   "for shadow page tables");
				return -1;
			}
			pd[LGUEST_SWITCHER_PDE_INDEX] =
				host_phys(g->switcher_pt) | PTE_RW | PTE_P;
			g->pgdirs[slot].pd = pd;
			fresh = true;
		}
		g->pgdirs[slot].guest_pgdir = gpgdir;
	}
	g->cur_pgdir = (unsigned)slot;
	g->guest_cr3 = gpgdir;
	if (fresh)
		return shadow_pin_stack(g);
	return 0;
}

/*H:310 A page fault in the guest lands here first. We walk the guest's own
 * tables: if they allow the access, we set Accessed (and Dirty for a write)
 * in the guest's entry, install the translation in the shadow and resume
 * the guest as if nothing happened. A read fault maps the page read-only
 * unless it is already Dirty, so the first write faults again and sets
 * Dirty. If the guest's tables do not allow the access, the fault is the
 * guest's own and is reflected to it. :*/
bool shadow_demand_page(struct guest *g, uint32_t vaddr, uint32_t errcode)
{
	char err[128];
	uint32_t gpde, gpte;
	unsigned pdi = PDE_INDEX(vaddr), pti = PTE_INDEX(vaddr);
	uint32_t *spd = g->pgdirs[g->cur_pgdir].pd;

	if (g->shadow_pages >= g->shadow_quota && !g->shadow_recycling &&
	    recycle(g))
		return false;	/* the stack could not be pinned again */
	if (gmem_read32(&g->mem, gpa(g->guest_cr3 + pdi * 4), &gpde)) {
		guest_kill(g, "page directory %#x is outside guest memory",
			   g->guest_cr3);
		return false;
	}
	if (!(gpde & PTE_P))
		return false;
	if (pdi == LGUEST_SWITCHER_PDE_INDEX) {
		guest_kill(g, "page directory %#x maps the Switcher region "
			   "(entry 1023 = %#x)", g->guest_cr3, gpde);
		return false;
	}
	if ((errcode & FAULT_WRITE) && !(gpde & PTE_RW))
		return false;
	if ((errcode & FAULT_USER) && !(gpde & PTE_U))
		return false;
	if (!(spd[pdi] & PTE_P)) {
		if (check_pde(gpde, g->mem.pfnlimit, err, sizeof(err))) {
			guest_kill(g, "page directory entry %u of %#x: %s", pdi,
				   g->guest_cr3, err);
			return false;
		}
		uint32_t *pt = shadow_page(g);
		if (!pt) {
			guest_kill(g, "host out of memory for shadow page tables");
			return false;
		}
		spd[pdi] = host_phys(pt) | (gpde & (PTE_P | PTE_RW | PTE_U));
	}
	uint32_t gpte_gpa = (gpde & PTE_FRAME) + pti * 4;
	if (gmem_read32(&g->mem, gpa(gpte_gpa), &gpte)) {
		guest_kill(g, "page table at %#x is outside guest memory",
			   gpde & PTE_FRAME);
		return false;
	}
	if (!(gpte & PTE_P))
		return false;
	if ((errcode & FAULT_WRITE) && !(gpte & PTE_RW))
		return false;
	if ((errcode & FAULT_USER) && !(gpte & PTE_U))
		return false;
	if (check_pte(gpte, g->mem.pfnlimit, err, sizeof(err))) {
		guest_kill(g, "page table entry for %#x: %s", vaddr, err);
		return false;
	}
	gpte |= PTE_A | ((errcode & FAULT_WRITE) ? PTE_D : 0);
	if (gmem_write32(&g->mem, gpa(gpte_gpa), gpte)) {
		guest_kill(g, "page table at %#x is not writable", gpte_gpa);
		return false;
	}
	uint32_t spte = guest_frame_to_host(g, gpte) |
			(shadow_pte_flags(gpte) & ~PTE_FRAME);
	if (!(gpte & PTE_D))
		spte &= ~PTE_RW;
	uint32_t *spt = (uint32_t *)(uintptr_t)(spd[pdi] & PTE_FRAME);
	spt[pti] = spte;
	g->page_faults++;
	return true;
}

/* Apply a SET_PTE to one shadow directory (docs/abi.md §5.2). */
static void set_pte_in(struct guest *g, uint32_t *spd, uint32_t vaddr,
		       uint32_t gpte)
{
	char err[128];
	unsigned pdi = PDE_INDEX(vaddr);

	if (!(spd[pdi] & PTE_P))
		return;
	uint32_t *spt = (uint32_t *)(uintptr_t)(spd[pdi] & PTE_FRAME);
	spt[PTE_INDEX(vaddr)] = 0;
	if (!(gpte & (PTE_A | PTE_D)))
		return;		/* left to fault in */
	if (check_pte(gpte, g->mem.pfnlimit, err, sizeof(err))) {
		guest_kill(g, "SET_PTE for %#x: %s", vaddr, err);
		return;
	}
	if (!(gpte & PTE_P))
		return;
	uint32_t spte = guest_frame_to_host(g, gpte) |
			(shadow_pte_flags(gpte) & ~PTE_FRAME);
	/* Our deviation (docs/abi.md §14): writable only once Dirty, so the
	 * guest's Dirty bits stay exact. */
	if (!(gpte & PTE_D))
		spte &= ~PTE_RW;
	spt[PTE_INDEX(vaddr)] = spte;
}

void shadow_set_pte(struct guest *g, uint32_t gpgdir, uint32_t vaddr,
		    uint32_t gpte)
{
	if (vaddr >= LGUEST_SWITCHER_ADDR) {
		guest_kill(g, "SET_PTE: address %#x is in the Switcher region",
			   vaddr);
		return;
	}
	if (vaddr >= g->page_offset) {
		for (unsigned i = 0; i < LGUEST_SHADOW_PGDIRS && !guest_dead(g); i++)
			if (g->pgdirs[i].pd)
				set_pte_in(g, g->pgdirs[i].pd, vaddr, gpte);
		return;
	}
	int slot = find_pgdir(g, gpgdir);
	if (slot >= 0)
		set_pte_in(g, g->pgdirs[slot].pd, vaddr, gpte);
}

void shadow_set_pmd(struct guest *g, uint32_t gpgdir, uint32_t index)
{
	int slot = find_pgdir(g, gpgdir);

	if (index >= LGUEST_SWITCHER_PDE_INDEX || slot < 0)
		return;
	drop_pde(g, g->pgdirs[slot].pd, index);
}

int shadow_flush(struct guest *g, bool everything)
{
	if (!everything) {
		drop_range(g, g->pgdirs[g->cur_pgdir].pd, 0, user_pdes(g));
		return 0;
	}
	for (unsigned i = 0; i < LGUEST_SHADOW_PGDIRS; i++)
		if (g->pgdirs[i].pd)
			drop_range(g, g->pgdirs[i].pd, 0, LGUEST_SWITCHER_PDE_INDEX);
	return shadow_pin_stack(g);
}

/*H:320 The pages of the guest's ring-1 stack must always be mapped and
 * writable in the shadow: a direct trap from ring 3 pushes its frame there
 * with no host in between to fix a fault. SET_STACK pins them, and so does
 * every event that empties the shadow. :*/
int shadow_pin_stack(struct guest *g)
{
	for (uint32_t i = 0; i < g->stack_pages; i++) {
		uint32_t va = g->esp1 - 1 - i * 4096;
		if (!shadow_demand_page(g, va, FAULT_WRITE)) {
			if (!guest_dead(g))
				guest_kill(g, "SET_STACK: bad stack page %#x",
					   va & PTE_FRAME);
			return -1;
		}
	}
	return 0;
}

void shadow_free_all(struct guest *g)
{
	for (unsigned i = 0; i < LGUEST_SHADOW_PGDIRS; i++) {
		if (!g->pgdirs[i].pd)
			continue;
		drop_range(g, g->pgdirs[i].pd, 0, LGUEST_SWITCHER_PDE_INDEX);
		shadow_page_free(g, g->pgdirs[i].pd);
		g->pgdirs[i].pd = NULL;
		g->pgdirs[i].guest_pgdir = 0;
	}
}
