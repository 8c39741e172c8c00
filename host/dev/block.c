/*
 * host/dev/block.c: the lguest block device of docs/abi.md §8.2 on a
 * virtio-blk disk (host/dev/block.h).
 *
 * A request, as the 2.6.23 Launcher served it: the guest filled in the
 * device page and sent to the page's key; for a write the send carries
 * the data, for a read the guest's bound reply buffer receives it. We copy
 * the page's request fields, the send and the claimed reply buffer once,
 * check the copies (host/rules/blk_request.c) and give the disk the guest pages
 * themselves: guest memory is one host-physical block, so a section at gpa
 * is host-physical base + gpa and no data is ever copied. The send's
 * used_len is 0 when SEND_DMA returns; result, the reply's used_len and the
 * IRQ follow when the disk is done (usually before we return to the
 * guest; see vblk_spin()).
 *
 * Nobody else ever waits for one guest's disk: a request sent while the
 * last is still at the disk is queued behind it (H:700), a request the
 * disk holds past its deadline fails (H:730), and a guest that stops with
 * a request at the disk keeps its memory until the disk is done
 * (block_quiesce(), host/core/guests.c H:070).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/clock.h"
#include "arch/log.h"
#include "arch/x86.h"
#include "backends/virtio_blk.h"
#include "dev/block.h"
#include "rules/blk_request.h"
#include "rules/cmdline.h"

/* Host command line "blkspin=MICROSECONDS": how long SEND_DMA spins for
 * the disk before leaving completion to its interrupt. */
static uint32_t spin_us = 1000;

/* Host command line "blkstall=MILLISECONDS": how long a request may stay
 * at the disk before the guest is told it failed and the disk counts as
 * stalled (0: for ever). Below the lgref guest's own 30 s (drivers/blk.h
 * BLK_TIMEOUT_MS), so that it hears result 2 before it gives up. */
static uint32_t stall_ms = 20000;
static uint64_t stall_tsc;

/* Host command line "blktrace": one diagnostic line per request when it
 * reaches the disk ("BLKREQ") and when the guest is told ("BLKACK"), a
 * write's with an FNV-1a hash of its data (scripts/blk_durability.py). */
static bool trace;

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
};

/* One lguest block device of one guest. */
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

	/* Counters, printed when the guest stops. */
	uint64_t errors, bytes_moved;
	uint64_t copied_bytes;	/* request fields and lguest_dma copies;
				 * data is never copied */
	uint64_t stalls, queued_count;
	/* Requests that reached the disk, by [is_write], and their costs
	 * summed: time in block_send(), of which copying and checking,
	 * and guest exits from the SEND_DMA to the completion. */
	uint64_t done[2], service_tsc[2], check_tsc[2], exits[2];
};

static struct block_dev blocks[VBLK_MAX_DISKS];
static unsigned reserved;	/* --block options seen so far */
static unsigned nbusy;		/* devices with busy set */

/*H:690 A --block option takes the next virtio-blk disk of the host, in
 * option order over every guest module, whether or not its guest then
 * starts: the n-th --block is the n-th disk, whatever happened to the
 * guests before it. :*/
static int block_reserve(struct device *d, const char *value, char *err,
			 size_t errlen)
{
	unsigned n = reserved++;
	struct vblk *disk = vblk_disk(n);
	struct block_dev *b = NULL;

	if (!disk) {
		snprintf(err, errlen, "--block=%s: no virtio-blk disk #%u for "
			 "it (the host found %u; tools/lguest adds one per "
			 "--block)", value, n, vblk_count());
		return -1;
	}
	for (unsigned i = 0; i < VBLK_MAX_DISKS && !b; i++)
		if (!blocks[i].used)
			b = &blocks[i];
	if (!b) {
		snprintf(err, errlen, "--block=%s: too many block devices", value);
		return -1;
	}
	memset(b, 0, sizeof(*b));
	b->used = true;
	b->g = d->g;
	b->index = d->index;
	b->disk = disk;
	/* num_sectors is 32 bits: a disk over 2 TiB shows its first 2 TiB. */
	b->info.num_sectors = disk->sectors > 0xFFFFFFFFu ? 0xFFFFFFFFu
							  : (uint32_t)disk->sectors;
	b->info.read_only = disk->read_only;
	snprintf(b->name, sizeof(b->name), "%s", value);
	d->priv = b;
	d->features = LGUEST_DEVICE_F_RANDOMNESS;
	d->num_pages = 1;
	return 0;
}

