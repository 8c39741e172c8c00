/*
 * drivers/blk.c: the lguest block driver (spec §8.2). One disk per type-3
 * device: its page holds the request (type, sector, bytes, result) and the
 * disk size; its address is the DMA key for both directions. A write
 * sends the data as the DMA's sections; a read puts the destination
 * sections in the reply buffer we bound at the key and sends an empty DMA
 * as a "ping". Either way the launcher sets `result` and raises the
 * device's IRQ, and the handler completes the request.
 *
 * Cutting transfers into requests is lib/blkseg.c; the API is in blk.h.
 * There is no queue: one request per disk at a time, and the caller
 * sleeps until it is done. Not here: partitions, caching, hot-plug.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <lguest/launcher.h>

#include "../kernel/clock.h"
#include "../kernel/hcall.h"
#include "../kernel/irq.h"
#include "../kernel/kprintf.h"
#include "../kernel/mm.h"
#include "../kernel/vm.h"
#include "../kernel/x86.h"
#include "../lib/blkseg.h"
#include "blk.h"

_Static_assert(BLK_SECTOR_SIZE == 512, "sector size");
_Static_assert(BLK_MAX_REQUEST == LGUEST_MAX_DMA_SECTIONS * PAGE_SIZE,
	       "a request is 16 pages at most");

enum blk_state {
	BLK_IDLE,     /* no request: blk_start() may send one */
	BLK_INFLIGHT, /* sent, waiting for the IRQ */
	BLK_DONE,     /* the IRQ came; blk_finish() collects the result */
};

struct blk_disk {
	/* The reply buffer, bound at the key: an array of one. Aligned so
	 * that neither descriptor crosses a page. */
	volatile struct lguest_dma reply __attribute__((aligned(128)));
	/* What we send: a write's data, or the empty "ping" of a read. */
	struct lguest_dma send __attribute__((aligned(128)));
	char name[8];              /* "lgba" */
	unsigned index;            /* bus slot */
	unsigned irq;              /* index + 1 */
	uint32_t key;              /* gpa of the device page */
	volatile struct lguest_block_page *page;
	uint32_t num_sectors;
	volatile enum blk_state state;
	volatile int32_t result;   /* the launcher's answer, as the IRQ saw it */
	volatile uint32_t reply_len;
	int32_t type;              /* of the request in flight */
	uint32_t bytes;
	bool dead;                 /* timed out: never used again */
	struct blk_stats stats;
};

static struct blk_disk blk_disks[BLK_MAX_DISKS];
static unsigned blk_ndisks;
static struct blk_disk *blk_by_irq[LGUEST_IRQS];

static const struct blkseg_limits blk_limits = {
	LGUEST_BLOCK_MAX_SEGMENTS, PAGE_SIZE, BLK_MAX_REQUEST, BLK_SECTOR_SIZE,
};

const char *blk_strerror(int err)
{
	switch (err) {
	case 0: return "ok";
	case BLK_EINVAL: return "invalid argument";
	case BLK_ERANGE: return "past the end of the disk";
	case BLK_EIO: return "I/O error (launcher result 2)";
	case BLK_ETIMEDOUT: return "no answer (timed out)";
	case BLK_EDEAD: return "disk out of service";
	case BLK_EBUSY: return "a request is already in flight";
	case BLK_ESHORT: return "short read (launcher result 1 with fewer "
				"bytes than asked)";
	default: return "unknown error";
	}
}

/* The reply buffer holds nothing and is free (spec §6.3: sections
 * first, then used_len = 0). */
static void blk_disarm_reply(struct blk_disk *d)
{
	d->reply.len[0] = 0;
	x86_barrier();
	d->reply.used_len = 0;
}

static void blk_irq(unsigned irq);
static bool blk_complete(struct blk_disk *d);

/*D:100 A disk. The launcher gave it one page, just above RAM, which we map
 * into our I/O window: the request goes there, and its guest-physical
 * address is the key for everything the disk does. Our side of the
 * conversation is a single reply buffer, bound at that key with the
 * device's IRQ; the launcher fills it when we read and raises the IRQ
 * when any request is done. The disk's size is in the page already. :*/
