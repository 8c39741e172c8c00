/*
 * host/core/guests.c: the Launcher's half of starting a guest. From a module
 * (a kernel image) and its launcher arguments it reserves the guest's
 * devices, builds guest memory with host/rules/loader.c, then sets up what
 * the Host's half needs: the guest's pages in the Switcher region, its CPU
 * tables, its first shadow page directory and the registers of
 * docs/abi.md §1.6. Also guest_kill(), the one way a guest that broke the
 * ABI dies, and guest_release(), which gives back all a guest held.
 * Launching a --respawn guest again is host/core/respawn.c's, which calls
 * guest_launch_in().
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/log.h"
#include "arch/hot.h"
#include "arch/palloc.h"
#include "arch/paging.h"
#include "arch/x86.h"
#include "core/devices.h"
#include "core/dma.h"
#include "core/fpu.h"
#include "core/guests.h"
#include "core/interrupts.h"
#include "core/segments.h"
#include "core/shadow.h"
#include "rules/loader.h"

struct guest guests[MAX_LGUEST_GUESTS];
unsigned guest_halted_raises EXIT_HOT_DATA;	/* every exit reads it */

void guest_kill(struct guest *g, const char *fmt, ...)
{
	va_list ap;

	if (guest_dead(g))
		return;
	g->state = GUEST_KILLED;
	va_start(ap, fmt);
	vsnprintf(g->reason, sizeof(g->reason), fmt, ap);
	va_end(ap);
}

static uint32_t phys(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

/*H:050 Each guest gets three pages in the Switcher region at 0xFFC00000:
 * the switcher code (shared, read-only), its register page (writable: the
 * CPU pushes trap frames there) and its CPU page (read-only: the GDT, IDT
 * and TSS the CPU uses while this guest runs). Nothing else of the host is
 * mapped while a guest runs (docs/host-design.md). :*/
static int setup_switcher(struct guest *g)
{
	g->switcher_pt = palloc_page();
	g->regs_page = palloc_page();
	g->cpu_page = palloc_page();
	if (!g->switcher_pt || !g->regs_page || !g->cpu_page)
		return -1;
	unsigned code_pages = (unsigned)((switcher_end - switcher_start + 4095) / 4096);
	for (unsigned i = 0; i < code_pages; i++)
		g->switcher_pt[i] = phys(switcher_start + i * 4096) | PTE_P;
	g->switcher_pt[SWITCHER_CODE_PAGES] = phys(g->regs_page) | PTE_RW | PTE_P;
	g->switcher_pt[SWITCHER_CODE_PAGES + 1] = phys(g->cpu_page) | PTE_P;
	g->regs = (struct guest_regs *)(g->regs_page + 4096 - GUEST_REGS_SIZE);

	struct x86_tss *tss = (struct x86_tss *)(g->cpu_page + CPU_PAGE_TSS);
	tss->esp0 = SWITCHER_REGS + 4096;
	tss->ss0 = LGUEST_SWITCHER_DS;
	tss->io_map_base = sizeof(struct x86_tss); /* no I/O bitmap: no ports */
	struct x86_dtr *gdtr = (struct x86_dtr *)(g->cpu_page + CPU_PAGE_GDTR);
	gdtr->base = SWITCHER_CPU + CPU_PAGE_GDT;
	gdtr->limit = GDT_ENTRIES * 8 - 1;
	struct x86_dtr *idtr = (struct x86_dtr *)(g->cpu_page + CPU_PAGE_IDTR);
	idtr->base = SWITCHER_CPU + CPU_PAGE_IDT;
	idtr->limit = 256 * 8 - 1;
	*(uint32_t *)(g->cpu_page + CPU_PAGE_HOST_CR3) = host_cr3;
	return 0;
}

/* The registers at the entry point (docs/abi.md §1.6). */
static void setup_registers(struct guest *g, uint32_t entry)
{
	struct guest_regs *r = g->regs;

	memset(r, 0, sizeof(*r));
	r->eip = entry;
	r->cs = LGUEST_KERNEL_CS;
	r->ds = r->es = r->ss = LGUEST_KERNEL_DS;
	r->eflags = LGUEST_INITIAL_EFLAGS;
}

static struct guest *free_slot(void)
{
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++)
		if (guests[i].state == GUEST_FREE)
			return &guests[i];
	return NULL;
}

/* The initial page tables map at most 2^32 - page_offset bytes (spec
 * §1.4): say so when that is less than the guest's memory, rather than
 * leave the guest author to find the rest unmapped. */
static const char *unmapped_note(const struct guest *g,
				 const struct loader_result *res)
{
	static char note[160];
	uint64_t mapped = (uint64_t)res->mapped_pages * 4096;

	if (mapped >= g->mem.ram_bytes)
		return "";
	snprintf(note, sizeof(note), "; only its first %u MiB are mapped at "
		 "page_offset at entry (the initial page tables map at most "
		 "2^32 - page_offset bytes, abi.md §1.5)",
		 (unsigned)(mapped >> 20));
	return note;
}

