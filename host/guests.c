/*
 * host/guests.c: the Launcher's half of starting a guest. From a module
 * (a kernel image) and its launcher arguments it builds guest memory with
 * host/loader.c, then sets up what the Host's half needs: the guest's pages
 * in the Switcher region, its CPU tables, its first shadow page directory
 * and the registers of docs/abi.md §1.6. Also guest_kill(), the one way a
 * guest that broke the ABI dies.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fpu.h"
#include "guests.h"
#include "hc_block.h"
#include "hc_tunnet.h"
#include "interrupts.h"
#include "lan.h"
#include "loader.h"
#include "log.h"
#include "palloc.h"
#include "paging.h"
#include "segments.h"
#include "shadow.h"
#include "x86.h"

struct guest guests[MAX_LGUEST_GUESTS];

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

/*H:060 Devices from the options, in order; the loader adds the console
 * after them (docs/abi.md §7.4). Each --block gets the next virtio-blk
 * disk of the host, counted over every guest module in order, before
 * anything else can fail, so one guest's mistake does not shift the
 * disks of the guests after it; each --tunnet gets the next virtio-net
 * NIC the same way. A --sharenet device gets the lowest free
 * slot of its LAN, which goes into its features as in 2.6.23. :*/
static int collect_devices(const struct launch_args *a,
			   struct loader_device *devs, int *backing, char *err,
			   size_t errlen)
{
	int bad = 0;

	for (unsigned i = 0; i < a->ndevices; i++) {
		const struct launch_device *d = &a->devices[i];
		if (d->kind == LAUNCH_DEV_BLOCK) {
			devs[i].type = LGUEST_DEVICE_T_BLOCK;
			devs[i].features = LGUEST_DEVICE_F_RANDOMNESS;
			devs[i].num_pages = 1;
			backing[i] = hc_block_reserve(d->name, err, errlen);
		} else if (d->kind == LAUNCH_DEV_TUNNET) {
			devs[i].type = LGUEST_DEVICE_T_NET;
			devs[i].features = NET_PEERNUM |
					   LGUEST_DEVICE_F_RANDOMNESS;
			devs[i].num_pages = 1;
			backing[i] = hc_tunnet_reserve(d->name, err, errlen);
		} else {
			continue;
		}
		if (backing[i] < 0 && !bad)
			bad = -1;	/* keep counting, report the first */
	}
	if (bad)
		return -1;
	for (unsigned i = 0; i < a->ndevices; i++) {
		const struct launch_device *d = &a->devices[i];
		switch (d->kind) {
		case LAUNCH_DEV_BLOCK:
			break;
		case LAUNCH_DEV_SHARENET: {
			unsigned taken = 0;	/* same LAN, earlier device */
			for (unsigned j = 0; j < i; j++)
				taken += a->devices[j].kind ==
					 LAUNCH_DEV_SHARENET &&
					 strcmp(a->devices[j].name,
						d->name) == 0;
			int slot = lan_free_slot(d->name, taken, err, errlen);
			if (slot < 0)
				return -1;
			devs[i].type = LGUEST_DEVICE_T_NET;
			devs[i].features = (uint16_t)(slot |
						      LGUEST_NET_F_NOCSUM);
			devs[i].num_pages = 1;
			backing[i] = slot;
			break;
		}
		case LAUNCH_DEV_TUNNET:
			break;
		}
	}
	return 0;
}

