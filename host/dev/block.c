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

/* Host command line "blktrace": one diagnostic line per request when it
 * reaches the disk ("BLKREQ") and when the guest is told ("BLKACK"), a
 * write's with an FNV-1a hash of its data (scripts/blk_durability.py). */
static bool trace;

/* One lguest block device of one guest. */
struct block_dev {
	bool used;		/* this slot of blocks[] is a device */
	struct guest *g;
	unsigned index;		/* descriptor index; IRQ index + 1 */
	gpa_t key;		/* gpa of the device page */
	struct vblk *disk;
	struct blk_disk info;	/* what the guest was told */
	char name[64];		/* the --block= value, for messages */

	/* The request in flight. */
	bool busy;
	bool is_write;
	uint32_t bytes;
	bool have_reply;	/* a reply buffer was claimed: */
	gpa_t reply;		/* its lguest_dma */
	unsigned irq;		/* the reply binding's IRQ */
	bool counted;		/* it reached the disk */
	uint32_t sector;	/* for blktrace */
	uint32_t hash;		/* for blktrace: FNV-1a of a write's data */

	/* Counters, printed when the guest stops. */
	uint64_t errors, bytes_moved;
	uint64_t copied_bytes;	/* request fields and lguest_dma copies;
				 * data is never copied */
	uint64_t exits_at_send;	/* g->exits when the request came */
	/* Requests that reached the disk, by [is_write], and their costs
	 * summed: time in block_send(), of which copying and checking,
	 * and guest exits from the SEND_DMA to the completion. */
	uint64_t done[2], service_tsc[2], check_tsc[2], exits[2];
};

static struct block_dev blocks[VBLK_MAX_DISKS];
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

/*H:710 The end of a block request, good or bad: the reply buffer's
 * used_len (bytes read, or 0 for a write or a failure), then `result`,
 * then the reply binding's IRQ (the device's own IRQ if the guest bound
 * no reply buffer). The guest looks at `result` when the IRQ arrives, so
 * it is written last. A guest that died meanwhile is left alone. :*/
static void complete(struct block_dev *b, bool ok)
{
	struct guest *g = b->g;

	b->busy = false;
	if (b->counted) {
		/* The SEND_DMA exit, and any (HALT, interrupts) since. */
		b->exits[b->is_write] += guest_exits(g) - b->exits_at_send + 1;
		b->done[b->is_write]++;
	}
	if (trace && b->counted)
		hlog("BLKACK guest=%u dev=%u %s sector=%lu bytes=%lu result=%d "
		     "fnv=%08lx\n", guest_id(g), b->index,
		     b->is_write ? "write" : "read", (unsigned long)b->sector,
		     (unsigned long)b->bytes, ok ? 1 : 2,
		     (unsigned long)b->hash);
	if (ok)
		b->bytes_moved += b->bytes;
	else
		b->errors++;
	if (guest_stopped(g))
		return;
	if (b->have_reply)
		gmem_write32(guest_mem(g), b->reply,
			     ok && !b->is_write ? b->bytes : 0);
	gmem_write32(guest_mem(g), gpa_add(b->key,
			offsetof(struct lguest_block_page, result)),
		     ok ? LGUEST_BLOCK_RESULT_OK : LGUEST_BLOCK_RESULT_ERROR);
	guest_raise_irq(g, b->irq);
	if (guest_verbose(g))
		hlog("guest %u: block %u: %s of %lu bytes done, result %d\n",
		     guest_id(g), b->index, b->is_write ? "write" : "read",
		     (unsigned long)b->bytes, ok ? 1 : 2);
}

static void disk_done(struct vblk *d, bool ok, void *ctx)
{
	struct block_dev *b = ctx;

	if (!ok)
		hlog("guest %u: block device %u (--block=%s): the disk "
		     "reported an I/O error; result 2\n", guest_id(b->g), b->index,
		     b->name);
	(void)d;
	complete(b, ok);
}

/* Claim and copy the reply buffer; false if there is none (or it is not
 * readable, which we report and treat the same way). */
