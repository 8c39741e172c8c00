/*
 * host/backends/virtio_blk.c: legacy virtio-blk over PCI (host/backends/virtio_blk.h).
 *
 * Start-up follows the legacy virtio PCI sequence: reset, ACKNOWLEDGE,
 * DRIVER, features, queue 0 at a page-aligned physically contiguous ring
 * from palloc, DRIVER_OK. A request is one descriptor chain that always
 * starts at descriptor 0 (only one request is ever in flight): the 16-byte
 * header, the data segments, the status byte. Completion is the used
 * ring's index moving; the status byte says whether it worked.
 */
#include <string.h>

#include "arch/hot.h"
#include "arch/clock.h"
#include "arch/log.h"
#include "arch/palloc.h"
#include "arch/pic.h"
#include "backends/virtio_blk.h"
#include "backends/virtio_pci.h"
#include "arch/x86.h"

enum vblk_durability vblk_durability = VBLK_WRITETHROUGH;

static struct vblk disks[VBLK_MAX_DISKS];
uint64_t vblk_device_tsc EXIT_HOT_DATA;
uint32_t vblk_reads_done EXIT_HOT_DATA;
static unsigned ndisks;

unsigned vblk_count(void)
{
	return ndisks;
}

struct vblk *vblk_disk(unsigned n)
{
	return n < ndisks ? &disks[n] : NULL;
}

/*H:600 A virtio-blk disk, the legacy way. The firmware gave the PCI
 * function an I/O BAR and an interrupt line; virtio_pci_begin() switches
 * on I/O decoding and bus mastering (the device reads and writes our
 * memory), resets the device and sets ACKNOWLEDGE and DRIVER; we go on to
 * DRIVER_OK. The only feature we may ask for is FLUSH, and
 * only when writes are made durable by flushing: QEMU takes a driver that
 * does not negotiate FLUSH as one that cannot flush and writes through
 * its cache instead. :*/
static int start_disk(struct vblk *d)
{
	if (virtio_pci_begin(&d->pci, "virtio-blk", &d->io, &d->irq))
		return -1;
	uint32_t offered = inl(d->io + VIRTIO_PCI_HOST_FEATURES);
	uint32_t want = 0;
	if (vblk_durability != VBLK_WRITETHROUGH &&
	    (offered & (1u << VIRTIO_BLK_F_FLUSH)))
		want |= 1u << VIRTIO_BLK_F_FLUSH;
	outl(d->io + VIRTIO_PCI_GUEST_FEATURES, want);
	d->flush = want & (1u << VIRTIO_BLK_F_FLUSH);
	d->read_only = offered & (1u << VIRTIO_BLK_F_RO);

	outw(d->io + VIRTIO_PCI_QUEUE_SEL, 0);
	d->qsize = inw(d->io + VIRTIO_PCI_QUEUE_NUM);
	if (d->qsize < VBLK_MAX_SEGS + 2 || (d->qsize & (d->qsize - 1))) {
		hlog("virtio-blk %02x:%02x.%x: queue size %u unusable (need a "
		     "power of two >= %u)\n", d->pci.bus, d->pci.dev, d->pci.fn,
		     d->qsize, VBLK_MAX_SEGS + 2);
		goto failed;
	}
	uint8_t *ring = palloc_contiguous(vring_legacy_size(d->qsize));
	if (!ring) {
		hlog("virtio-blk: out of memory for the queue\n");
		goto failed;
	}
	vring_legacy_layout(ring, d->qsize, &d->desc, &d->avail, &d->used);
	/* The request header and status byte live in the padding between
	 * the avail ring and the page-aligned used ring, which the device
	 * never reads or writes (no VIRTIO_RING_F_EVENT_IDX): the avail
	 * ring's page, which every request touches anyway, instead of a
	 * page of their own (one page walk fewer after a %cr3 load). */
	uint8_t *ctl = (uint8_t *)(((uintptr_t)&d->avail->ring[d->qsize] +
				     2 + 63) & ~(uintptr_t)63);
	if (ctl + 128 > (const uint8_t *)d->used)
		ctl = palloc_page();
	if (!ctl) {
		hlog("virtio-blk: out of memory for the queue\n");
		goto failed;
	}
	d->hdr = (struct virtio_blk_outhdr *)ctl;
	d->status = ctl + 64;
	d->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	outl(d->io + VIRTIO_PCI_QUEUE_PFN, virtio_phys(ring) >> 12);

	d->sectors = inl(d->io + VIRTIO_PCI_CONFIG + VIRTIO_BLK_CFG_CAPACITY) |
		(uint64_t)inl(d->io + VIRTIO_PCI_CONFIG +
			      VIRTIO_BLK_CFG_CAPACITY + 4) << 32;
	virtio_pci_set_status(d->io, VIRTIO_STATUS_DRIVER_OK);
	return 0;
failed:
	virtio_pci_set_status(d->io, VIRTIO_STATUS_FAILED);
	return -1;
}

