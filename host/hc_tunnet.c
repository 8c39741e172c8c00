/*
 * host/hc_tunnet.c: the tun network device of docs/abi.md §8.3 on a
 * virtio-net NIC (host/hc_tunnet.h).
 *
 * Sending: the guest's SEND_DMA to page + 0 is checked
 * (host/net_frame.c), its sections are copied into one of the NIC's
 * transmit buffers, and used_len = the frame's length before SEND_DMA
 * returns, as the 2.6.23 Launcher's write to the TAP did. Receiving: the
 * run loop polls the NICs; each frame is copied into a buffer the guest
 * bound at page + 4, GETDMA-style (host/dma.h), and the binding's IRQ is
 * raised. Where 2.6.23 overwrote the last buffer when all were full, we
 * leave the frame in the NIC's ring until the guest frees one.
 */
#include <stdio.h>
#include <string.h>

#include "dma.h"
#include "hc_tunnet.h"
#include "log.h"
#include "net_frame.h"
#include "tunnet_arg.h"
#include "virtio_net.h"

#define PAGE 4096u

/* One lguest tun network device of one guest. */
struct hc_tunnet {
	struct guest *g;
	unsigned index;		/* descriptor index; IRQ index + 1 */
	uint32_t page;		/* device page gpa = slot 0's key */
	struct vnet *nic;
	char name[64];		/* the --tunnet= value, for messages */
	bool holding;		/* the ring's first frame waits */
	uint32_t last_bad_buffer; /* gpa of the last bad buffer we logged */

	/* Counters, printed when the guest stops. */
	uint64_t tx_frames, tx_bytes;
	uint64_t tx_refused;	/* the send broke a rule: used_len 0 */
	uint64_t tx_busy;	/* every NIC buffer in flight: used_len 0 */
	uint64_t rx_frames, rx_bytes;
	uint64_t rx_unbound;	/* discarded: no buffer bound at page + 4 */
	uint64_t rx_waited;	/* had to wait for the guest to free one */
	uint64_t rx_too_big;	/* discarded: larger than the free buffer */
	uint64_t rx_bad_buffer;	/* discarded: buffer outside memory */
};

static struct hc_tunnet nets[VNET_MAX_NICS];
static unsigned nnets;
static unsigned reserved;	/* --tunnet options seen so far */

int hc_tunnet_reserve(const char *value, char *err, size_t errlen)
{
	unsigned n = reserved++;
	struct tunnet_arg arg;

	if (tunnet_arg_parse(value, &arg, err, errlen))
		return -1;
	if (n < vnet_count())
		return (int)n;
	snprintf(err, errlen, "--tunnet=%s: no virtio-net NIC #%u for it (the "
		 "host found %u; tools/lguest adds one per --tunnet)", value,
		 n, vnet_count());
	return -1;
}

/*H:820 A --tunnet device is a page of MAC addresses, one per slot
 * (docs/abi.md §8.3). The guest is slot 1; slot 0 is "the TAP", for us
 * the NIC, and we write its MAC there with bit 0 set: promiscuous, so
 * the guest sends it every frame, whatever the destination. The guest
 * writes its own MAC into slot 1 when its interface comes up; we never
 * read it, since the NIC takes every frame QEMU's network gives it. :*/
int hc_tunnet_attach(struct guest *g, unsigned index, uint32_t pfn,
		     unsigned nic, const char *value, char *err,
		     size_t errlen)
{
	struct vnet *n = vnet_nic(nic);

	if (!n || nnets >= VNET_MAX_NICS) {
		snprintf(err, errlen, "--tunnet=%s: NIC %u is gone", value,
			 nic);
		return -1;
	}
	struct hc_tunnet *t = &nets[nnets++];
	memset(t, 0, sizeof(*t));
	t->g = g;
	t->index = index;
	t->page = pfn * PAGE;
	t->nic = n;
	snprintf(t->name, sizeof(t->name), "%s", value);
	struct lguest_net slot0;
	memcpy(slot0.mac, n->mac, sizeof(slot0.mac));
	slot0.mac[0] |= LGUEST_NET_PROMISC;
	gmem_write(&g->mem, t->page + LGUEST_NET_LAUNCHER_SLOT *
		   sizeof(struct lguest_net), &slot0, sizeof(slot0));
	const uint8_t *m = n->mac;
	hlog("guest %u: net device %u (--tunnet=%s): virtio-net %u, MAC "
	     "%02x:%02x:%02x:%02x:%02x:%02x in slot 0 (promiscuous), key "
	     "%#lx; the guest is slot 1, key %#lx, irq %u\n", g->id, index,
	     value, nic, m[0], m[1], m[2], m[3], m[4], m[5],
	     (unsigned long)t->page,
	     (unsigned long)LGUEST_NET_SLOT_KEY(t->page, NET_PEERNUM),
	     LGUEST_DEVICE_IRQ(index));
	return 0;
}

