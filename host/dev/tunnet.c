/*
 * host/dev/tunnet.c: the tun network device of docs/abi.md §8.3 on a
 * virtio-net NIC (host/dev/tunnet.h).
 *
 * Sending: the guest's SEND_DMA to page + 0 is checked
 * (host/rules/net_frame.c), its sections are copied into one of the NIC's
 * transmit buffers, and used_len = the frame's length before SEND_DMA
 * returns, as the 2.6.23 Launcher's write to the TAP did. Receiving: the
 * run loop polls the NICs; each frame is copied into a buffer the guest
 * bound at page + 4, GETDMA-style (host/core/dma.h), and the binding's IRQ is
 * raised. Where 2.6.23 overwrote the last buffer when all were full, we
 * leave the frame in the NIC's ring until the guest frees one.
 */
#include <stdio.h>
#include "arch/hot.h"
#include <string.h>

#include "arch/log.h"
#include "backends/virtio_net.h"
#include "dev/tunnet.h"
#include "dev/tunnet_inject.h"
#include "rules/net_frame.h"
#include "rules/tunnet_arg.h"

/* One lguest tun network device of one guest. */
struct tunnet_dev {
	bool used;		/* this slot of nets[] is a device */
	struct guest *g;
	unsigned index;		/* descriptor index; IRQ index + 1 */
	gpa_t page;		/* device page gpa = slot 0's key */
	struct vnet *nic;
	char name[64];		/* the --tunnet= value, for messages */
	bool holding;		/* the ring's first frame waits */
	uint32_t last_bad_buffer; /* gpa of the last bad buffer we logged */
	bool ran;		/* attached: its counters mean something */

	/* Counters, printed when the guest stops. */
	uint64_t tx_frames, tx_bytes;
	uint64_t tx_refused;	/* the send broke a rule: used_len 0 */
	uint64_t tx_busy;	/* every NIC buffer in flight: used_len 0 */
	uint64_t rx_frames, rx_bytes;
	uint64_t rx_unbound;	/* discarded: no buffer bound at page + 4 */
	uint64_t rx_waited;	/* had to wait for the guest to free one */
	uint64_t rx_too_big;	/* discarded: larger than the free buffer */
	uint64_t rx_bad_buffer;	/* discarded: buffer outside memory */

	struct tunnet_inject inject;	/* a test's net-* faults */
};

static struct tunnet_dev nets[VNET_MAX_NICS];
static unsigned nets_high EXIT_HOT_DATA;	/* nets[] used below this index, for poll */
static unsigned reserved;	/* --tunnet options seen so far */

/* As with --block, the n-th --tunnet of the host takes the n-th NIC,
 * whether or not its guest then starts. */
static int tunnet_reserve(struct device *d, const char *value, char *err,
			  size_t errlen)
{
	unsigned n = reserved++;
	struct tunnet_arg arg;
	struct tunnet_dev *t = NULL;

	if (tunnet_arg_parse(value, &arg, err, errlen))
		return -1;
	struct vnet *nic = vnet_nic(n);
	if (!nic) {
		snprintf(err, errlen, "--tunnet=%s: no virtio-net NIC #%u for "
			 "it (the host found %u; tools/lguest adds one per "
			 "--tunnet)", value, n, vnet_count());
		return -1;
	}
	for (unsigned i = 0; i < VNET_MAX_NICS && !t; i++)
		if (!nets[i].used)
			t = &nets[i];
	if (!t) {
		snprintf(err, errlen, "--tunnet=%s: too many tun devices", value);
		return -1;
	}
	memset(t, 0, sizeof(*t));
	if ((unsigned)(t - nets) >= nets_high)
		nets_high = (unsigned)(t - nets) + 1;
	t->used = true;
	t->g = d->g;
	t->index = d->index;
	t->nic = nic;
	snprintf(t->name, sizeof(t->name), "%s", value);
	d->priv = t;
	d->features = NET_PEERNUM | LGUEST_DEVICE_F_RANDOMNESS;
	d->num_pages = 1;
	return 0;
}

