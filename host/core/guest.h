/*
 * host/core/guest.h: everything the host knows about one guest. One struct
 * per guest, in a fixed table of MAX_LGUEST_GUESTS; the guest's id is its
 * index and becomes lguest_data.guestid. The host runs one guest at a
 * time. The core's own business: devices see a guest only through
 * host/core/device.h.
 */
#ifndef LGREF_HOST_GUEST_H
#define LGREF_HOST_GUEST_H

#include <lguest/launcher.h>
#include <lguest/lguest.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/device.h"
#include "core/flight.h"
#include "rules/gmem.h"
#include "rules/launch_args.h"
#include "arch/switcher.h"

/* How a guest ended; decides the host's exit status. */
enum guest_state {
	GUEST_FREE,	  /* table slot unused */
	GUEST_RUNNABLE,	  /* runs when scheduled */
	GUEST_HALTED,	  /* LHCALL_HALT: waits for an interrupt */
	GUEST_POWERED_OFF, /* CRASH "Power down" */
	GUEST_CRASHED,	  /* CRASH with any other message */
	GUEST_KILLED,	  /* broke the ABI */
};

/* One shadow page directory, cached by the guest's directory address. */
struct shadow_pgdir {
	uint32_t guest_pgdir;	/* gpa of the guest's directory; 0 = unused */
	uint32_t *pd;		/* host page: the directory the CPU uses */
};

/* One BIND_DMA binding (docs/abi.md §6.3). */
struct dma_binding {
	gpa_t key;		/* 0 with irq 0: slot unused */
	gpa_t array;		/* first struct lguest_dma of the array */
	uint16_t count;
	uint8_t irq;		/* 1..31; 0 = slot free */
	uint16_t next;		/* cursor for guest-to-guest sends */
	uint32_t serial;	/* creation order over all guests; newest
				 * wins on lookup */
	uintptr_t identity;	/* key in a shared page: the host memory it
				 * names (host/core/dma_peer.h); else 0 */
	/* GETDMA's bounded search (host/core/dma.c): where the next search
	 * of a long array starts, and how many entries were seen full since
	 * the owner's exit count was last full_exits. */
	uint16_t scan;
	uint32_t full_seen;
	uint64_t full_exits;
};

/* At most this many entries of a receive array are looked at per search
 * (GETDMA, a guest-to-guest send). Linux binds 1 (console) or 8 (net). */
#define DMA_SCAN_MAX 64

/* A guest-to-guest sender's memo of a receiver it found
 * (host/core/dma_peer.c): the binding, its owner, and what made it the
 * one: its serial, and the newest serial of all bindings then. */
struct dma_peer_memo {
	uintptr_t identity;	/* 0: unused */
	struct dma_binding *b;
	struct guest *owner;
	uint32_t serial, newest;
};
#define DMA_PEER_MEMOS 4

struct guest {
	/* What every exit reads or writes comes first, with the flight
	 * recorder: the struct is page-aligned, so these share one page
	 * (host/arch/hot.h says why that matters). */
	unsigned id;
	enum guest_state state;
	bool initialised;	/* LHCALL_LGUEST_INIT done */
	bool ts;		/* virtual CR0.TS */
	bool fpu_live;		/* FPU holds this guest's state */
	/* The world switch: this guest's pages in the Switcher region. */
	uint32_t *switcher_pt;	/* page table mapped at 0xFFC00000 */
	uint8_t *regs_page;	/* writable page: trap frame and registers */
	uint8_t *cpu_page;	/* read-only page: GDT, IDT, TSS */
	struct guest_regs *regs;
	/* What the CPU page's three entry words hold (host/core/run.c writes
	 * them only when they change: the page then stays untouched on the
	 * host's side of most exits). A fresh CPU page is all zero. */
	uint32_t cpu_cr3, cpu_fast_ok, cpu_ring_slot;
	/* lguest_data and the async ring (docs/abi.md §2). */
	gpa_t lguest_data;	/* its gpa */
	/* The same, as a host pointer: checked once at LGUEST_INIT (it lies
	 * wholly in guest memory, which never moves), then used on every
	 * exit without going through gmem again. */
	volatile struct lguest_data *data;
	uint32_t noirq_start, noirq_end;
	unsigned hcall_cursor;
	uint32_t irq_pending;	/* bit n: virtual IRQ n pending */
	/* A halted (or handed-off) guest that this one's last guest-to-guest
	 * send raised an IRQ in: the scheduler runs it next, in what is left
	 * of this one's slice, if the IRQ wakes it (H:145). NULL: none. Set by
	 * host/core/dma_peer.c, taken by host/core/run.c. */
	struct guest *yield_to;
	/* It handed the CPU on that way and waits, runnable, to go on in the
	 * same turn (host/core/run.c run_turn()). */
	bool handed_off;
	/* Paging (docs/abi.md §5): the directory in use. */
	unsigned cur_pgdir;
	struct shadow_pgdir pgdirs[LGUEST_SHADOW_PGDIRS];
	/* Counters for --verbose and `make bench`. */
	uint64_t exits, hypercalls, page_faults, irqs_injected;
	/* The last exits, printed if it is killed or crashes. */
	struct flight flight;
	/* Memory and devices: every DMA and every interrupt delivery. */
	struct gmem mem;	/* guest-physical 0 .. pfnlimit * 4096 */
	uint32_t page_offset;
	unsigned ndevices;	/* in dev[], the console last */
	struct device dev[LGUEST_MAX_DEVICES];
	/* Interrupts (docs/abi.md §4): the gates, for every delivery. */
	uint32_t idt_lo[LGUEST_IDT_STORED_VECTORS + 1]; /* [64] is 0x80 */
	uint32_t idt_hi[LGUEST_IDT_STORED_VECTORS + 1];
	/* (The end of the exit path's page: see the assertion below.) */