static struct hc_tunnet *find_net(const struct guest *g, uint32_t key)
{
	for (unsigned i = 0; i < nnets; i++)
		if (nets[i].g == g && LGUEST_NET_SLOT_KEY(nets[i].page,
				      LGUEST_NET_LAUNCHER_SLOT) == key)
			return &nets[i];
	return NULL;
}

/*H:830 A frame from the guest to the outside. Copy the lguest_dma (the
 * caller did), check it, copy the frame into a NIC buffer: after that the
 * guest may reuse its memory, so used_len is final when SEND_DMA returns.
 * A send that breaks a rule moves nothing and keeps used_len 0, which the
 * guest counts as a lost frame; we say why on the host's log and the
 * guest goes on, as with a bad block request (H:700). :*/
bool hc_tunnet_send(struct guest *g, uint32_t key, uint32_t dma_gpa,
		    const struct lguest_dma *dma)
{
	struct hc_tunnet *t = find_net(g, key);
	struct net_frame_send s;
	struct vnet_seg segs[LGUEST_MAX_DMA_SECTIONS];
	char err[160];

	if (!t)
		return false;
	gmem_write32(&g->mem, dma_gpa, 0);
	if (net_frame_check_send(dma, &g->mem, &s, err, sizeof(err))) {
		t->tx_refused++;
		hlog("guest %u: net device %u (--tunnet=%s): send at %#lx: %s; "
		     "not sent, used_len 0\n", g->id, t->index, t->name,
		     (unsigned long)dma_gpa, err);
		return true;
	}
	for (unsigned i = 0; i < s.nseg; i++) {
		segs[i].data = gmem_ptr(&g->mem, s.seg[i].gpa, s.seg[i].len);
		segs[i].len = s.seg[i].len;
	}
	if (vnet_send(t->nic, segs, s.nseg)) {
		t->tx_busy++;
		return true;
	}
	gmem_write32(&g->mem, dma_gpa, s.bytes);
	t->tx_frames++;
	t->tx_bytes += s.bytes;
	if (g->args.verbose)
		hlog("guest %u: net %u: sent %lu bytes\n", g->id, t->index,
		     (unsigned long)s.bytes);
	return true;
}

/* Give a claimed receive buffer back unfilled, and say why, once per
 * buffer in a row (a bad buffer would otherwise log every frame). */
static void refuse_buffer(struct hc_tunnet *t, uint32_t gpa, const char *why)
{
	struct guest *g = t->g;

	t->rx_bad_buffer++;
	gmem_write32(&g->mem, gpa, 0);
	if (t->last_bad_buffer == gpa)
		return;
	t->last_bad_buffer = gpa;
	hlog("guest %u: net device %u (--tunnet=%s): receive buffer at %#lx: "
	     "%s; frame discarded\n", g->id, t->index, t->name,
	     (unsigned long)gpa, why);
}

/*H:840 A frame from the outside, for the guest behind this NIC: the
 * 2.6.23 Launcher's GETDMA on slot 1's key (page + 4), a copy into the
 * buffer's sections, used_len = the length, and the binding's IRQ, which
 * wakes the guest if it sleeps. With no buffer bound at all (the
 * interface is down) the frame is discarded, as 2.6.23 did. With buffers
 * bound but all full we hold the frame, where 2.6.23 overwrote the last
 * buffer: it stays in the NIC's ring (and QEMU queues what comes after
 * it) until the guest frees a buffer; we look again at every exit. :*/
