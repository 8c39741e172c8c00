/*
 * host/dev/block_queue.c: what happens to a block request once
 * host/dev/block.c has copied and checked it (host/dev/block_queue.h): it
 * goes to the disk, or waits behind the guest's request already there;
 * the disk finishes it and the guest hears result 1 or 2; or it outlives
 * its deadline, fails, and leaves the disk stalled until the disk is done
 * with it. Nothing here waits for the disk: no guest ever waits for
 * another's (docs/host-design.md "Block devices").
 */
#include <stdio.h>
#include <string.h>

#include "arch/clock.h"
#include "arch/hot.h"
#include "arch/log.h"
#include "arch/x86.h"
#include "dev/block_queue.h"

struct block_dev blocks[VBLK_MAX_DISKS];
bool blkq_trace;

/* "blkstall=MILLISECONDS": how long a request may stay at the disk before
 * the guest is told it failed and the disk counts as stalled (0: for
 * ever). Below the lgref guest's own 30 s (drivers/blk.h BLK_TIMEOUT_MS),
 * so that it hears result 2 before it gives up. */
static uint32_t stall_ms = 20000;
static uint64_t stall_tsc EXIT_HOT_DATA;
unsigned blkq_nbusy EXIT_HOT_DATA;	/* devices with busy set */


void blkq_set_stall(uint32_t ms)
{
	stall_ms = ms;
	stall_tsc = clock_ns_to_tsc((uint64_t)ms * 1000000);
}

uint32_t blkq_stall_ms(void)
{
	return stall_ms;
}

/* Milliseconds since b->cur went to the disk. */
static unsigned long held_ms(const struct block_dev *b)
{
	return (unsigned long)(clock_tsc_to_ns(rdtsc() - b->deadline +
					       stall_tsc) / 1000000);
}

/*H:710 The end of a block request, good or bad: the reply buffer's
 * used_len (bytes read, or 0 for a write or a failure), then `result`,
 * then the reply binding's IRQ (the device's own IRQ if the guest bound
 * no reply buffer). The guest looks at `result` when the IRQ arrives, so
 * it is written last. A guest that died meanwhile is left alone. :*/
DMA_HOT_TEXT void blkq_answer(struct block_dev *b, const struct blk_req *r, bool ok)
{
	struct guest *g = b->g;

	if (r->counted) {
		/* The SEND_DMA exit, and any (HALT, interrupts) since. */
		b->exits[r->is_write] += guest_exits(g) - r->exits_at_send + 1;
		b->done[r->is_write]++;
	}
	if (blkq_trace && r->counted)
		hlog("BLKACK guest=%u dev=%u %s sector=%lu bytes=%lu result=%d "
		     "fnv=%08lx\n", guest_id(g), b->index,
		     r->is_write ? "write" : "read", (unsigned long)r->sector,
		     (unsigned long)r->bytes, ok ? 1 : 2,
		     (unsigned long)r->hash);
	if (ok)
		b->bytes_moved += r->bytes;
	else
		b->errors++;
	if (guest_stopped(g))
		return;
	if (r->have_reply)
		gmem_write32(guest_mem(g), r->reply,
			     ok && !r->is_write ? r->bytes : 0);
	gmem_write32(guest_mem(g), gpa_add(b->key,
			offsetof(struct lguest_block_page, result)),
		     ok ? LGUEST_BLOCK_RESULT_OK : LGUEST_BLOCK_RESULT_ERROR);
	guest_raise_irq(g, r->irq);
	if (guest_verbose(g))
		hlog("guest %u: block %u: %s of %lu bytes done, result %d\n",
		     guest_id(g), b->index, r->is_write ? "write" : "read",
		     (unsigned long)r->bytes, ok ? 1 : 2);
}

DMA_HOT_TEXT static void set_busy(struct block_dev *b, bool busy)
{
	if (b->busy != busy)
		blkq_nbusy += busy ? 1 : (unsigned)-1;
	b->busy = busy;
}

static void disk_done(struct vblk *d, bool ok, void *ctx);

/* The BLKQ_HIST_NS bucket of a TSC interval, with 32-bit arithmetic
 * only: this runs on every completion (a 64-bit division is a libgcc
 * call). */
