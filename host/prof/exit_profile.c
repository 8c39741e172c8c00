/*
 * host/prof/exit_profile.c: medians and 99th percentiles of the stages of
 * a served hypercall (host/core/exit_hooks.h). Each stage keeps a
 * histogram of 100 ns buckets up to 25.6 µs, enough for a median; longer
 * samples land in the last one (a p99 there reads 25550: "at least").
 * Linked into build/host-prof.elf only.
 */
#include <string.h>

#include "arch/clock.h"
#include "core/exit_hooks.h"
#include "core/guest.h"
#include "arch/log.h"
#include "arch/switcher.h"
#include "arch/x86.h"
#include "backends/virtio_blk.h"

#define BUCKET_NS 100u
#define BUCKETS 256u

enum stage {
	STAGE_GUEST_CR3,	/* lgdt, lidt and the %cr3 load into the guest */
	STAGE_GUEST,		/* pop, iret, the guest up to int, the trap */
	STAGE_HOST_CR3,		/* %cr3 load home, GDT, IDT, segments */
	STAGE_RETURN,		/* back into the C caller of switcher_run() */
	STAGE_HOST_C,		/* serve the hypercall, until the next entry */
	STAGE_WHOLE,		/* from the stamp before entry to the next */
	/* SEND_DMA exits in which a disk read was done (a guest's block
	 * read answered in its own exit): host C, and host C less the
	 * disk's time within it (submit, notify included, to the
	 * completion seen: host/backends/virtio_blk.h vblk_device_tsc). */
	STAGE_SEND_DMA_C,
	STAGE_SEND_DMA_OWN,
	STAGES
};

static const char *const stage_names[STAGES] = {
	"exit_guest_cr3_ns", "exit_guest_part_ns", "exit_host_cr3_ns",
	"exit_return_ns", "exit_host_c_ns", "exit_whole_ns",
	"exit_send_dma_host_c_ns", "exit_send_dma_own_ns",
};

static uint32_t hist[STAGES][BUCKETS];
static uint64_t entered;	/* TSC at the last exit_profile_entry() */
static uint64_t exit_at;	/* 0: the last exit is not counted */
static uint64_t whole_from;	/* its entry, for STAGE_WHOLE */
static bool send_dma;		/* the last exit is a SEND_DMA */
static uint64_t device_at;	/* vblk_device_tsc then */
static uint32_t reads_at;	/* vblk_reads_done then */

/* The 100 ns bucket of an interval, with one 32-bit division: this runs
 * four to eight times per exit inside the intervals it measures, and
 * clock_tsc_to_ns() would be three 64-bit divisions (libgcc calls) each,
 * which inflated the host C stage by their own cost. */
static void add(enum stage s, uint64_t tsc)
{
	uint32_t per_bucket = tsc_khz / (1000000u / BUCKET_NS);
	uint64_t top = (uint64_t)(per_bucket ? per_bucket : 1) * BUCKETS;
	uint32_t b = tsc < top ? (uint32_t)tsc / (per_bucket ? per_bucket : 1)
			       : BUCKETS;

	hist[s][b < BUCKETS ? b : BUCKETS - 1]++;
}

/* TSC differences between 32-bit stamps; a stage never takes 2^32 ticks. */
static uint32_t stamp(const struct guest *g, unsigned off)
{
	const uint8_t *page = (const uint8_t *)((uintptr_t)g->regs & ~0xFFFu);

	return *(const volatile uint32_t *)(page + off);
}

static uint64_t stage_count(enum stage s)
{
	uint64_t total = 0;

	for (unsigned b = 0; b < BUCKETS; b++)
		total += hist[s][b];
	return total;
}

void exit_profile_exit(const struct guest *g)
{
	uint64_t now = rdtsc();

	exit_at = 0;
	if (g->regs->trapnum != LGUEST_TRAP_ENTRY)
		return;
	uint32_t enter = stamp(g, EXIT_STAMP_ENTER);
	uint32_t in = stamp(g, EXIT_STAMP_GUEST_CR3);
	uint32_t trap = stamp(g, EXIT_STAMP_TRAP);
	uint32_t home = stamp(g, EXIT_STAMP_HOST_CR3);
	add(STAGE_GUEST_CR3, in - enter);
	add(STAGE_GUEST, trap - in);
	add(STAGE_HOST_CR3, home - trap);
	add(STAGE_RETURN, (uint32_t)now - home);
	whole_from = entered;
	exit_at = now;
	send_dma = g->regs->eax == LHCALL_SEND_DMA;
	device_at = vblk_device_tsc;
	reads_at = vblk_reads_done;
}

void exit_profile_entry(void)
{
	uint64_t now = rdtsc();

	if (exit_at) {
		add(STAGE_HOST_C, now - exit_at);
		add(STAGE_WHOLE, now - whole_from);
		if (send_dma && vblk_reads_done != reads_at) {
			uint64_t dev = vblk_device_tsc - device_at;
			add(STAGE_SEND_DMA_C, now - exit_at);
			add(STAGE_SEND_DMA_OWN, now - exit_at > dev ?
				now - exit_at - dev : 0);
		}
		exit_at = 0;
	}
	entered = now;
}

/* The middle of the bucket holding the PCT-th percentile of stage S
 * (nearest rank); 0 when the stage has no samples. */
static unsigned long percentile_ns(enum stage s, unsigned pct)
{
	uint64_t total = stage_count(s), seen = 0;

	for (unsigned b = 0; b < BUCKETS && total; b++) {
		seen += hist[s][b];
		if (seen * 100 >= total * pct)
			return b * BUCKET_NS + BUCKET_NS / 2;
	}
	return 0;
}

/* "EXITPROF exit_whole_ns=<p50>" and "EXITPROF exit_whole_p99_ns=<p99>"
 * per stage (scripts/bench.py reads them). */
void exit_profile_report(const struct guest *g)
{
	for (unsigned s = 0; s < STAGES; s++) {
		if (!stage_count(s))
			continue;
		size_t len = strlen(stage_names[s]) - 3;	/* no "_ns" */
		hlog("EXITPROF %s=%lu\n", stage_names[s], percentile_ns(s, 50));
		hlog("EXITPROF %.*s_p99_ns=%lu\n", (int)len, stage_names[s],
		     percentile_ns(s, 99));
		/* The low end too: on a loaded machine the p50 moves with
		 * the other jobs, the p10 much less (A/B comparisons). */
		hlog("EXITPROF %.*s_p10_ns=%lu\n", (int)len, stage_names[s],
		     percentile_ns(s, 10));
	}
	hlog("EXITPROF served_hypercalls=%lu\n",
	     (unsigned long)stage_count(STAGE_WHOLE));
	if (stage_count(STAGE_SEND_DMA_C))
		hlog("EXITPROF send_dma_read_exits=%lu\n",
		     (unsigned long)stage_count(STAGE_SEND_DMA_C));
	hlog("guest %u: exit profile printed (EXITPROF lines)\n", g->id);
	memset(hist, 0, sizeof(hist));
}