/*H:820 A --tunnet device is a page of MAC addresses, one per slot
 * (docs/abi.md §8.3). The guest is slot 1; slot 0 is "the TAP", for us
 * the NIC, and we write its MAC there with bit 0 set: promiscuous, so
 * the guest sends it every frame, whatever the destination. The guest
 * writes its own MAC into slot 1 when its interface comes up; we never
 * read it, since the NIC takes every frame QEMU's network gives it. :*/
static int tunnet_attach(struct device *d, char *err, size_t errlen)
{
	struct tunnet_dev *t = d->priv;
	struct lguest_net slot0;

	t->page = d->page;
	memcpy(slot0.mac, t->nic->mac, sizeof(slot0.mac));
	slot0.mac[0] |= LGUEST_NET_PROMISC;
	if (gmem_write(guest_mem(d->g), gpa_add(t->page,
		       LGUEST_NET_LAUNCHER_SLOT * sizeof(struct lguest_net)),
		       &slot0, sizeof(slot0))) {
		snprintf(err, errlen, "--tunnet=%s: device page outside guest "
			 "memory", t->name);
		return -1;
	}
	t->ran = true;
	const uint8_t *m = t->nic->mac;
	hlog("guest %u: net device %u (--tunnet=%s): virtio-net %u, MAC "
	     "%02x:%02x:%02x:%02x:%02x:%02x in slot 0 (promiscuous), key "
	     "%#lx; the guest is slot 1, key %#lx, irq %u\n", guest_id(d->g),
	     t->index, t->name, t->nic->index, m[0], m[1], m[2], m[3], m[4],
	     m[5], (unsigned long)gpa_val(t->page),
	     (unsigned long)LGUEST_NET_SLOT_KEY(gpa_val(t->page), NET_PEERNUM),
	     LGUEST_DEVICE_IRQ(t->index));
	return 0;
}

/*H:830 A frame from the guest to the outside. Copy the lguest_dma (the
 * caller did), check it, copy the frame into a NIC buffer: after that the
 * guest may reuse its memory, so used_len is final when SEND_DMA returns.
 * A send that breaks a rule moves nothing and keeps used_len 0, which the
 * guest counts as a lost frame; we say why on the host's log and the
 * guest goes on, as with a bad block request (H:700). :*/
static bool tunnet_send(struct device *d, gpa_t key, gpa_t dma_gpa,
			const struct lguest_dma *dma)
{
	struct tunnet_dev *t = d->priv;
	struct guest *g = d->g;
	struct gmem *mem = guest_mem(g);
	struct net_frame_send s;
	struct vnet_seg segs[2 * LGUEST_MAX_DMA_SECTIONS]; /* a section: <= 2 pages */
	unsigned nseg = 0;
	char err[160];

	if (gpa_val(key) != LGUEST_NET_SLOT_KEY(gpa_val(t->page),
						LGUEST_NET_LAUNCHER_SLOT))
		return false;
	gmem_write32(mem, dma_gpa, 0);
	if (net_frame_check_send(dma, mem, &s, err, sizeof(err))) {
		t->tx_refused++;
		hlog("guest %u: net device %u (--tunnet=%s): send at %#lx: %s; "
		     "not sent, used_len 0\n", guest_id(g), t->index, t->name,
		     (unsigned long)gpa_val(dma_gpa), err);
		return true;
	}
	/* Each section in pieces of host memory (host/rules/gmem.h): one
	 * that runs into a shared page is sent whole. */
	for (unsigned i = 0; i < s.nseg; i++) {
		struct gmem_walk w;
		struct gmem_piece p;
		if (gmem_walk_start(&w, mem, s.seg[i].gpa, s.seg[i].len))
			return true;	/* cannot happen: checked */
		while (nseg < 2 * LGUEST_MAX_DMA_SECTIONS &&
		       gmem_walk_next(&w, &p)) {
			segs[nseg].data = p.host;
			segs[nseg].len = p.len;
			nseg++;
		}
	}
	if ((inject_modes_on & INJECT_NET_MODES)
	    ? tunnet_inject_send(&t->inject, t->nic, segs, nseg, s.bytes)
	    : vnet_send(t->nic, segs, nseg)) {
		t->tx_busy++;
		return true;
	}
	gmem_write32(mem, dma_gpa, s.bytes);
	t->tx_frames++;
	t->tx_bytes += s.bytes;
	if (guest_verbose(g))
		hlog("guest %u: net %u: sent %lu bytes\n", guest_id(g), t->index,
		     (unsigned long)s.bytes);
	return true;
}