DMA_HOT_TEXT static unsigned hist_bucket(uint64_t tsc)
{
	uint32_t per = tsc_khz / (1000000 / BLKQ_HIST_NS);	/* ticks */
	uint32_t per_bucket = per ? per : 1;
	uint32_t t = tsc < (uint64_t)per_bucket * BLKQ_HIST
		? (uint32_t)tsc : per_bucket * BLKQ_HIST;
	uint32_t i = t / per_bucket;

	return i < BLKQ_HIST ? i : BLKQ_HIST - 1;
}

/* FNV-1a over a request's data, for blktrace. */
static uint32_t hash_segments(const struct vblk_seg *segs, unsigned n)
{
	uint32_t h = 2166136261u;

	for (unsigned i = 0; i < n; i++) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)segs[i].addr;
		for (uint32_t j = 0; j < segs[i].len; j++)
			h = (h ^ p[j]) * 16777619u;
	}
	return h;
}

/* Hand b->cur, checked, to the disk (which is idle), with its deadline;
 * a request that moves nothing is answered at once. */
DMA_HOT_TEXT void blkq_start(struct block_dev *b, const struct vblk_seg *segs)
{
	struct blk_req *r = &b->cur;

	if (!r->nseg) {
		blkq_answer(b, r, true);
		return;
	}
	set_busy(b, true);
	b->deadline = rdtsc() + stall_tsc;
	if (blkq_trace) {
		r->hash = r->is_write ? hash_segments(segs, r->nseg) : 0;
		hlog("BLKREQ guest=%u dev=%u %s sector=%lu bytes=%lu\n",
		     guest_id(b->g), b->index, r->is_write ? "write" : "read",
		     (unsigned long)r->sector, (unsigned long)r->bytes);
	}
	vblk_submit(b->disk, r->is_write, r->sector, segs, r->nseg,
		    disk_done, b);
}

/* The request queued behind the one that just finished goes to the
 * disk, which tells us by interrupt (nobody waits for it here). */
static void start_next(struct block_dev *b)
{
	b->queued = false;
	b->cur = b->next;
	blkq_start(b, b->next_segs);
	if (b->busy)
		vblk_spin(b->disk, 0);
}

/*H:720 The disk finished a request. Normally that is the guest's answer,
 * and the request it sent meanwhile, if any, goes to the disk now, in
 * order. A request the guest already had result 2 for (it outlived its
 * deadline, H:730) only ends the disk's stall: its data may have moved
 * after all, but the guest was told it failed. :*/
DMA_HOT_TEXT static void disk_done(struct vblk *d, bool ok, void *ctx)
{
	struct block_dev *b = ctx;

	if (b->cur.inject_stall && !b->stuck) {
		/* A test's blk-stall: the guest hears of it at the
		 * deadline (blkq_poll()), as of a disk that stalled. */
		b->inject_done = true;
		b->inject_ok = ok;
		return;
	}
	set_busy(b, false);
	if (!b->cur.is_write && b->cur.bytes == 4096) {
		b->read4k_disk[hist_bucket(d->last_took)]++;
		b->read4k_notify[hist_bucket(d->last_notify)]++;
	}
	if (b->stuck) {
		b->stuck = false;
		hlog("guest %u: block device %u (--block=%s): the disk "
		     "finished the stalled %s at sector %lu after %lu ms "
		     "(%s); in service again, %lu request%s refused "
		     "meanwhile\n", guest_id(b->g), b->index, b->name,
		     b->cur.is_write ? "write" : "read",
		     (unsigned long)b->cur.sector,
		     held_ms(b),
		     ok ? "no error" : "an error", (unsigned long)b->refused,
		     b->refused == 1 ? "" : "s");
		b->refused = 0;
		return;
	}
	if (!ok)
		hlog("guest %u: block device %u (--block=%s): the disk "
		     "reported an I/O error; result 2\n", guest_id(b->g),
		     b->index, b->name);
	blkq_answer(b, &b->cur, ok);
	if (b->queued && !guest_stopped(b->g))
		start_next(b);
}

