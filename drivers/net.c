/*
 * drivers/net.c: the lguest network driver (spec §8.3). A network device
 * has one page: an array of 6-byte slots, one MAC per guest on the LAN
 * (or the launcher's tun device in slot 0). Slot s receives at key
 * page + 4 * s, so we bind eight receive buffers at our slot's key, and
 * send a frame by a SEND_DMA to the key of each slot that wants it.
 *
 * The stack above is lib/netstack.h; this file only moves frames. The
 * peer rules are lib/netpeer.c; cutting buffers at page boundaries is
 * lib/blkseg.c. Not here: bringing an interface down (an interface is up
 * from probe to power-off), multicast filtering, scatter-gather sends.
 */
#include <stdio.h>
#include <string.h>

#include <lguest/launcher.h>

#include "../kernel/bootparams.h"
#include "../kernel/clock.h"
#include "../kernel/hcall.h"
#include "../kernel/irq.h"
#include "../kernel/kprintf.h"
#include "../kernel/lguest_data.h"
#include "../kernel/mm.h"
#include "../kernel/palloc.h"
#include "../kernel/vm.h"
#include "../kernel/x86.h"
#include "../lib/blkseg.h"
#include "../lib/netaddr.h"
#include "../lib/netcfg.h"
#include "../lib/netpeer.h"
#include "net.h"
#include "../lib/hot.h"

_Static_assert(NETPEER_PROMISC == LGUEST_NET_PROMISC, "promiscuous bit");
_Static_assert(NETPEER_SLOTS == LGUEST_NET_SLOTS_PER_PAGE, "slots");
_Static_assert(NET_ETH_FRAME_MAX == LGUEST_NET_BUF_SIZE, "frame size");
_Static_assert(NET_ETH_HLEN == LGUEST_NET_HDR_LEN, "Ethernet header");

/* The driver's own counters (the stack's are in struct netstack). */
struct net_stats {
	uint32_t rx_taken;    /* receive buffers found filled */
	uint32_t rx_bad_len;  /* ... with a length outside 14..1514: dropped */
	uint32_t tx_frames;   /* frames the stack asked us to send */
	uint32_t tx_sends;    /* SEND_DMAs made (one per receiving peer) */
	uint32_t tx_short;    /* ... whose used_len was not the frame length */
	uint32_t tx_no_peer;  /* frames no slot in the page wanted */
};

/* What every frame touches comes first, so that for a small frame it is
 * all on the structure's first page (under QEMU's TCG each page touched
 * after an address-space switch costs a page walk): the descriptors,
 * the driver's fields, the frame being handled, then the stack, whose
 * own hot fields and frame under construction (ns->tx) come first too.
 * The receive buffers themselves come last. */
struct net_if {
	/* The receive buffers' descriptors, bound as one array: 800 bytes
	 * at the start of the (page-aligned) structure, so in one page. */
	volatile struct lguest_dma rx_dma[NUM_SKBS] __attribute__((aligned(1024)));
	struct lguest_dma tx_dma __attribute__((aligned(128)));
	char name[8];                 /* "net0" */
	unsigned index;               /* bus slot */
	unsigned irq;                 /* index + 1 */
	unsigned slot;                /* ours in the page */
	unsigned rx_next;             /* where the next frame should be */
	uint32_t page_gpa;
	volatile struct lguest_net *page;
	uint8_t mac[NET_ETH_ALEN];
	bool nocsum, promisc;
	struct net_stats stats;
	uint8_t rx_frame[LGUEST_NET_BUF_SIZE]; /* the frame being handled */
	struct netstack stack;
	uint8_t rx_buf[NUM_SKBS][LGUEST_NET_BUF_SIZE];
};
_Static_assert(NUM_SKBS * sizeof(struct lguest_dma) <= 1024,
	       "receive descriptors share one page");
_Static_assert(offsetof(struct net_if, stack.tx) + 128 <= 4096,
	       "a small frame's bytes are on the first page");