/* Give a claimed receive buffer back unfilled, and say why, once per
 * buffer in a row (a bad buffer would otherwise log every frame). */
static void refuse_buffer(struct tunnet_dev *t, gpa_t buf, const char *why)
{
	struct guest *g = t->g;

	t->rx_bad_buffer++;
	gmem_write32(guest_mem(g), buf, 0);
	if (t->last_bad_buffer == gpa_val(buf))
		return;
	t->last_bad_buffer = gpa_val(buf);
	hlog("guest %u: net device %u (--tunnet=%s): receive buffer at %#lx: "
	     "%s; frame discarded\n", guest_id(g), t->index, t->name,
	     (unsigned long)gpa_val(buf), why);
}

/*H:840 A frame from the outside, for the guest behind this NIC: the
 * 2.6.23 Launcher's GETDMA on slot 1's key (page + 4), a copy into the
 * buffer's sections, used_len = the length, and the binding's IRQ, which
 * wakes the guest if it sleeps. With no buffer bound at all (the
 * interface is down) the frame is discarded, as 2.6.23 did. With buffers
 * bound but all full we hold the frame, where 2.6.23 overwrote the last
 * buffer: it stays in the NIC's ring (and QEMU queues what comes after
 * it) until the guest frees a buffer; we look again at every exit. :*/
static enum tunnet_rx deliver(void *ctx, const uint8_t *frame, uint32_t len)
{
	struct tunnet_dev *t = ctx;
	struct guest *g = t->g;
	struct gmem *mem = guest_mem(g);
	gpa_t key = gpa(LGUEST_NET_SLOT_KEY(gpa_val(t->page), NET_PEERNUM));
	struct lguest_dma dma;
	unsigned irq = 0;
	uint32_t capacity;
	gpa_t buf;
	char err[160];

	if (guest_stopped(g) || !dma_has_binding(g, key)) {
		t->rx_unbound++;
		return TUNNET_RX_DISCARDED;
	}
	if (dma_get_buffer(g, key, &buf, &irq))
		return guest_stopped(g) ? TUNNET_RX_DISCARDED	/* killed */
					: TUNNET_RX_NO_BUFFER;
	if (gmem_read(mem, buf, &dma, sizeof(dma))) {
		refuse_buffer(t, buf, "its lguest_dma is not inside guest "
			      "memory");
		return TUNNET_RX_DISCARDED;
	}
	if (net_frame_check_buffer(&dma, mem, &capacity, err, sizeof(err))) {
		refuse_buffer(t, buf, err);
		return TUNNET_RX_DISCARDED;
	}
	if (len > capacity) {
		t->rx_too_big++;
		gmem_write32(mem, buf, 0);
		return TUNNET_RX_DISCARDED;
	}
	HOST_ASSERT(net_frame_scatter(mem, &dma, frame, len) == len);
	gmem_write32(mem, buf, len);
	guest_raise_irq(g, irq);
	t->rx_frames++;
	t->rx_bytes += len;
	if (guest_verbose(g))
		hlog("guest %u: net %u: received %lu bytes\n", guest_id(g),
		     t->index, (unsigned long)len);
	return TUNNET_RX_DELIVERED;
}

/* The NIC's callback (vnet_rx_fn): deliver(), or a test's faults first
 * (host/dev/tunnet_inject.c). A frame that waits for a free buffer is
 * offered again at every look, counted once. */
static bool receive(void *ctx, const uint8_t *frame, uint32_t len)
{
	struct tunnet_dev *t = ctx;
	bool was_holding = t->holding;
	bool done;

	t->holding = false;
	if (inject_modes_on & INJECT_NET_MODES)
		done = tunnet_inject_receive(&t->inject, deliver, t, frame, len,
					     !was_holding);
	else
		done = deliver(t, frame, len) != TUNNET_RX_NO_BUFFER;
	if (!done) {
		if (!was_holding)
			t->rx_waited++;
		t->holding = true;
	}
	return done;
}

