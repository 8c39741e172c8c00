/*
 * host/backends/virtio_blk.h: the host's driver for legacy virtio-blk PCI disks
 * (QEMU `-device virtio-blk-pci,disable-modern=on`), the storage behind
 * the guests' lguest block devices (host/dev/block.c) and the native
 * benchmark (host/prof/blkbench.c).
 *
 * One virtqueue per disk and one request in flight per disk, which is all
 * the lguest block ABI can ask for (docs/abi.md §8.2). A request names
 * host-physical segments, so guest pages go to the device directly (no
 * copy). Completion is found by polling the used ring, either for a short
 * spin right after submitting or when the disk's PCI interrupt (INTx via
 * the 8259) arrives; docs/host-design.md "Block devices" says why.
 */
#ifndef LGREF_HOST_VIRTIO_BLK_H
#define LGREF_HOST_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/pci.h"
#include "backends/virtio.h"
#include "backends/virtio_pci.h"

#define VBLK_MAX_DISKS 16	/* the lguest device page holds 16 devices */
#define VBLK_MAX_SEGS 64	/* data segments per request (queue: 66) */
#define VBLK_NO_IRQ VIRTIO_NO_IRQ	/* no usable interrupt line: poll only */

/* How writes are made durable before they are acknowledged. */
enum vblk_durability {
	VBLK_WRITETHROUGH, /* FLUSH not negotiated: QEMU writes through */
	VBLK_FLUSH,	   /* FLUSH negotiated, one sent after each write */
	VBLK_UNSAFE,	   /* FLUSH negotiated, never sent (measurement only) */
};

struct vblk;

/* Called once per request, when it (and its flush, if any) has finished;
 * ok is false if the device reported an error. Runs from vblk_poll(),
 * which may be called from the interrupt path. */
typedef void (*vblk_done_fn)(struct vblk *d, bool ok, void *ctx);

/* One host-physical piece of a request's data. */
struct vblk_seg {
	uint32_t addr;
	uint32_t len;
};

enum vblk_state { VBLK_IDLE, VBLK_DATA, VBLK_FLUSHING };

struct vblk {
	unsigned index;		/* position in PCI scan order */
	struct pci_dev pci;
	uint16_t io;		/* I/O BAR0 */
	uint8_t irq;		/* 8259 line, or VBLK_NO_IRQ */
	bool read_only;		/* VIRTIO_BLK_F_RO offered */
	bool flush;		/* VIRTIO_BLK_F_FLUSH negotiated */
	uint64_t sectors;	/* capacity, 512-byte sectors */
	uint16_t qsize;

	struct vring_desc *desc;
	struct vring_avail *avail;
	volatile struct vring_used *used;
	uint16_t avail_idx;	/* next free slot in the available ring */
	uint16_t used_idx;	/* used entries consumed so far */
	struct virtio_blk_outhdr *hdr;	/* the one request header */
	volatile uint8_t *status;	/* its status byte */

	/* The request in flight. */
	enum vblk_state state;
	bool is_write;
	vblk_done_fn done;
	void *ctx;
	bool last_ok;		/* outcome of the last finished request */
	uint64_t submit_tsc;	/* when the current stage was submitted */

	/* Counters (host/dev/block.c prints them). */
	uint64_t requests[2], flushes, errors;	/* [is_write] */
	uint64_t data_tsc[2], flush_tsc;	/* device time, summed */
	uint64_t notify_tsc;		/* in the notify port write, summed */
	/* The last data stage's: device time and notify write (TSC). */
	uint64_t last_took, last_notify;
	/* How completions were found: while someone waited (vblk_spin(),
	 * vblk_wait()), or later (the interrupt, the scheduler's poll). */
	uint64_t waited, later;
	uint64_t interrupts;	/* its ISR read non-zero */
};

/* Durability mode for every disk; set before vblk_init(). */
extern enum vblk_durability vblk_durability;

/* Find and start every legacy virtio-blk function, in PCI order, and
 * unmask their interrupt lines. Logs one line per disk. Returns the
 * number of disks ready. */
unsigned vblk_init(void);

unsigned vblk_count(void);
struct vblk *vblk_disk(unsigned n);	/* NULL if n >= vblk_count() */

/*
 * Start a read (is_write false: the device fills segs) or write of
 * nseg <= VBLK_MAX_SEGS segments at sector. The disk must be idle; the
 * caller has checked the range against d->sectors and that the lengths
 * add up to a multiple of 512. done (may be NULL) is called when the
 * request has finished: after the data, and for a write in VBLK_FLUSH
 * mode after the flush too.
 */
void vblk_submit(struct vblk *d, bool is_write, uint64_t sector,
		 const struct vblk_seg *segs, unsigned nseg, vblk_done_fn done,
		 void *ctx);

/* Look at the used ring; finish the request (call done) if the device is
 * through with it. Cheap (memory reads only). True if it finished. */
bool vblk_poll(struct vblk *d);

/* TSC ticks from submit (the notify included) to the completion seen,
 * summed over every stage of every disk: what the exit profile
 * (host/prof/exit_profile.c) takes away from a SEND_DMA exit to get the
 * host's own part of it. */
extern uint64_t vblk_device_tsc;
/* Data stages of reads completed, over every disk: the exit profile
 * counts only SEND_DMA exits in which a read was done. */
extern uint32_t vblk_reads_done;

/* Spin until the request in flight finishes or spin_tsc TSC ticks pass;
 * then, if it is still running, ask the device for an interrupt. True if
 * finished. (Ticks, not ns: the conversion is a 64-bit division, a libgcc
 * call off the DMA path's pages, so callers convert once.) */
bool vblk_spin(struct vblk *d, uint64_t spin_tsc);

/* Wait (spinning, every other guest stopped meanwhile) until the disk is
 * idle, at most timeout_ns. True if it is; false if the request is still
 * the device's: then it may still read or write its segments at any
 * time, so their memory must stay where it is until a later poll finds
 * it finished. */
bool vblk_wait(struct vblk *d, uint64_t timeout_ns);

/* Is the disk free for vblk_submit()? */
static inline bool vblk_idle(const struct vblk *d)
{
	return d->state == VBLK_IDLE;
}

/* The 8259 line irq fired: acknowledge and poll every disk on it. True
 * if one of them had raised it (its ISR was not 0). */
bool vblk_interrupt(unsigned irq);

/* True if some disk uses 8259 line irq. */
bool vblk_owns_irq(unsigned irq);

/* Poll every busy disk (the scheduler's safety net for lost edges). */
void vblk_poll_all(void);

#endif