int blk_probe(const struct bus_device *dev)
{
	volatile struct lguest_device_desc *desc = dev->desc;
	unsigned irq = LGUEST_DEVICE_IRQ(dev->index);

	if (blk_ndisks >= BLK_MAX_DISKS || irq >= LGUEST_IRQS)
		return -1;
	if (desc->num_pages < 1 || desc->pfn == 0 ||
	    desc->pfn >= (1u << (32 - PAGE_SHIFT))) {
		kprintf("blk: device %u: no usable page (pages=%u pfn=0x%lx)\n",
			dev->index, desc->num_pages, (unsigned long)desc->pfn);
		return -1;
	}
	struct blk_disk *d = &blk_disks[blk_ndisks];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "lgb%c", 'a' + blk_ndisks);
	d->index = dev->index;
	d->irq = irq;
	d->key = desc->pfn << PAGE_SHIFT;
	d->page = vm_map_io(gpa(d->key), 1);
	d->num_sectors = d->page->num_sectors;
	d->state = BLK_IDLE;
	blk_disarm_reply(d);

	blk_by_irq[irq] = d;
	if (irq_register(irq, blk_irq) != 0)
		goto fail;
	uint32_t ok = hcall(LHCALL_BIND_DMA, d->key,
			    gpa_val(virt_to_gpa(&d->reply)),
			    (1u << LHCALL_BIND_DMA_COUNT_SHIFT) | irq);
	if (ok != 1)
		goto fail_unregister;
	blk_ndisks++;
	char size[48];
	blk_describe(dev->index, size, sizeof(size));
	kprintf("blk: %s, device %u, irq %u\n", size, dev->index, irq);
	return 0;

fail_unregister:
	irq_unregister(irq);
fail:
	blk_by_irq[irq] = NULL;
	kprintf("blk: device %u: cannot bind its reply buffer\n", dev->index);
	return -1;
}
/*:*/

/*D:110 Sending a request. The device page says what and where; the DMA
 * says with which memory. A write's data goes out as the sections of the
 * DMA we send. A read cannot work that way round (a send moves bytes from
 * us, not to us), so the destination goes into the reply buffer, and what
 * we send is an empty descriptor that only says "look at the page". Both
 * buffers' sections must be in place before their used_len says "free".
 * The launcher may answer at once or later. lgref's host answers inside
 * the hypercall when the disk is quick, and so did the 2.6.23 Launcher
 * (the guest ran again only once the Launcher had served the send). We
 * send with our disk's own line blocked (blocked_interrupts), so such an
 * answer is taken from the device page straight away: no interrupt
 * frame, handler and iret for it, 2-3 us a read under QEMU. The IRQ the
 * host raised stays pending behind the mask and comes later, with nothing
 * to do (a "spurious" one). Interrupts themselves stay on across the
 * send: the SEND_DMA exits are where a guest that only reads takes its
 * timer and every other interrupt, and with them off it took none (a
 * 3 s loop of reads saw 1-3 ticks of 300: tests/boot/blk_tick_spin). An
 * answer given later is the IRQ, as it always was. :*/
int blk_start(struct blk_disk *d, const struct blk_request *req)
{
	if (!d || !req || req->nsec > LGUEST_MAX_DMA_SECTIONS)
		return BLK_EINVAL;
	if (d->dead)
		return BLK_EDEAD;
	uint32_t flags = irq_save();
	if (d->state != BLK_IDLE) {
		irq_restore(flags);
		return BLK_EBUSY;
	}

	d->type = req->type;
	d->bytes = req->bytes;
	d->result = LGUEST_BLOCK_RESULT_PENDING;
	d->reply_len = 0;
	d->page->type = req->type;
	d->page->sector = req->sector;
	d->page->bytes = req->bytes;
	d->page->result = LGUEST_BLOCK_RESULT_PENDING;

	bool write = req->type == LGUEST_BLOCK_TYPE_WRITE;
	struct lguest_dma *out = &d->send;
	volatile struct lguest_dma *in = &d->reply;
	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
		uint32_t a = i < req->nsec ? req->addr[i] : 0;
		uint16_t l = i < req->nsec ? req->len[i] : 0;
		if (write) {
			out->addr[i] = a;
			out->len[i] = l;
		} else {
			in->addr[i] = a;
			in->len[i] = l;
		}
	}
	if (write)
		in->len[0] = 0;  /* nothing comes back */
	else
		out->len[0] = 0; /* the empty "ping" */
	x86_barrier();
	in->used_len = 0;
	out->used_len = 0;
	d->state = BLK_INFLIGHT; /* only now may an IRQ complete it */
	uint32_t line = 1u << d->irq;
	uint32_t blocked = lguest_data.blocked_interrupts & line;
	lguest_data.blocked_interrupts |= line;
	irq_restore(flags);
	hcall(LHCALL_SEND_DMA, d->key, gpa_val(virt_to_gpa(out)), 0);
	flags = irq_save();
	if (blk_complete(d))
		d->stats.at_send++;
	lguest_data.blocked_interrupts =
		(lguest_data.blocked_interrupts & ~line) | blocked;
	irq_restore(flags);
	return 0;
}
/*:*/

