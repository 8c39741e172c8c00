/*
 * host/core/device.h: what a device is to the host's core, and everything
 * the core offers a device. Nothing else of the core is a device's
 * business: host/dev/ files include this header, never core/guest.h
 * (scripts/include_arrows.py checks it), so a guest is an opaque pointer
 * to them and its memory is reached only through host/rules/gmem.h.
 *
 * The pattern is Solo5's tender modules. Each device kind is one file in
 * host/dev/ that fills in a struct device_ops; host/dev/table.c lists the
 * kinds. The core (launch, SEND_DMA routing, the run loop, hardware
 * interrupts, teardown, leaving QEMU) loops over that table and names no
 * device. docs/host-design.md "Adding a device" walks through writing one.
 *
 * A device's life: reserve() when its guest is launched, before the
 * guest's memory exists (claim the hardware behind it, say how many pages
 * it needs); attach() once its page is in guest memory; send() for every
 * SEND_DMA of its guest that the core could not route elsewhere;
 * quiesce() and then detach() when its guest stops, or when the launch
 * failed after reserve(). Kinds
 * also get host-wide calls: host_init() at start-up, poll() at every exit
 * and turn of the run loop, recover() and hw_irq() for their hardware,
 * run_start() when every guest is launched, host_exit() before the host
 * leaves QEMU.
 */
#ifndef LGREF_HOST_CORE_DEVICE_H
#define LGREF_HOST_CORE_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lguest/launcher.h>
#include <lguest/lguest.h>

#include "rules/gmem.h"
#include "rules/inject_args.h"

struct guest;
struct device;

/* What quiesce() says: nothing of the guest's is in flight any more; a
 * transfer is, and should end soon; or one is, on hardware that has
 * stalled (it may end late, or never). */
enum device_quiesce { DEVICE_IDLE, DEVICE_BUSY, DEVICE_STALLED };

struct device_ops {
	const char *name;	/* for messages: "block", "console", ... */
	/* The Launcher option that makes one ("block" for --block=FILE), or
	 * NULL for a kind every guest gets (the console, added after the
	 * devices of its options, docs/abi.md §7.4). */
	const char *option;
	uint16_t type;		/* LGUEST_DEVICE_T_* of its descriptor */
	/* May a guest with a device of this kind be launched again when it
	 * stops (--respawn, host/core/guests.h)? Only if reserve() claims
	 * the same thing again for the same value once detach() gave it
	 * back: a LAN slot by its name, the console by the guest id; not
	 * "the n-th disk of the host" (--block), which a second reserve()
	 * would take as the next one. */
	bool reserve_again;

	/* Host start-up, before any guest: find the hardware behind the
	 * kind. cmdline is the host's command line, for the kind's words. */
	void (*host_init)(const char *cmdline);

	/* Launch, before the guest's memory exists: claim what backs `value`
	 * (the option's value; "" for a kind with no option), and set
	 * d->features and d->num_pages. May set d->priv. Returns 0, or -1
	 * with one line in err; detach() follows either way if the launch
	 * does not go on. */
	int (*reserve)(struct device *d, const char *value, char *err,
		       size_t errlen);

	/* Launch, once d->page (its first device page) is guest memory:
	 * set the page up. 0, or -1 with err. Optional. */
	int (*attach)(struct device *d, char *err, size_t errlen);

	/* SEND_DMA from d's guest to `key`: if the key is this device's,
	 * serve *dma (the host's copy of the lguest_dma at dma_gpa) and
	 * return true. Optional. */
	bool (*send)(struct device *d, gpa_t key, gpa_t dma_gpa,
		     const struct lguest_dma *dma);

	/* d's guest stopped, or its launch failed after reserve(): start no
	 * more transfers into or out of its guest's memory, and say whether
	 * one is still in flight (the disk's, say). Must not wait for
	 * hardware. Called for every device of the guest before any is
	 * detached; while any says BUSY or STALLED, nothing of the guest is
	 * detached or freed, and the core asks again at every turn of the
	 * scheduler: so no device of the guest touches memory that is
	 * given back. Optional (IDLE). */
	enum device_quiesce (*quiesce)(struct device *d);