#define NET_IF_PAGES ((sizeof(struct net_if) + PAGE_SIZE - 1) / PAGE_SIZE)

static struct net_if *net_ifs[LGUEST_MAX_DEVICES];
static unsigned net_nifs;
GUEST_HOT_DATA static struct net_if *net_by_irq[LGUEST_IRQS];

/* A DMA section never crosses a page (guest-to-guest rule, spec §6.2). */
static const struct blkseg_limits net_seg_limits = {
	LGUEST_MAX_DMA_SECTIONS, PAGE_SIZE, LGUEST_NET_BUF_SIZE, 1,
};

/* Point dma's sections at [buf, buf + len) (linear map, len <= 1514).
 * A buffer within one page (every small frame) is one section, written
 * here; only one that crosses a page is planned by lib/blkseg.c. */
GUEST_HOT_TEXT
static void net_set_sections(volatile struct lguest_dma *dma, const void *buf,
			     size_t len)
{
	struct blkseg segs[LGUEST_MAX_DMA_SECTIONS];
	unsigned n;
	uint32_t addr = gpa_val(virt_to_gpa(buf));

	if (len > 0 && (addr % PAGE_SIZE) + len <= PAGE_SIZE) {
		dma->addr[0] = addr;
		dma->len[0] = (uint16_t)len;
		dma->len[1] = 0;
		return;
	}
	blkseg_plan(addr, (uint32_t)len, &net_seg_limits,
		    segs, &n);
	for (unsigned i = 0; i < n; i++) {
		dma->addr[i] = segs[i].addr;
		dma->len[i] = (uint16_t)segs[i].len;
	}
	if (n < LGUEST_MAX_DMA_SECTIONS)
		dma->len[n] = 0;
}

/* Hand receive buffer i to the host: sections, then used_len. */
static void net_rx_arm(struct net_if *nif, unsigned i)
{
	net_set_sections(&nif->rx_dma[i], nif->rx_buf[i], LGUEST_NET_BUF_SIZE);
	x86_barrier();
	nif->rx_dma[i].used_len = 0;
}

/* Hand it back after a frame: its sections are still those net_rx_arm()
 * wrote (a host writes only used_len, spec §6), so used_len = 0 alone. */
GUEST_HOT_TEXT
static void net_rx_rearm(struct net_if *nif, unsigned i)
{
	x86_barrier();
	nif->rx_dma[i].used_len = 0;
}

GUEST_HOT_TEXT
static void net_read_slot(const struct net_if *nif, unsigned s,
			  uint8_t mac[NET_ETH_ALEN])
{
	for (unsigned i = 0; i < NET_ETH_ALEN; i++)
		mac[i] = nif->page[s].mac[i];
}

/* Write our MAC into our slot; its first byte, which makes the slot
 * "used", goes last. */
static void net_publish(struct net_if *nif)
{
	volatile uint8_t *m = nif->page[nif->slot].mac;

	for (unsigned i = 1; i < NET_ETH_ALEN; i++)
		m[i] = nif->mac[i];
	x86_barrier();
	m[0] = (uint8_t)(nif->mac[0] | (nif->promisc ? LGUEST_NET_PROMISC : 0));
}

/*D:220 Sending. There is no switch on an lguest LAN: the device page
 * lists who is there, and the sender delivers to each peer itself. We
 * walk every slot but ours and send to each one that wants the frame: a
 * broadcast or multicast goes to all, a unicast to the slot holding that
 * MAC, and anything at all to a slot with the promiscuous bit set (the
 * launcher's tun device sets it, so there every frame goes to slot 0).
 * Each delivery is its own SEND_DMA to that slot's key; the host copies
 * the frame into one of the peer's receive buffers and says in used_len
 * how much it moved. Short means the peer had no buffer free. :*/
