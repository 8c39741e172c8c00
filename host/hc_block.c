/*
 * host/hc_block.c: the lguest block device of docs/abi.md §8.2 on a
 * virtio-blk disk (host/hc_block.h).
 *
 * A request, as the 2.6.23 Launcher served it: the guest filled in the
 * device page and sent to the page's key; for a write the send carries
 * the data, for a read the guest's bound reply buffer receives it. We copy
 * the page's request fields, the send and the claimed reply buffer once,
 * check the copies (host/blk_request.c) and give the disk the guest pages
 * themselves: guest memory is one host-physical block, so a section at gpa
 * is host-physical base + gpa and no data is ever copied. The send's
 * used_len is 0 when SEND_DMA returns; result, the reply's used_len and the
 * IRQ follow when the disk is done (usually before we return to the
 * guest; see vblk_spin()).
 */
#include <stdio.h>
#include <string.h>

#include "blk_request.h"
#include "clock.h"
#include "dma.h"
#include "hc_block.h"
#include "interrupts.h"
#include "log.h"
#include "virtio_blk.h"
#include "x86.h"

#define PAGE 4096u

uint32_t hc_block_spin_us = 1000;
bool hc_block_trace;

/* One lguest block device of one guest. */
struct hc_block {
	struct guest *g;
	unsigned index;		/* descriptor index; IRQ index + 1 */
	uint32_t key;		/* gpa of the device page */
	struct vblk *disk;
	struct blk_disk info;	/* what the guest was told */
	char name[64];		/* the --block= value, for messages */

	/* The request in flight. */
	bool busy;
	bool is_write;
	uint32_t bytes;
	uint32_t reply_gpa;	/* claimed reply buffer; 0 = none */
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
	 * summed: time in hc_block_send(), of which copying and checking,
	 * and guest exits from the SEND_DMA to the completion. */
	uint64_t done[2], service_tsc[2], check_tsc[2], exits[2];
};

static struct hc_block blocks[VBLK_MAX_DISKS];
static unsigned nblocks;
static unsigned reserved;	/* --block options seen so far */

int hc_block_reserve(const char *name, char *err, size_t errlen)
{
	unsigned n = reserved++;

	if (n < vblk_count())
		return (int)n;
	snprintf(err, errlen, "--block=%s: no virtio-blk disk #%u for it (the "
		 "host found %u; tools/lguest adds one per --block)", name, n,
		 vblk_count());
	return -1;
}

int hc_block_attach(struct guest *g, unsigned index, uint32_t pfn,
		    unsigned disk, const char *name, char *err, size_t errlen)
{
	struct vblk *d = vblk_disk(disk);

	if (!d || nblocks >= VBLK_MAX_DISKS) {
		snprintf(err, errlen, "--block=%s: disk %u is gone", name, disk);
		return -1;
	}
	struct hc_block *b = &blocks[nblocks++];
	memset(b, 0, sizeof(*b));
	b->g = g;
	b->index = index;
	b->key = pfn * PAGE;
	b->disk = d;
	/* num_sectors is 32 bits: a disk over 2 TiB shows its first 2 TiB. */
	b->info.num_sectors = d->sectors > 0xFFFFFFFFu ? 0xFFFFFFFFu
						       : (uint32_t)d->sectors;
	b->info.read_only = d->read_only;
	snprintf(b->name, sizeof(b->name), "%s", name);
	gmem_write32(&g->mem, b->key + offsetof(struct lguest_block_page,
						num_sectors),
		     b->info.num_sectors);
	hlog("guest %u: block device %u (--block=%s): virtio-blk %u, %lu "
	     "sectors, key %#lx, irq %u\n", g->id, index, name, disk,
	     (unsigned long)b->info.num_sectors, (unsigned long)b->key,
	     LGUEST_DEVICE_IRQ(index));
	return 0;
}

static struct hc_block *find_block(const struct guest *g, uint32_t key)
{
	for (unsigned i = 0; i < nblocks; i++)
		if (blocks[i].g == g && blocks[i].key == key)
			return &blocks[i];
	return NULL;
}