static bool receive(void *ctx, const uint8_t *frame, uint32_t len)
{
	struct hc_tunnet *t = ctx;
	struct guest *g = t->g;
	uint32_t key = LGUEST_NET_SLOT_KEY(t->page, NET_PEERNUM);
	struct lguest_dma dma;
	unsigned irq = 0;
	uint32_t capacity;
	char err[160];
	bool was_holding = t->holding;

	t->holding = false;
	if (guest_dead(g) || !dma_has_binding(g, key)) {
		t->rx_unbound++;
		return true;
	}
	uint32_t gpa = dma_get_buffer(g, key, &irq);
	if (guest_dead(g))
		return true;	/* dma_get_buffer() killed it: bad array */
	if (!gpa) {
		if (!was_holding)
			t->rx_waited++;
		t->holding = true;
		return false;
	}
	if (gmem_read(&g->mem, gpa, &dma, sizeof(dma))) {
		refuse_buffer(t, gpa, "its lguest_dma is not inside guest "
			      "memory");
		return true;
	}
	if (net_frame_check_buffer(&dma, &g->mem, &capacity, err,
				   sizeof(err))) {
		refuse_buffer(t, gpa, err);
		return true;
	}
	if (len > capacity) {
		t->rx_too_big++;
		gmem_write32(&g->mem, gpa, 0);
		return true;
	}
	HOST_ASSERT(net_frame_scatter(&g->mem, &dma, frame, len) == len);
	gmem_write32(&g->mem, gpa, len);
	guest_raise_irq(g, irq);
	t->rx_frames++;
	t->rx_bytes += len;
	if (g->args.verbose)
		hlog("guest %u: net %u: received %lu bytes\n", g->id, t->index,
		     (unsigned long)len);
	return true;
}

/*H:850 When does the host look at a NIC? At every exit of every guest
 * (the run loop calls us), which costs a memory read per NIC. That leaves
 * the time a NIC's guest sleeps: then nothing else may run for a long
 * while, or another guest may run without exits, so for exactly that time
 * the NIC may interrupt. Turning the interrupt on races with a frame that
 * just arrived, hence the look right after. :*/
void hc_tunnet_poll_all(void)
{
	for (unsigned i = 0; i < nnets; i++) {
		struct hc_tunnet *t = &nets[i];
		if (guest_dead(t->g)) {
			vnet_set_rx_interrupt(t->nic, false);
			continue;	/* its frames wait in QEMU, unread */
		}
		vnet_set_rx_interrupt(t->nic, t->g->state == GUEST_HALTED);
		if (vnet_rx_pending(t->nic))
			vnet_poll(t->nic, receive, t);
	}
}

void hc_tunnet_guest_done(struct guest *g)
{
	for (unsigned i = 0; i < nnets; i++) {
		struct hc_tunnet *t = &nets[i];
		if (t->g != g)
			continue;
		hlog("guest %u: net device %u (--tunnet=%s): sent %lu frames "
		     "(%lu bytes), %lu refused, %lu dropped (NIC busy); "
		     "received %lu frames (%lu bytes), %lu waited for a free "
		     "buffer; discarded %lu with no buffer bound, %lu too big, "
		     "%lu for bad buffers\n", g->id, t->index, t->name,
		     (unsigned long)t->tx_frames, (unsigned long)t->tx_bytes,
		     (unsigned long)t->tx_refused, (unsigned long)t->tx_busy,
		     (unsigned long)t->rx_frames, (unsigned long)t->rx_bytes,
		     (unsigned long)t->rx_waited, (unsigned long)t->rx_unbound,
		     (unsigned long)t->rx_too_big,
		     (unsigned long)t->rx_bad_buffer);
		hlog("guest %u: net device %u: virtio-net %u: %lu interrupts, "
		     "%lu transmit notifies for %lu frames, %lu bad used "
		     "entries\n", g->id, t->index, t->nic->index,
		     (unsigned long)t->nic->interrupts,
		     (unsigned long)t->nic->tx_kicks,
		     (unsigned long)t->nic->tx_frames,
		     (unsigned long)t->nic->bad_used);
	}
}