/*H:730 A disk that stalls. A request still at the disk after its deadline
 * (blkstall=, 20 s) is an I/O error for the guest: result 2 now, for it
 * and for the request queued behind it, and for every later one at once,
 * until the disk finishes the stuck request. The disk keeps it meanwhile
 * (a virtio request cannot be taken back), so its guest's memory is
 * not given back before that (device_ops quiesce). Nobody else waits. :*/
static void stall(struct block_dev *b)
{
	struct blk_req *r = &b->cur;

	b->stuck = true;
	b->stalls++;
	hlog("guest %u: block device %u (--block=%s): the disk has not "
	     "finished a %s of %lu bytes at sector %lu in %lu ms; result 2, "
	     "and the disk counts as stalled until it does\n",
	     guest_id(b->g), b->index, b->name, r->is_write ? "write" : "read",
	     (unsigned long)r->bytes, (unsigned long)r->sector,
	     (unsigned long)stall_ms);
	blkq_answer(b, r, false);
	if (b->queued) {
		b->queued = false;
		hlog("guest %u: block device %u: the request queued behind "
		     "it: result 2\n", guest_id(b->g), b->index);
		blkq_answer(b, &b->next, false);
	}
}

/* Every exit and turn of the run loop: has a request outlived its
 * deadline? (Cheap when no request is at a disk.) */
EXIT_HOT_TEXT void blkq_poll(void)
{
	if (!blkq_nbusy || !stall_tsc)
		return;
	uint64_t now = rdtsc();
	for (unsigned i = 0; i < VBLK_MAX_DISKS; i++) {
		struct block_dev *b = &blocks[i];
		if (b->used && b->busy && !b->stuck && now >= b->deadline) {
			/* The host itself may have been held past the
			 * deadline (another guest's long exit): look at the
			 * disk before calling it stalled. A completion here
			 * answers the request, and starts the next one with
			 * a deadline of its own (attack_blk_false_stall). */
			if (vblk_poll(b->disk))
				continue;
			stall(b);
			if (b->inject_done) {	/* blk-stall: done all along */
				b->inject_done = false;
				disk_done(b->disk, b->inject_ok, b);
			}
		}
	}
}

/* Every turn of the scheduler, before the host may halt: completions
 * whose interrupt edge was lost, deadlines, and a wake-up for the next
 * deadline, and for a disk with no interrupt line, 1 ms from now. */
void blkq_recover(void)
{
	vblk_poll_all();
	blkq_poll();
	if (!blkq_nbusy)
		return;
	for (unsigned i = 0; i < VBLK_MAX_DISKS; i++) {
		struct block_dev *b = &blocks[i];
		if (!b->used || !b->busy)
			continue;
		if (b->disk->irq == VBLK_NO_IRQ)
			clock_arm(rdtsc() + clock_ns_to_tsc(1000000));
		else if (stall_tsc && !b->stuck)
			clock_arm(b->deadline);
	}
}

/* The guest is gone (or never started): start nothing more, and say
 * whether the disk still has a request of ours. It writes into the
 * guest's pages by host address, the guest's own and perhaps a LAN's
 * page, which another device's detach frees
 * (tests/boot/blk_inflight_lan_page): until the disk is done the core
 * keeps them all (host/core/guests.c H:070). */
enum device_quiesce blkq_quiesce(struct block_dev *b)
{
	b->queued = false;	/* never reached the disk */
	if (b->busy)
		vblk_poll(b->disk);
	if (!b->busy)
		return DEVICE_IDLE;
	return b->stuck ? DEVICE_STALLED : DEVICE_BUSY;
}


bool blkq_stalled(const struct block_dev *b)
{
	return b->stuck || (!b->busy && !vblk_idle(b->disk));
}

void blkq_refuse(struct block_dev *b, const struct blk_req *r)
{
	if (b->refused++ == 0 && b->stuck)
		hlog("guest %u: block device %u (--block=%s): the disk is "
		     "stalled (it has not finished a request given it %lu ms "
		     "ago); result 2, as for every request until it does\n",
		     guest_id(b->g), b->index, b->name, held_ms(b));
	else if (b->refused == 1)
		hlog("guest %u: block device %u (--block=%s): the disk is "
		     "still busy with the native benchmark's last request; "
		     "result 2, as for every request until it is done\n",
		     guest_id(b->g), b->index, b->name);
	blkq_answer(b, r, false);
}