/* Bytes of the bitmap of pages gmem has zeroed (struct gmem's
 * `scrubbed`), for mem_bytes of guest memory. */
static size_t scrub_bytes(const struct guest *g)
{
	return gmem_scrub_words((uint32_t)(g->mem_bytes / GMEM_PAGE_SIZE)) *
	       sizeof(uint32_t);
}

size_t guest_mem_pages(const struct guest *g)
{
	size_t bitmap = g->mem.scrubbed ? scrub_bytes(g) : 0;

	return (g->mem_bytes + bitmap + GMEM_PAGE_SIZE - 1) / GMEM_PAGE_SIZE;
}

/*H:070 Giving back everything a guest holds: its devices, bindings and
 * shadow page tables, its FPU state, its switcher pages and its memory.
 * For a guest that stopped, and for one whose launch failed part way.
 * But not while a disk may still write into that memory: a request the
 * guest left at a disk (or one the disk stalled on) is the device's until
 * it is done, so until then the guest keeps everything, and the
 * scheduler asks again at every turn. Nobody waits for it. :*/
bool guest_release(struct guest *g)
{
	enum device_quiesce q = devices_quiesce(g);

	if (q != DEVICE_IDLE) {
		if (!g->kept)
			hlog("guest %u: a disk still has a request into its "
			     "memory; its memory and devices are kept until "
			     "the disk is done\n", g->id);
		g->kept = true;
		g->kept_stalled = q == DEVICE_STALLED;
		return false;
	}
	if (g->kept)
		hlog("guest %u: the disk is done; its memory and devices are "
		     "given back\n", g->id);
	g->kept = g->kept_stalled = false;
	devices_detach(g);
	dma_unbind_all(g);
	shadow_free_all(g);
	fpu_forget(g);
	g->timer_deadline = 0;
	if (g->switcher_pt)
		palloc_free_page(g->switcher_pt);
	if (g->regs_page)
		palloc_free_page(g->regs_page);
	if (g->cpu_page)
		palloc_free_page(g->cpu_page);
	g->switcher_pt = NULL;
	g->regs_page = g->cpu_page = NULL;
	g->regs = NULL;
	palloc_free_contiguous(g->mem.base, g->mem_bytes);
	if (g->mem.scrubbed)
		palloc_free_contiguous(g->mem.scrubbed, scrub_bytes(g));
	g->mem.base = NULL;
	g->mem.scrubbed = NULL;
	g->mem_bytes = 0;
	return true;
}

unsigned guests_kept(size_t *pages)
{
	unsigned n = 0;

	*pages = 0;
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		if (guests[i].state == GUEST_FREE || !guests[i].kept)
			continue;
		n++;
		*pages += guest_mem_pages(&guests[i]);
	}
	return n;
}

/*H:065 Shadow page tables are taken as a guest touches its memory, long
 * after its launch, from the pool of free pages every guest shares; each
 * guest may hold up to its quota (host/core/shadow.c). So a launch keeps
 * what the guests before it were promised: it goes ahead only if, with
 * its memory taken, the free pages still cover every running guest's
 * unused quota and its own. A guest at its quota recycles its own
 * shadows; no guest can run another out of them (attack_shadow_pool). :*/
size_t shadow_pages_promised(const struct guest *except)
{
	size_t n = 0;

	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		const struct guest *o = &guests[i];
		if (o == except || o->state == GUEST_FREE || guest_dead(o))
			continue;
		if (o->shadow_pages < o->shadow_quota)
			n += o->shadow_quota - o->shadow_pages;
	}
	return n;
}

/* A launch that failed after taking something: say why, give it all back
 * and free the slot. Returns -1 for the caller. */
static int launch_failed(struct guest *g, const char *what, const char *why)
{
	hlog("lguest: %s: %s\n", what, why);
	/* Never deferred: a guest that never ran has nothing in flight. */
	bool released = guest_release(g);
	HOST_ASSERT(released);
	g->state = GUEST_FREE;
	return -1;
}

/* The same, for a launch refused before its image is known: names the
 * module by its whole argument string, quoted. */
static int launch_args_failed(struct guest *g, const char *args,
			      const char *why)
{
	static char quoted[4096];

	snprintf(quoted, sizeof(quoted), "\"%s\"", args);
	return launch_failed(g, quoted, why);
}