/*D:120 A block request is finished when the launcher has written its
 * verdict into the device page: 1 for "all of it", 2 for "no" (a short
 * transfer, or, in lgref, a request it refused). An IRQ with the result
 * still 0 is not ours to act on. Otherwise we note the verdict and how
 * much landed in the reply buffer, and hand the reply buffer back empty,
 * so the launcher has somewhere to put the next answer. The sleeper in
 * blk_finish() does the rest. Both blk_start(), right after the send, and
 * the IRQ look; the first to see the verdict completes the request, and
 * x86 keeps our two reads in the order the launcher wrote them (reply
 * used_len, then result). :*/
static bool blk_complete(struct blk_disk *d)
{
	int32_t result = d->page->result;
	if (result == LGUEST_BLOCK_RESULT_PENDING || d->state != BLK_INFLIGHT)
		return false;
	d->result = result;
	d->reply_len = d->reply.used_len;
	blk_disarm_reply(d);
	d->state = BLK_DONE;
	return true;
}

static void blk_irq(unsigned irq)
{
	struct blk_disk *d = irq < LGUEST_IRQS ? blk_by_irq[irq] : NULL;

	if (!d)
		return;
	if (blk_complete(d))
		d->stats.by_irq++;
	else
		d->stats.spurious++;
}
/*:*/

/* Give up on a disk whose request got no answer. The reply buffer may
 * still point into the caller's memory, which is about to be reused, so
 * we unbind it (once: unbinding twice is unsafe, spec §6.3). */
static void blk_give_up(struct blk_disk *d)
{
	d->dead = true;
	hcall(LHCALL_BIND_DMA, d->key, gpa_val(virt_to_gpa(&d->reply)), 0);
	kprintf("blk: %s: no answer to a request in %u ms; disk out of "
		"service\n", d->name, BLK_TIMEOUT_MS);
}

/*D:130 Waiting. Nothing else in the kernel wants the CPU, so we do what
 * the console does while it waits for a key: with interrupts off, look
 * for the answer, and if it is not there, HALT. The host wakes us for
 * any interrupt, our disk's or the timer's, and the loop looks again.
 * The timer also bounds the wait: a launcher that never answers costs
 * us the disk, not the kernel. :*/
int blk_finish(struct blk_disk *d, uint32_t *used_len)
{
	if (!d)
		return BLK_EINVAL;
	uint32_t flags = irq_save();
	if (d->state == BLK_IDLE) {
		irq_restore(flags);
		return BLK_EINVAL;
	}
	uint64_t start = clock_now_ns();
	while (d->state != BLK_DONE) {
		if (clock_now_ns() - start > BLK_TIMEOUT_MS * 1000000ull) {
			blk_give_up(d);
			irq_restore(flags);
			return BLK_ETIMEDOUT;
		}
		irq_wait();
	}
	d->state = BLK_IDLE;
	irq_restore(flags);
	/*:*/

	if (used_len)
		*used_len = d->reply_len;
	if (d->result != LGUEST_BLOCK_RESULT_OK) {
		d->stats.errors++;
		return BLK_EIO;
	}
	/* "Done" is not "all of it": a read is good only when the reply
	 * buffer holds every byte asked for. Whatever it holds otherwise,
	 * the caller gets an error, never the buffer as data. */
	if (d->type != LGUEST_BLOCK_TYPE_WRITE && d->reply_len != d->bytes) {
		d->stats.short_reads++;
		return BLK_ESHORT;
	}
	if (d->type == LGUEST_BLOCK_TYPE_WRITE) {
		d->stats.writes++;
		d->stats.written_bytes += d->bytes;
	} else {
		d->stats.reads++;
		d->stats.read_bytes += d->bytes;
	}
	return 0;
}

/* Is [p, p + len) inside the linear map of RAM? */
static bool blk_linear_ok(const void *p, uint64_t len)
{
	uint32_t v = (uint32_t)(uintptr_t)p;

	if (v < PAGE_OFFSET)
		return false;
	uint32_t off = v - PAGE_OFFSET;
	return off <= vm_ram_bytes() && len <= vm_ram_bytes() - off;
}

/* Sleep ms milliseconds: HALT until the timer (or anything) wakes us. */
static void blk_pause(uint32_t ms)
{
	uint64_t end = clock_now_ns() + (uint64_t)ms * 1000000u;
	uint32_t flags = irq_save();

	while (clock_now_ns() < end)
		irq_wait();
	irq_restore(flags);
}

/*D:140 A request that failed may be worth sending again. The driver
 * cannot tell why the launcher said result 2: a disk that stalled past
 * the host's deadline says so, and is usually back a moment later; a bad
 * block says so for ever. A read answered "done" but short is as
 * puzzling. So those two get BLK_TRIES tries in all, with a pause that
 * doubles, and then the error stands. Nothing else is retried: a
 * request we built wrong would only be refused again. :*/