	char reason[192];	/* why it stopped (first reason wins) */

	/* Launcher role. */
	struct launch_args args;
	size_t mem_bytes;	/* of host memory at mem.base (palloc) */
	/* It stopped, but a device still had a transfer in flight into its
	 * memory: everything it holds is kept until that is done
	 * (guest_release()). kept_stalled: on stalled hardware. */
	bool kept, kept_stalled;

	/* Segments and the FPU. */
	uint32_t gdt_lo[GDT_ENTRIES], gdt_hi[GDT_ENTRIES];
	uint32_t ss1, esp1, stack_pages;	/* SET_STACK */
	uint8_t fpu_state[512] __attribute__((aligned(16)));

	/* Time. */
	uint64_t timer_deadline;	/* TSC value; 0 = no timer armed */

	/* Paging (docs/abi.md §5). */
	uint32_t guest_cr3;		/* gpa of the current guest directory */
	uint32_t pin_count;		/* random slot choice, see shadow.c */
	uint32_t shadow_pages;		/* host pages of its shadow tables */
	uint32_t shadow_quota;		/* at most this many (shadow.c) */
	uint32_t shadow_recycles;	/* times it reached the quota */
	bool shadow_recycling;		/* a recycle is under way */

	/* DMA (docs/abi.md §6). */
	/* The last answer of find_binding() (host/core/dma.c): a block
	 * device asks for the same key on every request. Used only while
	 * the binding is live with the same key and serial and the guest
	 * has made no binding since (dma_binds): then it is still the
	 * newest live one at that key. */
	struct dma_binding *dma_memo;
	uint32_t dma_memo_serial;
	uint32_t dma_memo_binds;
	uint32_t dma_binds;		/* bindings this guest has made */
	struct dma_binding dma[LGUEST_MAX_DMA];
	/* The receivers of its last guest-to-guest sends, so that a send
	 * need not look at every guest's bindings (host/core/dma_peer.c). */
	struct dma_peer_memo peer_memo[DMA_PEER_MEMOS];
	unsigned peer_memo_next;
} __attribute__((aligned(4096)));

_Static_assert(offsetof(struct guest, reason) <= 4096,
	       "struct guest: the exit path's fields fill more than a page");

extern struct guest guests[MAX_LGUEST_GUESTS];

/* IRQs raised in guests that were halted (guest_set_pending()). A guest
 * that runs alone, unsliced, ends its turn when this moves, so that the
 * scheduler sees the guest that may have woken (H:140). */
extern unsigned guest_halted_raises;

/* The one place virtual IRQs become pending (guest_raise_irq(), and the
 * IRQs a test's inject mode held back, host/core/inject.c): a halted
 * guest may wake, so that is counted. */
static inline void guest_set_pending(struct guest *g, uint32_t mask)
{
	g->irq_pending |= mask;
	guest_halted_raises += g->state == GUEST_HALTED;
}

/* Kill a guest that broke the ABI: record the first reason, never run it
 * again, tell the host's log. Safe to call more than once. */
void guest_kill(struct guest *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Has the guest stopped for good (killed, crashed or powered off)? */
static inline bool guest_dead(const struct guest *g)
{
	return g->state >= GUEST_POWERED_OFF;
}

/* Make virtual IRQ n pending and wake the guest if it is halted. */
void guest_raise_irq(struct guest *g, unsigned irq);


#endif