	/* Then (every device of the guest quiesced to IDLE): print d's
	 * counters if it ran, and release everything reserve() and attach()
	 * took. Called once per reserve(). Optional. */
	void (*detach)(struct device *d);

	/* Host-wide, all optional: at every exit and turn of the run loop,
	 * deliver input to guests (cheap when there is none); would poll()
	 * deliver something now (then a guest's null hypercall may not stay
	 * in the switcher, so that poll() runs)?; once per turn of the
	 * scheduler, look at the hardware as if its interrupt had come (an
	 * edge may have been lost); a hardware interrupt on PIC line irq
	 * (lines are shared, so look at each device of the kind on it, and
	 * return true if any of them had raised it: the core calls again
	 * until a whole round finds none, docs/host-design.md "Hardware
	 * interrupts"); every guest is launched and the run loop begins;
	 * the host is about to leave QEMU (finish what is in flight). */
	void (*poll)(void);
	bool (*input_pending)(void);
	/* Optional: a word of the kind's that is 0 whenever poll() and
	 * input_pending() would do nothing. The core then calls them only
	 * while it is non-zero: a call through a pointer costs a software
	 * TLB and jump cache refill on the exit path (host/arch/hot.h), a
	 * load does not. Put the word on the exit path's page. */
	const volatile unsigned *poll_hint;
	void (*recover)(void);
	bool (*hw_irq)(unsigned irq);
	void (*run_start)(void);
	void (*host_exit)(void);

	/* Pages the kind took from the host's allocator after host_init()
	 * and holds now (a LAN's shared page), for the host's ledger of
	 * pages (host/core/guests.h guests_ledger()). Optional (none). */
	size_t (*pages_held)(void);
};

/* One device of one guest. The core fills in every field but priv and
 * the descriptor's features and num_pages, which reserve() sets. */
struct device {
	const struct device_ops *ops;
	struct guest *g;
	unsigned index;		/* descriptor index; its IRQ is index + 1 */
	uint16_t features;	/* descriptor features */
	uint16_t num_pages;	/* device pages after the descriptor page */
	gpa_t page;		/* its first device page (0 if none) */
	bool attached;		/* attach() succeeded, so it ran */
	void *priv;		/* the kind's own state */
};

/* The device kinds, in host/dev/table.c. */
extern const struct device_ops *const device_kinds[];
extern const unsigned device_kind_count;

/* ---------------------------------------------------------------------
 * The core, for devices. Guest memory is gmem_*() on guest_mem(g).
 */

/* The guest's memory, for host/rules/gmem.h. */
struct gmem *guest_mem(struct guest *g);

/* Its id (0..15, lguest_data.guestid). */
unsigned guest_id(const struct guest *g);

/* Has it stopped for good (powered off, crashed or killed)? A device of
 * a stopped guest must not touch its memory any more. */
bool guest_stopped(const struct guest *g);

/* Is it halted, waiting for an interrupt (LHCALL_HALT)? */
bool guest_halted(const struct guest *g);

/* Has it made LHCALL_LGUEST_INIT? */
bool guest_initialised(const struct guest *g);

/* Did its launcher options say --verbose? */
bool guest_verbose(const struct guest *g);

/* How many times it has left the guest so far (for per-request counts). */
uint64_t guest_exits(const struct guest *g);

/* Make its virtual IRQ `irq` pending; a halted guest wakes if it would
 * take it (docs/abi.md §4.3). */
void guest_raise_irq(struct guest *g, unsigned irq);