GUEST_HOT_TEXT
static bool net_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct net_if *nif = ctx;
	unsigned sent = 0, delivered = 0;

	nif->stats.tx_frames++;
	net_set_sections(&nif->tx_dma, frame, len);
	const volatile uint8_t *page = (const volatile uint8_t *)nif->page;

	for (unsigned s = netpeer_next_used(page, 0); s < NETPEER_SLOTS;
	     s = netpeer_next_used(page, s + 1)) {
		uint8_t mac[NET_ETH_ALEN];
		if (s == nif->slot)
			continue;
		net_read_slot(nif, s, mac);
		if (!netpeer_wants(mac, frame))
			continue;
		nif->tx_dma.used_len = 0;
		x86_barrier();
		hcall(LHCALL_SEND_DMA, LGUEST_NET_SLOT_KEY(nif->page_gpa, s),
		      gpa_val(virt_to_gpa(&nif->tx_dma)), 0);
		nif->stats.tx_sends++;
		sent++;
		if (nif->tx_dma.used_len == len)
			delivered++;
		else
			nif->stats.tx_short++;
	}
	if (sent == 0)
		nif->stats.tx_no_peer++;
	return delivered > 0;
}
/*:*/

GUEST_HOT_TEXT
static uint64_t net_now_ms(void *ctx)
{
	(void)ctx;
	return clock_now_ms();
}

static const struct netstack_ops net_ops = {net_send_frame, net_now_ms};

/*D:230 Receiving. The host (or the launcher) copied a frame into one of
 * our buffers, wrote its length into used_len and raised our IRQ. We
 * take every filled buffer, starting where the last frame was so they
 * come in order: copy the frame out, hand the buffer straight back
 * (used_len = 0: its sections, written at probe, never change), and
 * only then give the copy to
 * the stack, whose replies may let the host fill that buffer again. A
 * length that cannot be an Ethernet frame is counted and dropped.
 * Returns the number of buffers taken in this one pass. :*/
GUEST_HOT_TEXT
static unsigned net_rx_pass(struct net_if *nif)
{
	unsigned start = nif->rx_next, taken = 0;

	for (unsigned k = 0; k < NUM_SKBS; k++) {
		unsigned i = (start + k) % NUM_SKBS;
		uint32_t len = nif->rx_dma[i].used_len;
		if (len == 0)
			continue;
		nif->stats.rx_taken++;
		taken++;
		nif->rx_next = (i + 1) % NUM_SKBS;
		bool ok = len >= LGUEST_NET_HDR_LEN && len <= LGUEST_NET_BUF_SIZE;
		if (ok)
			memcpy(nif->rx_frame, nif->rx_buf[i], len);
		net_rx_rearm(nif, i);
		if (!ok) {
			nif->stats.rx_bad_len++;
			continue;
		}
		netstack_input(&nif->stack, nif->rx_frame, len);
	}
	return taken;
}

/*D:231 A reply we sent from here may be answered before our send even
 * returns: a host can run the peer at once (lgref's does, when the peer
 * was halted). So a pass that took anything is followed by another, and
 * we leave only when a pass finds every buffer empty, rather than return,
 * halt and be woken straight away for a frame that was already there.
 * A few passes at most: a peer that never stops sending still lets the
 * rest of the kernel run (the IRQ stays pending for what is left). :*/
#define NET_RX_PASSES 4

GUEST_HOT_TEXT
bool net_poll(struct net_if *nif)
{
	unsigned passes = 0;

	while (passes < NET_RX_PASSES && net_rx_pass(nif))
		passes++;
	return passes > 0;
}

GUEST_HOT_TEXT
static void net_irq(unsigned irq)
{
	struct net_if *nif = irq < LGUEST_IRQS ? net_by_irq[irq] : NULL;

	if (nif)
		net_poll(nif);
}
/*:*/