/*H:710 The end of a block request, good or bad: the reply buffer's
 * used_len (bytes read, or 0 for a write or a failure), then `result`,
 * then the reply binding's IRQ (the device's own IRQ if the guest bound
 * no reply buffer). The guest looks at `result` when the IRQ arrives, so
 * it is written last. A guest that died meanwhile is left alone. :*/
static void complete(struct hc_block *b, bool ok)
{
	struct guest *g = b->g;

	b->busy = false;
	if (b->counted) {
		/* The SEND_DMA exit, and any (HALT, interrupts) since. */
		b->exits[b->is_write] += g->exits - b->exits_at_send + 1;
		b->done[b->is_write]++;
	}
	if (hc_block_trace && b->counted)
		hlog("BLKACK guest=%u dev=%u %s sector=%lu bytes=%lu result=%d "
		     "fnv=%08lx\n", g->id, b->index,
		     b->is_write ? "write" : "read", (unsigned long)b->sector,
		     (unsigned long)b->bytes, ok ? 1 : 2,
		     (unsigned long)b->hash);
	if (ok)
		b->bytes_moved += b->bytes;
	else
		b->errors++;
	if (guest_dead(g))
		return;
	if (b->reply_gpa)
		gmem_write32(&g->mem, b->reply_gpa,
			     ok && !b->is_write ? b->bytes : 0);
	gmem_write32(&g->mem, b->key + offsetof(struct lguest_block_page,
						result),
		     ok ? LGUEST_BLOCK_RESULT_OK : LGUEST_BLOCK_RESULT_ERROR);
	guest_raise_irq(g, b->irq);
	if (g->args.verbose)
		hlog("guest %u: block %u: %s of %lu bytes done, result %d\n",
		     g->id, b->index, b->is_write ? "write" : "read",
		     (unsigned long)b->bytes, ok ? 1 : 2);
}

static void disk_done(struct vblk *d, bool ok, void *ctx)
{
	struct hc_block *b = ctx;

	if (!ok)
		hlog("guest %u: block device %u (--block=%s): the disk "
		     "reported an I/O error; result 2\n", b->g->id, b->index,
		     b->name);
	(void)d;
	complete(b, ok);
}

/* Claim and copy the reply buffer; false if there is none (or it is not
 * readable, which we report and treat the same way). */