/* Kill it for breaking the ABI (first reason wins; docs/abi.md §14.1). */
void guest_kill(struct guest *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Could any guest but g use the CPU now? (A device may spin waiting for
 * its hardware only when nobody else could.) */
bool guests_other_runnable(const struct guest *g);

/* GETDMA (docs/abi.md §6.5): a free receive buffer (used_len 0) bound at
 * `key` by g's newest binding, claimed by writing the binding's IRQ into
 * its used_len. 0 with *buf (its lguest_dma's gpa) and *irq set, or -1
 * when there is none: the caller keeps its data and retries later. A bad
 * array kills g (then -1 too). */
int dma_get_buffer(struct guest *g, gpa_t key, gpa_t *buf, unsigned *irq);

/* The same, for a device that copies the claimed lguest_dma at once (the
 * block device's reply): each entry looked at is copied whole into *copy
 * with one read, where dma_get_buffer() reads its used_len and the caller
 * then the whole, so a claim costs one read of guest memory, not two.
 * 0: claimed, *copy is it as it is now (used_len = *irq); 1: claimed, but
 * it does not lie wholly inside guest memory (*copy undefined); -1 as
 * dma_get_buffer(). */
int dma_claim_buffer(struct guest *g, gpa_t key, gpa_t *buf, unsigned *irq,
		     struct lguest_dma *copy);

/* Has g bound any receive buffer at `key`? */
bool dma_has_binding(struct guest *g, gpa_t key);

/* ---------------------------------------------------------------------
 * Fault injection, for tests only (the host word inject=,
 * host/core/inject.c, docs/host-design.md "Fault injection"). Each site
 * that can inject a fault asks inject_should(mode, site) once per event
 * (a block request, a frame): a counter per mode says yes to every Nth.
 * With inject= absent it costs one load and a branch.
 */

/* Where a fault happens, for the counters at the end. */
enum inject_site {
	INJECT_SITE_BLOCK,	/* a block request */
	INJECT_SITE_TUNNET_TX,	/* a frame a guest sends out of --tunnet */
	INJECT_SITE_TUNNET_RX,	/* a frame from the NIC for a guest */
	INJECT_SITE_PEER,	/* a guest-to-guest frame (--sharenet) */
	INJECT_SITES
};

/* Bit m: mode m is on. */
extern uint32_t inject_modes_on;
#define INJECT_NET_MODES ((1u << INJECT_NET_DROP) | (1u << INJECT_NET_DUP) | \
			  (1u << INJECT_NET_REORDER))

/* Count one event of mode m at site s: true for every Nth (counted over
 * every site of the host), which the caller then injects. */
bool inject_count(enum inject_mode m, enum inject_site s);

static inline bool inject_should(enum inject_mode m, enum inject_site s)
{
	return __builtin_expect((inject_modes_on >> m) & 1, 0) &&
	       inject_count(m, s);
}

/* A mode's N (0: off). */
uint32_t inject_n(enum inject_mode m);

/* Count a second kind of outcome of mode m, for its line at the end:
 * blk-fail: a retry of a failed request failed again (0); net-dup: no
 * free buffer for the copy (0); net-reorder: the held frame went after
 * the next one (0), or alone after INJECT_REORDER_MS (1), or found no
 * free buffer then (2). */
void inject_note(enum inject_mode m, unsigned what);

/* A frame held back by net-reorder, until the next frame on its way
 * has gone, or INJECT_REORDER_MS. */
#define INJECT_FRAME_MAX 4096u
#define INJECT_REORDER_MS 100u
struct inject_frame {
	bool full;
	uint32_t len;
	uint64_t since;		/* TSC when it was held */
	uint8_t data[INJECT_FRAME_MAX];
};

/* Hold `len` bytes (len <= INJECT_FRAME_MAX) in f, which is empty (data
 * may be f->data itself, already filled). */
void inject_frame_hold(struct inject_frame *f, const void *data,
		       uint32_t len);

/* Has f's frame waited INJECT_REORDER_MS? If not, the host's alarm is
 * armed for that moment, so a host with nothing else to do wakes. */
bool inject_frame_due(const struct inject_frame *f);

#endif
