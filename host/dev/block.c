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

#include "arch/hot.h"
#include "arch/clock.h"
#include "arch/log.h"
#include "arch/x86.h"
#include "backends/virtio_blk.h"
#include "dev/block.h"
#include "dev/block_queue.h"
#include "rules/blk_request.h"
#include "rules/cmdline.h"

/* Host command line "blkspin=MICROSECONDS": how long SEND_DMA spins for
 * the disk before leaving completion to its interrupt; and the same in
 * TSC ticks, worked out once (host/backends/virtio_blk.h vblk_spin()). */
static uint32_t spin_us = 1000;
static uint64_t spin_tsc;

static unsigned reserved;	/* --block options seen so far */

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

/* Claim and copy the reply buffer into r; false if there is none (or it
 * is not readable, which we report and treat the same way). */
DMA_HOT_TEXT static bool claim_reply(struct block_dev *b, struct blk_req *r,
			struct lguest_dma *reply)
{
	struct guest *g = b->g;
	unsigned irq = 0;
	gpa_t buf;

	r->have_reply = false;
	r->irq = LGUEST_DEVICE_IRQ(b->index);
	int claimed = dma_claim_buffer(g, b->key, &buf, &irq, reply);
	if (claimed < 0)
		return false;
	r->have_reply = true;
	r->reply = buf;
	r->irq = irq;
	if (claimed == 0)
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
DMA_HOT_TEXT static int build_segments(struct gmem *mem, const struct blk_request *req,
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
DMA_HOT_TEXT static bool block_send(struct device *d, gpa_t key, gpa_t dma_gpa,
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
	bool stalled = blkq_stalled(b);
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
		blkq_refuse(b, r);
		return true;
	}
	if (full) {
		hlog("guest %u: block device %u (--block=%s): a third request "
		     "while two are not done; result 2\n", guest_id(g),
		     b->index, b->name);
		blkq_answer(b, r, false);
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
		blkq_answer(b, r, false);
		return true;
	}
	r->bytes = req.bytes;
	r->sector = req.sector;
	r->nseg = (unsigned)nseg;
	if (inject_modes_on && block_inject(b, r, later ? b->next_segs : segs,
					    &r->nseg))
		return true;	/* a test's blk-fail: answered result 2 */
	r->counted = r->nseg > 0;
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
	blkq_start(b, segs);
	/* Wait for the disk here only if nobody else could use the time:
	 * then the guest gets its answer with no further exit. */
	if (b->busy)
		vblk_spin(b->disk, guests_other_runnable(g) ? 0 : spin_tsc);
	b->service_tsc[req.is_write] += rdtsc() - t0;
	return true;
}

static unsigned long us(uint64_t tsc, uint64_t n)
{
	return n ? (unsigned long)(clock_tsc_to_ns(tsc / n) / 1000) : 0;
}

/* The median of a histogram of BLKQ_HIST_NS buckets (host/dev/
 * block_queue.h), in ns: the middle of the bucket it falls in. */
static unsigned hist_p50_ns(const uint32_t *h)
{
	uint32_t total = 0, seen = 0;
	unsigned i;

	for (i = 0; i < BLKQ_HIST; i++)
		total += h[i];
	for (i = 0; i < BLKQ_HIST - 1; i++)
		if ((seen += h[i]) * 2 >= total)
			break;
	return i * BLKQ_HIST_NS + BLKQ_HIST_NS / 2;
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
	uint32_t n4k = 0;
	for (unsigned i = 0; i < BLKQ_HIST; i++)
		n4k += b->read4k_disk[i];
	if (n4k) {
		unsigned disk = hist_p50_ns(b->read4k_disk);
		unsigned notify = hist_p50_ns(b->read4k_notify);
		hlog("guest %u: block device %u: %lu 4 KiB reads: disk p50 "
		     "%u.%03u us (notify p50 %u.%03u us)\n", id, b->index,
		     (unsigned long)n4k, disk / 1000, disk % 1000,
		     notify / 1000, notify % 1000);
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

static enum device_quiesce block_quiesce(struct device *d)
{
	return d->priv ? blkq_quiesce(d->priv) : DEVICE_IDLE;
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
	spin_tsc = clock_ns_to_tsc((uint64_t)spin_us * 1000);
	blkq_set_stall(blkq_stall_ms());
	if (stall && *stall) {
		uint32_t ms = (uint32_t)strtoul(stall, NULL, 0);
		blkq_set_stall(ms);
		hlog("blkstall=%lu: a block request not done in %lu ms "
		     "fails%s\n", (unsigned long)ms, (unsigned long)ms,
		     ms ? "" : " (0: never)");
	}
	blkq_trace = cmdline_has_word(cmdline, "blktrace");
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
	.poll = blkq_poll,
	.poll_hint = &blkq_nbusy,
	.recover = blkq_recover,
	.hw_irq = block_hw_irq,
};