static bool claim_reply(struct hc_block *b, struct lguest_dma *reply)
{
	struct guest *g = b->g;
	unsigned irq = 0;
	uint32_t gpa = dma_get_buffer(g, b->key, &irq);

	b->reply_gpa = 0;
	b->irq = LGUEST_DEVICE_IRQ(b->index);
	if (!gpa)
		return false;
	b->reply_gpa = gpa;
	b->irq = irq;
	if (gmem_read(&g->mem, gpa, reply, sizeof(*reply)) == 0)
		return true;
	hlog("guest %u: block device %u: reply buffer at %#lx is not "
	     "inside guest memory\n", g->id, b->index, (unsigned long)gpa);
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

/* Could another guest use the CPU while this one's request runs? */
static bool others_runnable(const struct guest *g)
{
	for (unsigned i = 0; i < MAX_LGUEST_GUESTS; i++) {
		struct guest *o = &guests[i];
		if (o == g || o->state == GUEST_FREE || guest_dead(o))
			continue;
		if (o->state != GUEST_HALTED || interrupts_wakeup_pending(o))
			return true;
	}
	return false;
}

/*H:700 A guest's block request. The ABI allows one at a time; a guest
 * that sends another before the first completes waits here for the first
 * (it completes normally) rather than getting a muddle. Then: copy,
 * check, and either fail the request at once (result 2, with the reason
 * on the host's log; the 2.6.23 Launcher exited instead) or hand the
 * guest's own pages to the disk. :*/
bool hc_block_send(struct guest *g, uint32_t key, uint32_t dma_gpa,
		   const struct lguest_dma *dma)
{
	struct hc_block *b = find_block(g, key);
	struct lguest_block_page page;
	struct lguest_dma reply;
	struct blk_request req;
	struct vblk_seg segs[VBLK_MAX_SEGS];
	char err[256];

	if (!b)
		return false;
	uint64_t t0 = rdtsc();
	if (b->busy) {
		vblk_wait(b->disk);
		HOST_ASSERT(!b->busy);
	}
	b->exits_at_send = g->exits;
	gmem_write32(&g->mem, dma_gpa, 0);	/* the send's used_len */
	gmem_read(&g->mem, key, &page, sizeof(page));
	bool have_reply = claim_reply(b, &reply);
	b->copied_bytes += sizeof(page) + sizeof(*dma) +
			   (have_reply ? sizeof(reply) : 0);
	if (guest_dead(g))
		return true;	/* dma_get_buffer() killed it */
	b->is_write = page.type == LGUEST_BLOCK_TYPE_WRITE;
	b->bytes = 0;
	b->counted = false;
	if (blk_request_check(&page, dma, have_reply ? &reply : NULL, &g->mem,
			      &b->info, &req, err, sizeof(err))) {
		hlog("guest %u: block device %u (--block=%s): %s; result 2\n",
		     g->id, b->index, b->name, err);
		complete(b, false);
		return true;
	}
	b->bytes = req.bytes;
	if (req.nseg == 0) {		/* nothing to move */
		complete(b, true);
		return true;
	}
	/* Guest sections that are contiguous in guest memory are contiguous
	 * in host memory too (one block per guest): give the disk one
	 * descriptor for each run of them, not one per page. */
	unsigned nseg = 0;
	for (unsigned i = 0; i < req.nseg; i++) {
		uint32_t addr = (uint32_t)(uintptr_t)g->mem.base + req.seg[i].gpa;
		if (nseg && segs[nseg - 1].addr + segs[nseg - 1].len == addr) {
			segs[nseg - 1].len += req.seg[i].len;
		} else {
			segs[nseg].addr = addr;
			segs[nseg].len = req.seg[i].len;
			nseg++;
		}
	}
	b->busy = true;
	b->counted = true;
	b->sector = req.sector;
	if (hc_block_trace) {
		b->hash = req.is_write ? hash_segments(segs, nseg) : 0;
		hlog("BLKREQ guest=%u dev=%u %s sector=%lu bytes=%lu\n", g->id,
		     b->index, req.is_write ? "write" : "read",
		     (unsigned long)req.sector, (unsigned long)req.bytes);
	}
	b->check_tsc[req.is_write] += rdtsc() - t0;
	vblk_submit(b->disk, req.is_write, req.sector, segs, nseg,
		    disk_done, b);
	/* Wait for the disk here only if nobody else could use the time:
	 * then the guest gets its answer with no further exit. A disk with
	 * no interrupt line is always waited for. */
	if (b->disk->irq == VBLK_NO_IRQ)
		vblk_wait(b->disk);
	else
		vblk_spin(b->disk, others_runnable(g) ? 0
				   : (uint64_t)hc_block_spin_us * 1000);
	b->service_tsc[req.is_write] += rdtsc() - t0;
	return true;
}

static unsigned long us(uint64_t tsc, uint64_t n)
{
	return n ? (unsigned long)(clock_tsc_to_ns(tsc / n) / 1000) : 0;
}

void hc_block_guest_done(struct guest *g)
{
	for (unsigned i = 0; i < nblocks; i++) {
		struct hc_block *b = &blocks[i];
		if (b->g != g)
			continue;
		struct vblk *d = b->disk;
		hlog("guest %u: block device %u (--block=%s): %lu reads, %lu "
		     "writes, %lu failed, %lu KiB moved without copying, %lu "
		     "bytes of requests and descriptors copied\n", g->id,
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
			     "checking), disk %lu us (notify %lu)\n", g->id,
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
		     g->id, b->index, (unsigned long)d->waited,
		     (unsigned long)d->later, (unsigned long)d->flushes,
		     us(d->flush_tsc, d->flushes));
	}
}