/* Hand each device its backing, now that its page exists. */
static int attach_devices(struct guest *g, const struct loader_result *res,
			  const int *backing, char *err, size_t errlen)
{
	for (unsigned i = 0; i < g->args.ndevices; i++) {
		const struct launch_device *d = &g->args.devices[i];
		g->device_type[i] = d->type;
		g->device_pfn[i] = res->device_pfn[i];
		if (d->kind == LAUNCH_DEV_BLOCK &&
		    hc_block_attach(g, i, res->device_pfn[i],
				    (unsigned)backing[i], d->name, err, errlen))
			return -1;
		if (d->kind == LAUNCH_DEV_TUNNET &&
		    hc_tunnet_attach(g, i, res->device_pfn[i],
				     (unsigned)backing[i], d->name, err, errlen))
			return -1;
		if (d->kind == LAUNCH_DEV_SHARENET &&
		    lan_join(g, i, res->device_pfn[i], d->name,
			     (unsigned)backing[i], err, errlen)) {
			lan_guest_done(g);
			return -1;
		}
	}
	g->device_type[g->args.ndevices] = LGUEST_DEVICE_T_CONSOLE;
	return 0;
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

int guest_launch(const char *args, const uint8_t *image, size_t image_len,
		 const uint8_t *initrd, size_t initrd_len)
{
	static struct loader_device devs[LOADER_MAX_DEVICES];
	static int backing[LOADER_MAX_DEVICES];
	struct loader_result res;
	char err[256];
	struct guest *g = free_slot();

	if (!g) {
		hlog("lguest: \"%s\": too many guests (at most %u)\n", args,
		     MAX_LGUEST_GUESTS);
		return -1;
	}
	memset(g, 0, sizeof(*g));
	g->id = (unsigned)(g - guests);
	if (launch_args_parse(args, &g->args, err, sizeof(err)) ||
	    collect_devices(&g->args, devs, backing, err, sizeof(err))) {
		hlog("lguest: \"%s\": %s\n", args, err);
		return -1;
	}
	if (g->args.has_initrd && !initrd) {
		hlog("lguest: \"%s\": --initrd=%s: no initrd module follows the "
		     "guest's module\n", args, g->args.initrd);
		return -1;
	}
	g->mem.ram_bytes = g->args.mem_mb << 20;
	size_t bytes = loader_memory_needed(g->mem.ram_bytes, devs,
					    g->args.ndevices);
	g->mem.base = bytes ? palloc_contiguous(bytes) : NULL;
	if (!g->mem.base) {
		hlog("lguest: %s: cannot get %u MiB of host memory (%u MiB "
		     "free): give QEMU more memory (-m) or the guest less\n",
		     g->args.image, g->args.mem_mb,
		     (unsigned)(palloc_free_pages() / 256));
		return -1;
	}
	if (loader_build(&g->mem, image, image_len,
			 g->args.has_initrd ? initrd : NULL, initrd_len,
			 g->args.cmdline, devs, g->args.ndevices, &res, err,
			 sizeof(err))) {
		hlog("lguest: %s: %s\n", g->args.image, err);
		return -1;
	}
	g->page_offset = res.page_offset;
	g->device_page = res.device_page;
	g->ndevices = res.ndevices;
	g->console_index = (int)res.ndevices - 1;
	if (setup_switcher(g)) {
		hlog("lguest: %s: host out of memory\n", g->args.image);
		return -1;
	}
	setup_registers(g, res.entry);
	segments_init(g);
	interrupts_write_idt(g);
	fpu_guest_init(g);
	g->state = GUEST_RUNNABLE;
	if (shadow_new_pgtable(g, res.pgdir)) {
		hlog("lguest: %s: %s\n", g->args.image, g->reason);
		g->state = GUEST_FREE;
		return -1;
	}
	/* Last, so that a guest that failed to start holds no disk. */
	if (attach_devices(g, &res, backing, err, sizeof(err))) {
		hlog("lguest: %s: %s\n", g->args.image, err);
		g->state = GUEST_FREE;
		return -1;
	}
	flight_init(&g->flight, rdtsc());
	hlog("guest %u: %s, %u MiB, entry %#x, page_offset %#x, pfnlimit %#x, "
	     "command line \"%s\"%s\n", g->id, g->args.image, g->args.mem_mb,
	     res.entry, res.page_offset, res.pfnlimit, g->args.cmdline,
	     unmapped_note(g, &res));
	return 0;
}
