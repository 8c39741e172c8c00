/*
 * host/dev/block_queue.h: the life of a checked block request
 * (host/dev/block_queue.c), and the state of a block device that
 * host/dev/block.c and block_queue.c share. Nothing outside host/dev/
 * block*.c includes this.
 */
#ifndef LGREF_HOST_DEV_BLOCK_QUEUE_H
#define LGREF_HOST_DEV_BLOCK_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "backends/virtio_blk.h"
#include "core/device.h"
#include "rules/blk_request.h"

/* One guest request, from its SEND_DMA to its answer. */
struct blk_req {
	bool is_write;
	uint32_t bytes;
	uint32_t sector;
	bool have_reply;	/* a reply buffer was claimed: */
	gpa_t reply;		/* its lguest_dma */
	unsigned irq;		/* the reply binding's IRQ */
	bool counted;		/* it has data for the disk */
	uint32_t hash;		/* for blktrace: FNV-1a of a write's data */
	uint64_t exits_at_send;	/* g->exits when it came */
	unsigned nseg;		/* disk segments (in segs[] or next_segs[]) */
	bool inject_stall;	/* a test's blk-stall: answer at the deadline */
};

/* One lguest block device of one guest. */
#define BLKQ_HIST 512		/* buckets of the 4 KiB read histograms */
#define BLKQ_HIST_NS 250	/* each this wide: 0 to 128 µs, as before */

struct block_dev {
	bool used;		/* this slot of blocks[] is a device */
	struct guest *g;
	unsigned index;		/* descriptor index; IRQ index + 1 */
	gpa_t key;		/* gpa of the device page */
	struct vblk *disk;
	struct blk_disk info;	/* what the guest was told */
	char name[64];		/* the --block= value, for messages */

	/* The request at the disk, and one more, checked, queued behind it
	 * (a guest that did not wait, docs/abi.md §14.1). */
	bool busy;
	struct blk_req cur;
	uint64_t deadline;	/* TSC: cur fails (result 2) after this */
	bool queued;
	struct blk_req next;
	struct vblk_seg next_segs[VBLK_MAX_SEGS];
	/* cur outlived its deadline: the guest has had result 2 for it, but
	 * the disk still has it and may still move its data. Until the disk
	 * is done, it counts as stalled: requests fail at once. */
	bool stuck;
	uint64_t refused;	/* requests failed at once while stuck */

	/* A test's faults (host/dev/block_inject.c): the request blk-fail
	 * failed, so that the same one right after fails too; and the
	 * disk's answer to a blk-stall request, kept until its deadline. */
	bool bad_set;
	struct blk_req bad;
	bool inject_done, inject_ok;

	/* Counters, printed when the guest stops. */
	uint64_t errors, bytes_moved;
	uint64_t copied_bytes;	/* request fields and lguest_dma copies;
				 * data is never copied */
	uint64_t stalls, queued_count;
	/* Requests that reached the disk, by [is_write], and their costs
	 * summed: time in block_send(), of which copying and checking,
	 * and guest exits from the SEND_DMA to the completion. */
	uint64_t done[2], service_tsc[2], check_tsc[2], exits[2];
	/* 4 KiB reads, the benchmark's reference case: histograms of the
	 * disk's time and of the notify write in it, in 250 ns buckets (the
	 * last holds everything longer), for medians next to the native
	 * benchmark's (the sums above are means over every size). A 4 KiB
	 * read takes the disk 3-5 µs, so 1 µs buckets moved its median by
	 * up to a third of itself; under load it has taken 45-84 µs, which
	 * the range still shows. */
	uint32_t read4k_disk[BLKQ_HIST], read4k_notify[BLKQ_HIST];
};

extern struct block_dev blocks[VBLK_MAX_DISKS];

/* Host command-line words (host/dev/block.h): "blktrace" and
 * "blkstall=MILLISECONDS" (0: no deadline). */
extern bool blkq_trace;
void blkq_set_stall(uint32_t ms);
uint32_t blkq_stall_ms(void);

/* The end of request r of b, good (result 1) or bad (result 2): written
 * into the guest's memory, unless it has stopped. */
void blkq_answer(struct block_dev *b, const struct blk_req *r, bool ok);

/* b->cur, checked, with its segments, to the disk, which is idle; a
 * request that moves nothing is answered at once. */
void blkq_start(struct block_dev *b, const struct vblk_seg *segs);

/* Is the disk unusable for b now (stalled on b's request, or busy with
 * one that is not b's)? Then r is answered result 2 at once, and the
 * first such answer in a row says why on the log. */
bool blkq_stalled(const struct block_dev *b);
void blkq_refuse(struct block_dev *b, const struct blk_req *r);

/* Every exit: deadlines. Every scheduler turn: that, completions whose
 * edge was lost, and the alarm for the next deadline. */
void blkq_poll(void);

/* How many block devices have a request at the disk: while 0, blkq_poll()
 * has nothing to do (the core's poll hint, device_ops poll_hint). */
extern unsigned blkq_nbusy;
void blkq_recover(void);

/* A test's block faults (host/dev/block_inject.c) on request r of b,
 * checked, with its disk segments: true if r was answered (blk-fail);
 * else r may now be cut short (r->bytes, segs, *nseg) or marked to be
 * held to its deadline. Only called with some mode on. */
bool block_inject(struct block_dev *b, struct blk_req *r,
		  struct vblk_seg *segs, unsigned *nseg);

/* b's guest stopped: drop the queued request; is one still at the disk? */
enum device_quiesce blkq_quiesce(struct block_dev *b);

#endif