static bool claim_reply(struct block_dev *b, struct lguest_dma *reply)
{
	struct guest *g = b->g;
	unsigned irq = 0;
	gpa_t buf;

	b->have_reply = false;
	b->irq = LGUEST_DEVICE_IRQ(b->index);
	if (dma_get_buffer(g, b->key, &buf, &irq))
		return false;
	b->have_reply = true;
	b->reply = buf;
	b->irq = irq;
	if (gmem_read(guest_mem(g), buf, reply, sizeof(*reply)) == 0)
		return true;
	hlog("guest %u: block device %u: reply buffer at %#lx is not "
	     "inside guest memory\n", guest_id(g), b->index,
	     (unsigned long)gpa_val(buf));
	return false;
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

/*H:700 A guest's block request. The ABI allows one at a time; a guest
 * that sends another before the first completes waits here for the first
 * (it completes normally) rather than getting a muddle. Then: copy,
 * check, and either fail the request at once (result 2, with the reason
 * on the host's log; the 2.6.23 Launcher exited instead) or hand the
 * guest's own pages to the disk. :*/
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
	char err[256];

	if (gpa_val(key) != gpa_val(b->key))
		return false;
	uint64_t t0 = rdtsc();
	if (b->busy) {
		vblk_wait(b->disk);
		HOST_ASSERT(!b->busy);
	}
	b->exits_at_send = guest_exits(g);
	gmem_write32(mem, dma_gpa, 0);	/* the send's used_len */
	if (gmem_read(mem, key, &page, sizeof(page)))
		memset(&page, 0xFF, sizeof(page));	/* fails the check */
	bool have_reply = claim_reply(b, &reply);
	b->copied_bytes += sizeof(page) + sizeof(*dma) +
			   (have_reply ? sizeof(reply) : 0);
	if (guest_stopped(g))
		return true;	/* dma_get_buffer() killed it */
	b->is_write = page.type == LGUEST_BLOCK_TYPE_WRITE;
	b->bytes = 0;
	b->counted = false;
	int nseg = -1;
	if (blk_request_check(&page, dma, have_reply ? &reply : NULL, mem,
			      &b->info, &req, err, sizeof(err)) == 0) {
		nseg = build_segments(mem, &req, segs);
		if (nseg < 0)
			snprintf(err, sizeof(err), "%s at sector %lu: its "
				 "sections make more than %u pieces of host "
				 "memory", req.is_write ? "write" : "read",
				 (unsigned long)req.sector, VBLK_MAX_SEGS);
	}
	if (nseg < 0) {
		hlog("guest %u: block device %u (--block=%s): %s; result 2\n",
		     guest_id(g), b->index, b->name, err);
		complete(b, false);
		return true;
	}
	b->bytes = req.bytes;
	if (nseg == 0) {		/* nothing to move */
		complete(b, true);
		return true;
	}
	b->busy = true;
	b->counted = true;
	b->sector = req.sector;
	if (trace) {
		b->hash = req.is_write ? hash_segments(segs, (unsigned)nseg) : 0;
		hlog("BLKREQ guest=%u dev=%u %s sector=%lu bytes=%lu\n",
		     guest_id(g), b->index, req.is_write ? "write" : "read",
		     (unsigned long)req.sector, (unsigned long)req.bytes);
	}
	b->check_tsc[req.is_write] += rdtsc() - t0;
	vblk_submit(b->disk, req.is_write, req.sector, segs, (unsigned)nseg,
		    disk_done, b);
	/* Wait for the disk here only if nobody else could use the time:
	 * then the guest gets its answer with no further exit. A disk with
	 * no interrupt line is always waited for. */
	if (b->disk->irq == VBLK_NO_IRQ)
		vblk_wait(b->disk);
	else
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
}

/* The guest is gone (or never started). A request still at the disk is
 * waited for first: the disk writes into the guest's pages by host
 * address, and those pages are about to be given back, the guest's own
 * and a LAN's page, which another device's detach frees
 * (tests/boot/blk_inflight_lan_page). */
static void block_quiesce(struct device *d)
{
	struct block_dev *b = d->priv;

	if (b && b->busy)
		vblk_wait(b->disk);
}

static void block_detach(struct device *d)
{
	struct block_dev *b = d->priv;

	if (!b)
		return;
	block_quiesce(d);
	if (d->attached)
		report(b);
	b->used = false;
	d->priv = NULL;
}

/* "blkcache=writethrough|flush|unsafe": how the disks make writes durable
 * (docs/host-design.md "Block devices"); then find the disks. */
static void block_host_init(const char *cmdline)
{
	const char *v = cmdline_value(cmdline, "blkcache");
	const char *spin = cmdline_value(cmdline, "blkspin");

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
	.recover = vblk_poll_all,	/* a completion whose edge was lost */
	.hw_irq = block_hw_irq,
};