/*H:850 When does the host look at a NIC? At every exit of every guest
 * (the run loop calls us), which costs a memory read per NIC. That leaves
 * the time a NIC's guest sleeps: then nothing else may run for a long
 * while, or another guest may run without exits, so for exactly that time
 * the NIC may interrupt. Turning the interrupt on races with a frame that
 * just arrived, hence the look right after. :*/
static EXIT_HOT_TEXT void tunnet_poll(void)
{
	for (unsigned i = 0; i < nets_high; i++) {
		struct tunnet_dev *t = &nets[i];
		if (!t->used || !t->ran)
			continue;
		if (guest_stopped(t->g)) {
			vnet_set_rx_interrupt(t->nic, false);
			continue;	/* its frames wait in QEMU, unread */
		}
		vnet_set_rx_interrupt(t->nic, guest_halted(t->g));
		if (vnet_rx_pending(t->nic))
			vnet_poll(t->nic, receive, t);
		if (inject_modes_on & INJECT_NET_MODES)
			tunnet_inject_poll(&t->inject, t->nic, deliver, t);
	}
}

static void tunnet_detach(struct device *d)
{
	struct tunnet_dev *t = d->priv;

	if (!t)
		return;
	if (t->ran) {
		unsigned id = guest_id(d->g);
		vnet_set_rx_interrupt(t->nic, false);
		hlog("guest %u: net device %u (--tunnet=%s): sent %lu frames "
		     "(%lu bytes), %lu refused, %lu dropped (NIC busy); "
		     "received %lu frames (%lu bytes), %lu waited for a free "
		     "buffer; discarded %lu with no buffer bound, %lu too big, "
		     "%lu for bad buffers\n", id, t->index, t->name,
		     (unsigned long)t->tx_frames, (unsigned long)t->tx_bytes,
		     (unsigned long)t->tx_refused, (unsigned long)t->tx_busy,
		     (unsigned long)t->rx_frames, (unsigned long)t->rx_bytes,
		     (unsigned long)t->rx_waited, (unsigned long)t->rx_unbound,
		     (unsigned long)t->rx_too_big,
		     (unsigned long)t->rx_bad_buffer);
		hlog("guest %u: net device %u: virtio-net %u: %lu interrupts, "
		     "%lu transmit notifies for %lu frames, %lu bad used "
		     "entries\n", id, t->index, t->nic->index,
		     (unsigned long)t->nic->interrupts,
		     (unsigned long)t->nic->tx_kicks,
		     (unsigned long)t->nic->tx_frames,
		     (unsigned long)t->nic->bad_used);
	}
	t->used = false;
	d->priv = NULL;
}

static void tunnet_host_init(const char *cmdline)
{
	(void)cmdline;
	vnet_init();
}

static bool tunnet_hw_irq(unsigned irq)
{
	return vnet_owns_irq(irq) && vnet_interrupt(irq);
}

/* Frames the guests sent are sent: let each NIC take them before QEMU
 * goes, or the last reply a guest sent could be lost. */
static void tunnet_host_exit(void)
{
	for (unsigned i = 0; i < vnet_count(); i++)
		if (!vnet_drain_tx(vnet_nic(i), 1000000000u))
			hlog("virtio-net %u: frames still unsent after 1 s\n", i);
}

const struct device_ops tunnet_device = {
	.name = "tunnet",
	.option = "tunnet",
	.type = LGUEST_DEVICE_T_NET,
	.host_init = tunnet_host_init,
	.reserve = tunnet_reserve,
	.attach = tunnet_attach,
	.send = tunnet_send,
	.detach = tunnet_detach,
	.poll = tunnet_poll,
	.poll_hint = &nets_high,	/* any tunnet: every exit */
	.hw_irq = tunnet_hw_irq,
	.host_exit = tunnet_host_exit,
};