/*H:060 Launching a guest. Its devices come first: each device option of
 * its arguments becomes a device of the kind that owns the option
 * (host/core/devices.c), reserved before the guest's memory exists, so
 * that each takes its place in the host's numbering even if the guest
 * then fails (the n-th --block is the n-th disk, whatever the guests
 * before it did), and the console follows them (docs/abi.md §7.4). Then
 * the memory, the loader, the Host's half, and last each device's
 * attach. A failure at any step gives everything back. :*/
int guest_launch_in(struct guest *g, const char *args,
		    const uint8_t *image, size_t image_len,
		    const uint8_t *initrd, size_t initrd_len)
{
	static struct loader_device devs[LOADER_MAX_DEVICES];
	struct loader_result res;
	char err[256];

	memset(g, 0, sizeof(*g));
	g->id = (unsigned)(g - guests);
	if (launch_args_parse(args, device_options, device_option_count,
			      &g->args, err, sizeof(err)))
		return launch_args_failed(g, args, err);
	char why[200];
	if (g->args.respawn && devices_relaunchable(g, why, sizeof(why))) {
		snprintf(err, sizeof(err), "--respawn: %s", why);
		return launch_args_failed(g, args, err);
	}
	if (devices_reserve(g, devs, err, sizeof(err)))
		return launch_args_failed(g, args, err);
	if (g->args.has_initrd && !initrd) {
		snprintf(err, sizeof(err), "--initrd=%s: no initrd module "
			 "follows the guest's module", g->args.initrd);
		return launch_args_failed(g, args, err);
	}
	g->mem.ram_bytes = g->args.mem_mb << 20;
	g->shadow_quota = shadow_quota(g);
	g->mem_bytes = loader_memory_needed(g->mem.ram_bytes, devs,
					    g->args.ndevices);
	/* Not zeroed here: reading 64 MiB to find it zero took most of a
	 * launch. gmem zeroes each page on its first use instead (struct
	 * gmem's `scrubbed`, docs/host-design.md "Boot"). */
	g->mem.base = g->mem_bytes ? palloc_contiguous_unzeroed(g->mem_bytes)
				   : NULL;
	g->mem.scrubbed = g->mem.base ? palloc_contiguous(scrub_bytes(g))
				      : NULL;
	if (g->mem.base && !g->mem.scrubbed) {
		palloc_free_contiguous(g->mem.base, g->mem_bytes);
		g->mem.base = NULL;
	}
	if (!g->mem.base) {
		snprintf(err, sizeof(err), "cannot get %u MiB of host memory "
			 "(%u MiB free): give QEMU more memory (-m) or the "
			 "guest less", g->args.mem_mb,
			 (unsigned)(palloc_free_pages() / 256));
		g->mem_bytes = 0;
		return launch_failed(g, g->args.image, err);
	}
	if (loader_build(&g->mem, image, image_len,
			 g->args.has_initrd ? initrd : NULL, initrd_len,
			 g->args.cmdline, devs, g->args.ndevices, &res, err,
			 sizeof(err)))
		return launch_failed(g, g->args.image, err);
	g->page_offset = res.page_offset;
	if (setup_switcher(g))
		return launch_failed(g, g->args.image, "host out of memory");
	size_t promised = shadow_pages_promised(g), free = palloc_free_pages();
	if (free < promised + g->shadow_quota) {
		snprintf(err, sizeof(err), "not enough host memory left for "
			 "its shadow page tables (its quota is %lu pages; %lu "
			 "are free and %lu promised to the guests before it): "
			 "give QEMU more memory (-m) or the guests less",
			 (unsigned long)g->shadow_quota, (unsigned long)free,
			 (unsigned long)promised);
		return launch_failed(g, g->args.image, err);
	}
	setup_registers(g, res.entry);
	segments_init(g);
	interrupts_write_idt(g);
	fpu_guest_init(g);
	g->state = GUEST_RUNNABLE;
	if (shadow_new_pgtable(g, res.pgdir))
		return launch_failed(g, g->args.image, g->reason);
	if (devices_attach(g, &res, err, sizeof(err)))
		return launch_failed(g, g->args.image, err);
	flight_init(&g->flight, rdtsc());
	hlog("guest %u: %s, %u MiB, entry %#x, page_offset %#x, pfnlimit %#x, "
	     "command line \"%s\"%s\n", g->id, g->args.image, g->args.mem_mb,
	     res.entry, res.page_offset, res.pfnlimit, g->args.cmdline,
	     unmapped_note(g, &res));
	return 0;
}

int guest_launch(const char *args, const uint8_t *image, size_t image_len,
		 const uint8_t *initrd, size_t initrd_len)
{
	struct guest *g = free_slot();

	if (!g) {
		hlog("lguest: \"%s\": too many guests (at most %u)\n", args,
		     MAX_LGUEST_GUESTS);
		return -1;
	}
	if (guest_launch_in(g, args, image, image_len, initrd, initrd_len))
		return -1;
	return (int)g->id;
}