unsigned vblk_init(void)
{
	struct pci_dev found[VBLK_MAX_DISKS];
	unsigned n = pci_find(VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_BLK_LEGACY,
			      found, VBLK_MAX_DISKS);

	if (n > VBLK_MAX_DISKS) {
		hlog("virtio-blk: %u disks found, using the first %u\n", n,
		     VBLK_MAX_DISKS);
		n = VBLK_MAX_DISKS;
	}
	for (unsigned i = 0; i < n; i++) {
		struct vblk *d = &disks[ndisks];
		memset(d, 0, sizeof(*d));
		d->pci = found[i];
		d->index = ndisks;
		if (start_disk(d))
			continue;	/* a later disk still gets the next number */
		ndisks++;
		if (d->irq != VBLK_NO_IRQ)
			pic_unmask_level(d->irq);
		hlog("virtio-blk %u: PCI %02x:%02x.%x, io %#x, irq %d, %lu "
		     "sectors (%lu MiB)%s, queue %u, %s\n", d->index,
		     d->pci.bus, d->pci.dev, d->pci.fn, d->io,
		     d->irq == VBLK_NO_IRQ ? -1 : d->irq,
		     (unsigned long)d->sectors,
		     (unsigned long)(d->sectors >> 11),
		     d->read_only ? ", read-only" : "", d->qsize,
		     !d->flush ? "write-through"
		     : vblk_durability == VBLK_FLUSH ? "flush after each write"
		     : "write-back, never flushed (unsafe)");
	}
	return ndisks;
}

/* Queue the chain that starts at descriptor 0 and tell the device. */
DMA_HOT_TEXT static void kick(struct vblk *d)
{
	d->avail->ring[d->avail_idx & (d->qsize - 1)] = 0;
	mb();
	d->avail->idx = ++d->avail_idx;
	mb();
	d->submit_tsc = rdtsc();
	/* Under TCG this write runs QEMU's request handler in the vCPU
	 * thread, up to handing the I/O to a worker: not free. */
	outw(d->io + VIRTIO_PCI_QUEUE_NOTIFY, 0);
	d->last_notify = rdtsc() - d->submit_tsc;
	d->notify_tsc += d->last_notify;
}

DMA_HOT_TEXT static void set_desc(struct vblk *d, unsigned i, uint32_t addr, uint32_t len,
		     uint16_t flags)
{
	d->desc[i].addr = addr;
	d->desc[i].len = len;
	d->desc[i].flags = flags;
	d->desc[i].next = (uint16_t)(i + 1);
}

DMA_HOT_TEXT void vblk_submit(struct vblk *d, bool is_write, uint64_t sector,
		 const struct vblk_seg *segs, unsigned nseg, vblk_done_fn done,
		 void *ctx)
{
	HOST_ASSERT(d->state == VBLK_IDLE && nseg <= VBLK_MAX_SEGS);
	d->hdr->type = is_write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
	d->hdr->ioprio = 0;
	d->hdr->sector = sector;
	*d->status = 0xFF;
	set_desc(d, 0, virtio_phys(d->hdr), sizeof(*d->hdr), VRING_DESC_F_NEXT);
	for (unsigned i = 0; i < nseg; i++)
		set_desc(d, 1 + i, segs[i].addr, segs[i].len,
			 VRING_DESC_F_NEXT |
			 (is_write ? 0 : VRING_DESC_F_WRITE));
	set_desc(d, 1 + nseg, virtio_phys(d->status), 1, VRING_DESC_F_WRITE);
	d->desc[1 + nseg].next = 0;
	d->state = VBLK_DATA;
	d->is_write = is_write;
	d->done = done;
	d->ctx = ctx;
	d->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	d->requests[is_write]++;
	kick(d);
}