static int blk_one(struct blk_disk *d, const struct blk_request *req,
		   unsigned tries, blk_try_fn note, void *ctx)
{
	for (unsigned attempt = 1;; attempt++) {
		int rc = blk_start(d, req);
		if (rc == 0)
			rc = blk_finish(d, NULL);
		if (rc == 0)
			return 0;
		bool curable = rc == BLK_EIO || rc == BLK_ESHORT;
		bool again = curable && attempt < tries;
		if (note && tries > 1) {
			struct blk_try t = {req->sector,
					    req->bytes / BLK_SECTOR_SIZE, rc,
					    attempt, again};
			note(ctx, &t);
		}
		if (!again)
			return rc;
		d->stats.retries++;
		blk_pause(BLK_RETRY_PAUSE_MS << (attempt - 1));
	}
}

/* The API's transfers: check, then one request at a time, each tried up
 * to `tries` times. */
static int blk_transfer(struct blk_disk *d, int32_t type, uint32_t sector,
			const void *buf, uint32_t count, unsigned tries,
			blk_try_fn note, void *ctx)
{
	if (!d || count == 0)
		return BLK_EINVAL;
	if (d->dead)
		return BLK_EDEAD;
	if ((uint64_t)sector + count > d->num_sectors)
		return BLK_ERANGE;
	uint64_t len64 = (uint64_t)count * BLK_SECTOR_SIZE;
	if (!blk_linear_ok(buf, len64))
		return BLK_EINVAL;
	uint32_t addr = gpa_val(virt_to_gpa(buf));
	uint32_t len = (uint32_t)len64;

	while (len > 0) {
		struct blkseg segs[LGUEST_MAX_DMA_SECTIONS];
		struct blk_request req;
		uint32_t got = blkseg_plan(addr, len, &blk_limits, segs,
					   &req.nsec);
		if (got == 0)
			return BLK_EINVAL; /* cannot happen with our limits */
		req.type = type;
		req.sector = sector;
		req.bytes = got;
		for (unsigned i = 0; i < req.nsec; i++) {
			req.addr[i] = segs[i].addr;
			req.len[i] = (uint16_t)segs[i].len;
		}
		int rc = blk_one(d, &req, tries, note, ctx);
		if (rc != 0)
			return rc;
		addr += got;
		len -= got;
		sector += got / BLK_SECTOR_SIZE;
	}
	return 0;
}

int blk_read(struct blk_disk *d, uint32_t sector, void *buf, uint32_t count)
{
	return blk_transfer(d, LGUEST_BLOCK_TYPE_READ, sector, buf, count, 1,
			    NULL, NULL);
}

int blk_write(struct blk_disk *d, uint32_t sector, const void *buf,
	      uint32_t count)
{
	return blk_transfer(d, LGUEST_BLOCK_TYPE_WRITE, sector, buf, count, 1,
			    NULL, NULL);
}

int blk_read_retry(struct blk_disk *d, uint32_t sector, void *buf,
		   uint32_t count, blk_try_fn note, void *ctx)
{
	return blk_transfer(d, LGUEST_BLOCK_TYPE_READ, sector, buf, count,
			    BLK_TRIES, note, ctx);
}

int blk_write_retry(struct blk_disk *d, uint32_t sector, const void *buf,
		    uint32_t count, blk_try_fn note, void *ctx)
{
	return blk_transfer(d, LGUEST_BLOCK_TYPE_WRITE, sector, buf, count,
			    BLK_TRIES, note, ctx);
}

unsigned blk_count(void)
{
	return blk_ndisks;
}

struct blk_disk *blk_disk(unsigned i)
{
	return i < blk_ndisks ? &blk_disks[i] : NULL;
}

struct blk_disk *blk_find(const char *name)
{
	for (unsigned i = 0; i < blk_ndisks; i++)
		if (strcmp(blk_disks[i].name, name) == 0)
			return &blk_disks[i];
	return NULL;
}

const char *blk_name(const struct blk_disk *d)
{
	return d->name;
}

uint32_t blk_sectors(const struct blk_disk *d)
{
	return d->num_sectors;
}

unsigned blk_bus_index(const struct blk_disk *d)
{
	return d->index;
}

void blk_get_stats(const struct blk_disk *d, struct blk_stats *st)
{
	*st = d->stats;
}

void blk_describe(unsigned index, char *out, size_t size)
{
	out[0] = '\0';
	for (unsigned i = 0; i < blk_ndisks; i++) {
		const struct blk_disk *d = &blk_disks[i];
		if (d->index != index)
			continue;
		uint32_t s = d->num_sectors;
		bool mib = s % 2048 == 0;
		snprintf(out, size, "%s %lu sectors (%lu %s)%s", d->name,
			 (unsigned long)s, (unsigned long)(mib ? s / 2048 : s / 2),
			 mib ? "MiB" : "KiB", d->dead ? " out of service" : "");
		return;
	}
}