/* "02:00:00:00:00:00 slot 1 ip 10.0.0.1/24 gw 10.0.0.254 nocsum" */
static void net_summary(const struct net_if *nif, char *out, size_t size)
{
	char mac[NETADDR_MAC_STRLEN], ip[NETADDR_IP_STRLEN];
	char gw[NETADDR_IP_STRLEN + 4] = "";
	const struct netstack_config *c = &nif->stack.cfg;

	if (c->gateway) {
		strcpy(gw, " gw ");
		netaddr_ip_str(c->gateway, gw + 4);
	}
	snprintf(out, size, "%s slot %u ip %s/%u%s%s%s",
		 netaddr_mac_str(nif->mac, mac), nif->slot,
		 netaddr_ip_str(c->ip, ip), netaddr_mask_prefix(c->netmask), gw,
		 nif->nocsum ? " nocsum" : "", nif->promisc ? " promisc" : "");
}

/*D:210 A network interface. Its page is the LAN's: for a guest-to-guest
 * LAN, every guest on it maps the same page, and the host matches our
 * keys in it with theirs. The launcher told us our slot in the device's
 * features. We set up the stack first, then bind eight receive buffers
 * at our slot's key with one BIND_DMA, and only then write our MAC into
 * the slot: that is what makes the others start sending to us. :*/
int net_probe(const struct bus_device *dev)
{
	volatile struct lguest_device_desc *desc = dev->desc;
	unsigned irq = LGUEST_DEVICE_IRQ(dev->index);
	unsigned slot = desc->features & LGUEST_NET_F_SLOT_MASK;

	if (net_nifs >= LGUEST_MAX_DEVICES || irq >= LGUEST_IRQS)
		return -1;
	if (desc->num_pages < 1 || desc->pfn == 0 ||
	    desc->pfn >= (1u << (32 - PAGE_SHIFT)) ||
	    slot >= LGUEST_NET_SLOTS_PER_PAGE) {
		kprintf("net: device %u: unusable (pages=%u pfn=0x%lx slot %u)\n",
			dev->index, desc->num_pages, (unsigned long)desc->pfn,
			slot);
		return -1;
	}
	struct net_if *nif = palloc_pages(NET_IF_PAGES);
	if (!nif) {
		kprintf("net: device %u: no memory\n", dev->index);
		return -1;
	}
	memset(nif, 0, sizeof(*nif));
	snprintf(nif->name, sizeof(nif->name), "net%u", net_nifs);
	nif->index = dev->index;
	nif->irq = irq;
	nif->slot = slot;
	nif->page_gpa = desc->pfn << PAGE_SHIFT;
	nif->page = vm_map_io(gpa(nif->page_gpa), 1);
	nif->nocsum = desc->features & LGUEST_NET_F_NOCSUM;
	netpeer_mac(lguest_data.guestid, nif->mac);

	struct netcfg cfg;
	const char *err = netcfg_from_cmdline(bootparams_cmdline(), net_nifs,
					      lguest_data.guestid, &cfg);
	if (err)
		kprintf("%s: %s; ignored\n", nif->name, err);
	nif->promisc = cfg.promisc;
	struct netstack_config sc = {
		.ip = cfg.ip, .netmask = cfg.netmask, .gateway = cfg.gateway,
		.skip_rx_csum = nif->nocsum, .skip_tx_udp_csum = nif->nocsum,
	};
	memcpy(sc.mac, nif->mac, NET_ETH_ALEN);
	netstack_init(&nif->stack, &sc, &net_ops, nif);
	for (unsigned i = 0; i < NUM_SKBS; i++)
		net_rx_arm(nif, i);

	net_by_irq[irq] = nif;
	if (irq_register(irq, net_irq) != 0)
		goto fail;
	uint32_t ok = hcall(LHCALL_BIND_DMA,
			    LGUEST_NET_SLOT_KEY(nif->page_gpa, slot),
			    gpa_val(virt_to_gpa(nif->rx_dma)),
			    (NUM_SKBS << LHCALL_BIND_DMA_COUNT_SHIFT) | irq);
	if (ok != 1)
		goto fail_unregister;
	net_ifs[net_nifs++] = nif;
	net_publish(nif);

	char line[96];
	net_summary(nif, line, sizeof(line));
	kprintf("%s: %s\n", nif->name, line);
	return 0;

fail_unregister:
	irq_unregister(irq);
fail:
	net_by_irq[irq] = NULL;
	kprintf("%s: device %u: cannot bind the receive buffers\n", nif->name,
		dev->index);
	for (size_t p = 0; p < NET_IF_PAGES; p++)
		palloc_free_page((char *)nif + p * PAGE_SIZE);
	return -1;
}
/*:*/