static void submit_flush(struct vblk *d)
{
	d->hdr->type = VIRTIO_BLK_T_FLUSH;
	d->hdr->sector = 0;
	*d->status = 0xFF;
	set_desc(d, 0, virtio_phys(d->hdr), sizeof(*d->hdr), VRING_DESC_F_NEXT);
	set_desc(d, 1, virtio_phys(d->status), 1, VRING_DESC_F_WRITE);
	d->desc[1].next = 0;
	d->state = VBLK_FLUSHING;
	d->flushes++;
	kick(d);
}

DMA_HOT_TEXT static void finish(struct vblk *d, bool ok)
{
	vblk_done_fn done = d->done;

	d->state = VBLK_IDLE;
	d->last_ok = ok;
	d->done = NULL;
	if (!ok)
		d->errors++;
	if (done)
		done(d, ok, d->ctx);
}

DMA_HOT_TEXT bool vblk_poll(struct vblk *d)
{
	if (d->state == VBLK_IDLE || d->used->idx == d->used_idx)
		return false;
	mb();		/* read the status byte after the index */
	d->used_idx = d->used->idx;
	uint64_t took = rdtsc() - d->submit_tsc;
	vblk_device_tsc += took;
	bool ok = *d->status == VIRTIO_BLK_S_OK;
	if (d->state == VBLK_DATA) {
		d->data_tsc[d->is_write] += took;
		d->last_took = took;
		vblk_reads_done += !d->is_write;
		if (ok && d->is_write && vblk_durability == VBLK_FLUSH &&
		    d->flush) {
			submit_flush(d);
			return vblk_poll(d);	/* rarely done already */
		}
	} else {
		d->flush_tsc += took;
	}
	finish(d, ok);
	return true;
}

/*H:610 Interrupt or poll? A request under QEMU's TCG takes about a
 * hundred microseconds, and an interrupt costs an exit and QEMU's
 * interrupt path on top. So right after submitting we spin on the used ring for a while
 * with interrupts suppressed; only a request that outlasts the spin asks
 * the device for an interrupt. Clearing NO_INTERRUPT races with the
 * completion, hence the second look afterwards. :*/
DMA_HOT_TEXT bool vblk_spin(struct vblk *d, uint64_t spin_tsc)
{
	uint64_t end = rdtsc() + spin_tsc;

	do {
		if (vblk_poll(d)) {
			d->waited++;
			return true;
		}
		if (d->state == VBLK_IDLE)
			return true;
		cpu_relax();
	} while (rdtsc() < end);
	d->avail->flags = 0;
	mb();
	if (vblk_poll(d)) {
		d->waited++;
		return true;
	}
	return d->state == VBLK_IDLE;
}

bool vblk_wait(struct vblk *d, uint64_t timeout_ns)
{
	uint64_t end = rdtsc() + clock_ns_to_tsc(timeout_ns);

	while (d->state != VBLK_IDLE) {
		if (vblk_poll(d))
			d->waited++;
		else if (rdtsc() > end)
			return false;	/* still the device's: see the .h */
		else
			cpu_relax();
	}
	return true;
}

bool vblk_owns_irq(unsigned irq)
{
	for (unsigned i = 0; i < ndisks; i++)
		if (disks[i].irq == irq)
			return true;
	return false;
}

bool vblk_interrupt(unsigned irq)
{
	bool raised = false;

	for (unsigned i = 0; i < ndisks; i++) {
		struct vblk *d = &disks[i];
		if (d->irq != irq)
			continue;
		if (inb(d->io + VIRTIO_PCI_ISR)) {	/* lowers the line */
			raised = true;
			d->interrupts++;
		}
		if (vblk_poll(d))
			d->later++;
	}
	return raised;
}

void vblk_poll_all(void)
{
	for (unsigned i = 0; i < ndisks; i++)
		if (disks[i].state != VBLK_IDLE && vblk_poll(&disks[i]))
			disks[i].later++;
}