static int block_attach(struct device *d, char *err, size_t errlen)
{
	struct block_dev *b = d->priv;

	b->key = d->page;
	if (gmem_write32(guest_mem(d->g),
			 gpa_add(b->key, offsetof(struct lguest_block_page,
						  num_sectors)),
			 b->info.num_sectors)) {
		snprintf(err, errlen, "--block=%s: device page outside guest "
			 "memory", b->name);
		return -1;
	}
	hlog("guest %u: block device %u (--block=%s): virtio-blk %u, %lu "
	     "sectors, key %#lx, irq %u\n", guest_id(d->g), b->index, b->name,
	     b->disk->index, (unsigned long)b->info.num_sectors,
	     (unsigned long)gpa_val(b->key), LGUEST_DEVICE_IRQ(b->index));
	return 0;
}

/*H:710 The end of a block request, good or bad: the reply buffer's
 * used_len (bytes read, or 0 for a write or a failure), then `result`,
 * then the reply binding's IRQ (the device's own IRQ if the guest bound
 * no reply buffer). The guest looks at `result` when the IRQ arrives, so
 * it is written last. A guest that died meanwhile is left alone. :*/
static void answer(struct block_dev *b, const struct blk_req *r, bool ok)
{
	struct guest *g = b->g;

	if (r->counted) {
		/* The SEND_DMA exit, and any (HALT, interrupts) since. */
		b->exits[r->is_write] += guest_exits(g) - r->exits_at_send + 1;
		b->done[r->is_write]++;
	}
	if (trace && r->counted)
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

static void set_busy(struct block_dev *b, bool busy)
{
	if (b->busy != busy)
		nbusy += busy ? 1 : (unsigned)-1;
	b->busy = busy;
}

static void disk_done(struct vblk *d, bool ok, void *ctx);

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
static void start(struct block_dev *b, const struct vblk_seg *segs)
{
	struct blk_req *r = &b->cur;

	if (!r->nseg) {
		answer(b, r, true);
		return;
	}
	set_busy(b, true);
	b->deadline = rdtsc() + stall_tsc;
	if (trace) {
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
	start(b, b->next_segs);
	if (b->busy)
		vblk_spin(b->disk, 0);
}

/*H:720 The disk finished a request. Normally that is the guest's answer,
 * and the request it sent meanwhile, if any, goes to the disk now, in
 * order. A request the guest already had result 2 for (it outlived its
 * deadline, H:730) only ends the disk's stall: its data may have moved
 * after all, but the guest was told it failed. :*/
static void disk_done(struct vblk *d, bool ok, void *ctx)
{
	struct block_dev *b = ctx;

	(void)d;
	set_busy(b, false);
	if (b->stuck) {
		b->stuck = false;
		hlog("guest %u: block device %u (--block=%s): the disk "
		     "finished the stalled %s at sector %lu after %lu ms "
		     "(%s); in service again, %lu request%s refused "
		     "meanwhile\n", guest_id(b->g), b->index, b->name,
		     b->cur.is_write ? "write" : "read",
		     (unsigned long)b->cur.sector,
		     (unsigned long)(clock_tsc_to_ns(rdtsc() - b->deadline +
						     stall_tsc) / 1000000),
		     ok ? "no error" : "an error", (unsigned long)b->refused,
		     b->refused == 1 ? "" : "s");
		b->refused = 0;
		return;
	}
	if (!ok)
		hlog("guest %u: block device %u (--block=%s): the disk "
		     "reported an I/O error; result 2\n", guest_id(b->g),
		     b->index, b->name);
	answer(b, &b->cur, ok);
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
	answer(b, r, false);
	if (b->queued) {
		b->queued = false;
		hlog("guest %u: block device %u: the request queued behind "
		     "it: result 2\n", guest_id(b->g), b->index);
		answer(b, &b->next, false);
	}
}

/* Every exit and turn of the run loop: has a request outlived its
 * deadline? (Cheap when no request is at a disk.) */
static void block_poll(void)
{
	if (!nbusy || !stall_tsc)
		return;
	uint64_t now = rdtsc();
	for (unsigned i = 0; i < VBLK_MAX_DISKS; i++) {
		struct block_dev *b = &blocks[i];
		if (b->used && b->busy && !b->stuck && now >= b->deadline)
			stall(b);
	}
}

/* Every turn of the scheduler, before the host may halt: completions
 * whose interrupt edge was lost, deadlines, and a wake-up for the next
 * deadline, and for a disk with no interrupt line, 1 ms from now. */
static void block_recover(void)
{
	vblk_poll_all();
	block_poll();
	if (!nbusy)
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

/* Claim and copy the reply buffer into r; false if there is none (or it
 * is not readable, which we report and treat the same way). */
static bool claim_reply(struct block_dev *b, struct blk_req *r,
			struct lguest_dma *reply)
{
	struct guest *g = b->g;
	unsigned irq = 0;
	gpa_t buf;

	r->have_reply = false;
	r->irq = LGUEST_DEVICE_IRQ(b->index);
	if (dma_get_buffer(g, b->key, &buf, &irq))
		return false;
	r->have_reply = true;
	r->reply = buf;
	r->irq = irq;
	if (gmem_read(guest_mem(g), buf, reply, sizeof(*reply)) == 0)
		return true;
	hlog("guest %u: block device %u: reply buffer at %#lx is not "
	     "inside guest memory\n", guest_id(g), b->index,
	     (unsigned long)gpa_val(buf));
	return false;
}

/* The disk's segments for a checked request: each guest section walked
 * in pieces of host memory (host/rules/gmem.h), so a section that runs
 * into a page shared with other guests reaches that page, as the 2.6.23
 * Launcher's readv()/writev() did; pieces that follow each other in host
 * memory become one segment, so a guest's run of contiguous pages is one
 * descriptor, not one per page. Returns the count, or -1 if more than
 * VBLK_MAX_SEGS segments would be needed. */
static int build_segments(struct gmem *mem, const struct blk_request *req,
			  struct vblk_seg *segs)
{
	unsigned nseg = 0;

	for (unsigned i = 0; i < req->nseg; i++) {
		struct gmem_walk w;
		struct gmem_piece p;
		if (gmem_walk_start(&w, mem, req->seg[i].gpa, req->seg[i].len))
			return -1;	/* cannot happen: checked */
		while (gmem_walk_next(&w, &p)) {
			uint32_t addr = (uint32_t)(uintptr_t)p.host;
			if (nseg && segs[nseg - 1].addr + segs[nseg - 1].len == addr) {
				segs[nseg - 1].len += p.len;
				continue;
			}
			if (nseg == VBLK_MAX_SEGS)
				return -1;
			segs[nseg].addr = addr;
			segs[nseg].len = p.len;
			nseg++;
		}
	}
	return (int)nseg;
}

/*H:700 A guest's block request. The ABI allows one at a time, and a
 * guest that sends another before the first completed does not make
 * anyone wait: the second is copied and checked now and queued, and goes
 * to the disk when the first is done; a third is refused (result 2).
 * Then: copy, check, and either fail the request at once (result 2, with
 * the reason on the host's log; the 2.6.23 Launcher exited instead) or
 * hand the guest's own pages to the disk. A stalled disk (H:730) fails
 * every request at once. :*/
static bool block_send(struct device *d, gpa_t key, gpa_t dma_gpa,
		       const struct lguest_dma *dma)
{
	struct block_dev *b = d->priv;
	struct guest *g = d->g;
	struct gmem *mem = guest_mem(g);
	struct lguest_block_page page;
	struct lguest_dma reply;
	struct blk_request req;
	struct vblk_seg segs[VBLK_MAX_SEGS];
	struct blk_req refused;
	char err[256];

	if (gpa_val(key) != gpa_val(b->key))
		return false;
	uint64_t t0 = rdtsc();
	/* Where this request goes: at once to the disk, behind the one at
	 * the disk, or nowhere (answered result 2 at once). A disk busy
	 * with a request that is not ours (a stalled native benchmark's)
	 * is stalled for us. */
	bool stalled = b->stuck || (!b->busy && !vblk_idle(b->disk));
	bool full = b->busy && b->queued;
	bool later = b->busy && !stalled && !full;
	struct blk_req *r = stalled || full ? &refused : later ? &b->next
							       : &b->cur;
	memset(r, 0, sizeof(*r));
	r->exits_at_send = guest_exits(g);
	gmem_write32(mem, dma_gpa, 0);	/* the send's used_len */
	if (gmem_read(mem, key, &page, sizeof(page)))
		memset(&page, 0xFF, sizeof(page));	/* fails the check */
	bool have_reply = claim_reply(b, r, &reply);
	b->copied_bytes += sizeof(page) + sizeof(*dma) +
			   (have_reply ? sizeof(reply) : 0);
	if (guest_stopped(g))
		return true;	/* dma_get_buffer() killed it */
	r->is_write = page.type == LGUEST_BLOCK_TYPE_WRITE;
	if (stalled) {
		if (b->refused++ == 0 && b->stuck)
			hlog("guest %u: block device %u (--block=%s): the disk "
			     "is stalled (it has not finished a request given "
			     "it %lu ms ago); result 2, as for every request "
			     "until it does\n", guest_id(g), b->index, b->name,
			     (unsigned long)(clock_tsc_to_ns(rdtsc() -
				b->deadline + stall_tsc) / 1000000));
		else if (b->refused == 1)
			hlog("guest %u: block device %u (--block=%s): the disk "
			     "is still busy with the native benchmark's last "
			     "request; result 2, as for every request until "
			     "it is done\n", guest_id(g), b->index, b->name);
		answer(b, r, false);
		return true;
	}
	if (full) {
		hlog("guest %u: block device %u (--block=%s): a third request "
		     "while two are not done; result 2\n", guest_id(g),
		     b->index, b->name);
		answer(b, r, false);
		return true;
	}
	int nseg = -1;
	if (blk_request_check(&page, dma, have_reply ? &reply : NULL, mem,
			      &b->info, &req, err, sizeof(err)) == 0) {
		nseg = build_segments(mem, &req, later ? b->next_segs : segs);
		if (nseg < 0)
			snprintf(err, sizeof(err), "%s at sector %lu: its "
				 "sections make more than %u pieces of host "
				 "memory", req.is_write ? "write" : "read",
				 (unsigned long)req.sector, VBLK_MAX_SEGS);
	}
	if (nseg < 0) {
		hlog("guest %u: block device %u (--block=%s): %s; result 2\n",
		     guest_id(g), b->index, b->name, err);
		answer(b, r, false);
		return true;
	}
	r->bytes = req.bytes;
	r->sector = req.sector;
	r->nseg = (unsigned)nseg;
	r->counted = nseg > 0;
	b->check_tsc[req.is_write] += rdtsc() - t0;
	if (later) {
		b->queued = true;
		b->queued_count++;
		if (guest_verbose(g))
			hlog("guest %u: block %u: a request before the last "
			     "one was done: queued behind it\n", guest_id(g),
			     b->index);
		return true;
	}
	start(b, segs);
	/* Wait for the disk here only if nobody else could use the time:
	 * then the guest gets its answer with no further exit. */
	if (b->busy)
		vblk_spin(b->disk, guests_other_runnable(g) ? 0
				   : (uint64_t)spin_us * 1000);
	b->service_tsc[req.is_write] += rdtsc() - t0;
	return true;
}

static unsigned long us(uint64_t tsc, uint64_t n)
{
	return n ? (unsigned long)(clock_tsc_to_ns(tsc / n) / 1000) : 0;
}

/* The counters of a device whose guest ran. */
static void report(const struct block_dev *b)
{
	unsigned id = guest_id(b->g);
	struct vblk *d = b->disk;

	hlog("guest %u: block device %u (--block=%s): %lu reads, %lu "
	     "writes, %lu failed, %lu KiB moved without copying, %lu "
	     "bytes of requests and descriptors copied\n", id,
	     b->index, b->name, (unsigned long)b->done[0],
	     (unsigned long)b->done[1], (unsigned long)b->errors,
	     (unsigned long)(b->bytes_moved >> 10),
	     (unsigned long)b->copied_bytes);
	for (unsigned w = 0; w < 2; w++) {
		uint64_t n = b->done[w];
		if (!n)
			continue;
		hlog("guest %u: block device %u: per %s: %lu.%lu exits, "
		     "%lu us in the host's SEND_DMA (%lu copying and "
		     "checking), disk %lu us (notify %lu)\n", id,
		     b->index, w ? "write" : "read",
		     (unsigned long)(b->exits[w] / n),
		     (unsigned long)(b->exits[w] * 10 / n % 10),
		     us(b->service_tsc[w], n), us(b->check_tsc[w], n),
		     us(d->data_tsc[w], d->requests[w]),
		     us(d->notify_tsc, d->requests[0] + d->requests[1]));
	}
	hlog("guest %u: block device %u: %lu completions found while "
	     "the host waited, %lu later (by interrupt); %lu flushes "
	     "(%lu us each)\n",
	     id, b->index, (unsigned long)d->waited,
	     (unsigned long)d->later, (unsigned long)d->flushes,
	     us(d->flush_tsc, d->flushes));
	if (b->queued_count || b->stalls)
		hlog("guest %u: block device %u: %lu requests sent before "
		     "the one before was done (queued), %lu stalls of the "
		     "disk\n", id, b->index, (unsigned long)b->queued_count,
		     (unsigned long)b->stalls);
}

/* The guest is gone (or never started): start nothing more, and say
 * whether the disk still has a request of ours. It writes into the
 * guest's pages by host address, the guest's own and perhaps a LAN's
 * page, which another device's detach frees
 * (tests/boot/blk_inflight_lan_page): until the disk is done the core
 * keeps them all. */
static enum device_quiesce block_quiesce(struct device *d)
{
	struct block_dev *b = d->priv;

	if (!b)
		return DEVICE_IDLE;
	b->queued = false;	/* never reached the disk */
	if (b->busy)
		vblk_poll(b->disk);
	if (!b->busy)
		return DEVICE_IDLE;
	return b->stuck ? DEVICE_STALLED : DEVICE_BUSY;
}

static void block_detach(struct device *d)
{
	struct block_dev *b = d->priv;

	if (!b)
		return;
	/* The core detaches only after block_quiesce() said idle. */
	HOST_ASSERT(!b->busy);
	if (d->attached)
		report(b);
	b->used = false;
	d->priv = NULL;
}

/* "blkcache=writethrough|flush|unsafe": how the disks make writes durable
 * (docs/host-design.md "Block devices"); "blkspin=", "blkstall=",
 * "blktrace"; then find the disks. */
static void block_host_init(const char *cmdline)
{
	const char *v = cmdline_value(cmdline, "blkcache");
	const char *spin = cmdline_value(cmdline, "blkspin");
	const char *stall = cmdline_value(cmdline, "blkstall");

	if (!v || cmdline_value_is(v, "writethrough"))
		vblk_durability = VBLK_WRITETHROUGH;
	else if (cmdline_value_is(v, "flush"))
		vblk_durability = VBLK_FLUSH;
	else if (cmdline_value_is(v, "unsafe"))
		vblk_durability = VBLK_UNSAFE;
	else
		hlog("blkcache=: expected writethrough, flush or unsafe; "
		     "using writethrough\n");
	if (spin && *spin)
		spin_us = (uint32_t)strtoul(spin, NULL, 0);
	if (stall && *stall) {
		stall_ms = (uint32_t)strtoul(stall, NULL, 0);
		hlog("blkstall=%lu: a block request not done in %lu ms "
		     "fails%s\n", (unsigned long)stall_ms,
		     (unsigned long)stall_ms, stall_ms ? "" : " (0: never)");
	}
	stall_tsc = clock_ns_to_tsc((uint64_t)stall_ms * 1000000);
	trace = cmdline_has_word(cmdline, "blktrace");
	vblk_init();
}

static bool block_hw_irq(unsigned irq)
{
	return vblk_owns_irq(irq) && vblk_interrupt(irq);
}

const struct device_ops block_device = {
	.name = "block",
	.option = "block",
	.type = LGUEST_DEVICE_T_BLOCK,
	.host_init = block_host_init,
	.reserve = block_reserve,
	.attach = block_attach,
	.send = block_send,
	.quiesce = block_quiesce,
	.detach = block_detach,
	.poll = block_poll,
	.recover = block_recover,
	.hw_irq = block_hw_irq,
};