void net_describe(unsigned index, char *out, size_t size)
{
	out[0] = '\0';
	for (unsigned i = 0; i < net_nifs; i++) {
		if (net_ifs[i]->index != index)
			continue;
		char line[96];
		net_summary(net_ifs[i], line, sizeof(line));
		snprintf(out, size, "%s %s", net_ifs[i]->name, line);
		return;
	}
}

unsigned net_count(void)
{
	return net_nifs;
}

struct net_if *net_get(unsigned i)
{
	return i < net_nifs ? net_ifs[i] : NULL;
}

const char *net_name(const struct net_if *nif)
{
	return nif->name;
}

struct netstack *net_stack(struct net_if *nif)
{
	return &nif->stack;
}

struct net_if *net_route(uint32_t dst)
{
	for (unsigned i = 0; i < net_nifs; i++) {
		const struct netstack_config *c = &net_ifs[i]->stack.cfg;
		if (((dst ^ c->ip) & c->netmask) == 0)
			return net_ifs[i];
	}
	for (unsigned i = 0; i < net_nifs; i++)
		if (net_ifs[i]->stack.cfg.gateway)
			return net_ifs[i];
	return net_nifs ? net_ifs[0] : NULL;
}

void net_set_promisc(struct net_if *nif, bool on)
{
	uint32_t flags = irq_save();

	nif->promisc = on;
	net_publish(nif);
	irq_restore(flags);
}

void net_print(const struct net_if *nif)
{
	char line[96], mac[NETADDR_MAC_STRLEN];
	unsigned peers = 0;
	const struct net_stats *st = &nif->stats;

	net_summary(nif, line, sizeof(line));
	kprintf("%s: %s\n", nif->name, line);
	kprintf("  device %u irq %u page 0x%08lx key 0x%08lx\n", nif->index,
		nif->irq, (unsigned long)nif->page_gpa,
		(unsigned long)LGUEST_NET_SLOT_KEY(nif->page_gpa, nif->slot));
	for (unsigned s = 0; s < LGUEST_NET_SLOTS_PER_PAGE; s++) {
		uint8_t m[NET_ETH_ALEN];
		if (s == nif->slot || nif->page[s].mac[0] == 0)
			continue;
		net_read_slot(nif, s, m);
		bool promisc = m[0] & LGUEST_NET_PROMISC;
		m[0] &= (uint8_t)~LGUEST_NET_PROMISC;
		if (peers++ < 16)
			kprintf("  peer slot %u %s%s\n", s,
				netaddr_mac_str(m, mac),
				promisc ? " promisc" : "");
	}
	if (peers > 16)
		kprintf("  ... %u peers in all\n", peers);
	else if (peers == 0)
		kprintf("  no peers in the page\n");
	kprintf("  driver: rx_taken=%lu rx_bad_len=%lu tx_frames=%lu "
		"tx_sends=%lu tx_short=%lu tx_no_peer=%lu\n",
		(unsigned long)st->rx_taken, (unsigned long)st->rx_bad_len,
		(unsigned long)st->tx_frames, (unsigned long)st->tx_sends,
		(unsigned long)st->tx_short, (unsigned long)st->tx_no_peer);
}
