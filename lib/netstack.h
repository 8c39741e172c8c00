/*
 * lib/netstack.h: a tiny IPv4 stack for one Ethernet interface. This file
 * has the types, the set-up and the frame entry point (lib/netstack.c,
 * the Ethernet layer); each protocol has its own file and header: ARP
 * (lib/arp.c), IPv4 (lib/ipv4.c), ICMP echo (lib/icmp.c) and UDP
 * (lib/udp.c). Not here: TCP, fragments (dropped and counted), IP options
 * (skipped on input, never sent), routing beyond one gateway, loopback.
 *
 * Portable C with no kernel in sight: the owner hands the stack received
 * frames and gives it a function to send one, and the unit tests and the
 * fuzzer do exactly that natively. Every frame is parsed through
 * lib/netbytes.h with its length checked before each read; every reason
 * to drop one has a counter.
 *
 * Not reentrant: one caller at a time, and handlers run inside the call
 * that delivered the frame. (In the guest, the driver calls in from its
 * interrupt handler, and everyone else calls with interrupts disabled.)
 */
#ifndef LGREF_LIB_NETSTACK_H
#define LGREF_LIB_NETSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_ETH_ALEN 6
#define NET_ETH_HLEN 14           /* dst, src, ethertype */
#define NET_ETH_MTU 1500          /* payload */
#define NET_ETH_FRAME_MAX 1514    /* header + MTU, no FCS */
#define NET_ETH_FRAME_MIN 60      /* what we pad short frames to */
#define NET_ETHERTYPE_IPV4 0x0800
#define NET_ETHERTYPE_ARP 0x0806

#define NET_IP_HLEN 20            /* without options */
#define NET_IP_PROTO_ICMP 1
#define NET_IP_PROTO_UDP 17
#define NET_IP_BROADCAST 0xFFFFFFFFu
#define NET_ICMP_HLEN 8
#define NET_UDP_HLEN 8
#define NET_ICMP_MAX_DATA (NET_ETH_MTU - NET_IP_HLEN - NET_ICMP_HLEN)
#define NET_UDP_MAX_DATA (NET_ETH_MTU - NET_IP_HLEN - NET_UDP_HLEN)

#define NET_ARP_CACHE_SIZE 8      /* neighbours remembered */
#define NET_ARP_TTL_MS 300000     /* a learned MAC is trusted this long */
#define NET_ARP_RETRY_MS 1000     /* at most one request per neighbour per s */
#define NET_UDP_PORTS 4           /* UDP ports that can be bound */

/* Errors from the send functions (0 is success). */
#define NET_ENOROUTE (-1) /* off-subnet without a gateway, or ourselves */
#define NET_ETOOBIG (-2)  /* payload does not fit one frame */
#define NET_ETX (-3)      /* the frame went nowhere: no peer took it */
#define NET_ENOSPC (-4)   /* udp_bind(): no free port slot */
#define NET_EBUSY (-5)    /* udp_bind(): port already bound */
#define NET_EINVAL (-6)   /* udp_bind(): port 0 or no handler */

/*
 * Every counter, with what it counts. Drops come first, by layer; each
 * received frame that is not delivered bumps exactly one drop counter.
 */
#define NETSTACK_COUNTERS(X)                                                 \
	X(rx_frames, "frames received")                                      \
	X(rx_runt, "drop: shorter than an Ethernet header")                  \
	X(rx_oversize, "drop: longer than 1514 bytes")                       \
	X(rx_not_for_us, "drop: destination MAC not ours nor broadcast")     \
	X(rx_from_us, "drop: source MAC is ours")                            \
	X(rx_unknown_type, "drop: ethertype neither IPv4 nor ARP")           \
	X(arp_in, "ARP packets")                                             \
	X(arp_truncated, "drop: ARP shorter than 28 bytes")                  \
	X(arp_bad_format, "drop: ARP not for Ethernet and IPv4")             \
	X(arp_bad_op, "drop: ARP neither request nor reply")                 \
	X(arp_conflict, "drop: ARP from someone using our IP")               \
	X(arp_replies_sent, "ARP requests for our IP answered")              \
	X(arp_requests_sent, "ARP requests sent")                            \
	X(arp_queue_replaced, "packets dropped waiting for ARP (replaced)")  \
	X(arp_evictions, "ARP entries pushed out of a full cache")           \
	X(ip_in, "IPv4 packets")                                             \
	X(ip_truncated, "drop: IPv4 shorter than 20 bytes")                  \
	X(ip_bad_version, "drop: IP version not 4")                          \
	X(ip_bad_hdr_len, "drop: IHL below 5 or past the packet")            \
	X(ip_bad_len, "drop: total length below IHL or past the frame")      \
	X(ip_bad_csum, "drop: IPv4 header checksum")                         \
	X(ip_fragment, "drop: a fragment (not reassembled)")                 \
	X(ip_bad_src, "drop: source 0, broadcast or multicast")              \
	X(ip_not_for_us, "drop: destination not our IP nor broadcast")       \
	X(ip_unknown_proto, "drop: protocol neither ICMP nor UDP")           \
	X(icmp_in, "ICMP messages")                                          \
	X(icmp_truncated, "drop: ICMP shorter than 8 bytes")                 \
	X(icmp_bad_csum, "drop: ICMP checksum")                              \
	X(icmp_ignored, "drop: ICMP other than echo, or echo to broadcast")  \
	X(icmp_echo_requests, "echo requests answered")                      \
	X(icmp_echo_replies, "echo replies received")                        \
	X(udp_in, "UDP datagrams")                                           \
	X(udp_truncated, "drop: UDP shorter than 8 bytes")                   \
	X(udp_bad_len, "drop: UDP length below 8 or past the packet")        \
	X(udp_bad_csum, "drop: UDP checksum")                                \
	X(udp_no_port, "drop: no one bound to the port")                     \
	X(udp_delivered, "UDP datagrams delivered")                          \
	X(tx_frames, "frames sent")                                          \
	X(tx_failed, "frames no peer took")                                  \
	X(tx_no_route, "sends with no route")                                \
	X(tx_too_big, "sends too big for a frame")

struct netstack_counters {
#define NETSTACK_COUNTER_FIELD(name, what) uint32_t name;
	NETSTACK_COUNTERS(NETSTACK_COUNTER_FIELD)
#undef NETSTACK_COUNTER_FIELD
};

/* The interface's addresses. IPv4 addresses are host-order integers
 * (10.0.2.15 is 0x0A00020F) everywhere in the stack's API. */
struct netstack_config {
	uint8_t mac[NET_ETH_ALEN];
	uint32_t ip;
	uint32_t netmask;      /* 0xFFFFFF00 for /24 */
	uint32_t gateway;      /* 0: off-subnet destinations are unreachable */
	bool skip_rx_csum;     /* don't verify ICMP and UDP checksums (the
				* lguest NOCSUM LAN); the IPv4 header's is
				* always verified */
	bool skip_tx_udp_csum; /* send UDP datagrams with checksum 0,
				* "none" (the NOCSUM LAN too); ICMP and
				* IPv4 checksums are always computed */
};

struct netstack;

/* What the owner provides. Both are called only from inside a stack call. */
struct netstack_ops {
	/* Put one frame on the wire: len is NET_ETH_FRAME_MIN..FRAME_MAX.
	 * Return true if it went somewhere (a peer took it). */
	bool (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
	/* Milliseconds from any fixed point, never decreasing (ARP ages). */
	uint64_t (*now_ms)(void *ctx);
};

/* One neighbour: resolved, or being resolved with one packet waiting. */
enum arp_state { ARP_FREE, ARP_PENDING, ARP_RESOLVED };
struct arp_entry {
	uint32_t ip;
	uint8_t mac[NET_ETH_ALEN];
	uint8_t state;             /* enum arp_state */
	uint8_t requests;          /* pending: requests sent so far */
	uint64_t stamp_ms;         /* resolved: learned; pending: last request */
	uint16_t queued_len;       /* bytes of the waiting IPv4 packet (in
				    * the netstack's arp_queued[] row of
				    * the same index), or 0 */
};

/* A UDP datagram as handed to a bound port's handler. */
struct udp_rx {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
	const uint8_t *data;       /* valid during the call only */
	size_t len;
};
typedef void (*udp_handler_t)(struct netstack *ns, void *ctx,
			      const struct udp_rx *d);

/* An ICMP echo reply, as handed to the echo handler (ping). */
struct icmp_echo_rx {
	uint32_t src_ip;
	uint16_t id, seq;
	const uint8_t *data;       /* valid during the call only */
	size_t len;
};
typedef void (*icmp_echo_handler_t)(struct netstack *ns, void *ctx,
				    const struct icmp_echo_rx *e);

/* All of an interface's stack state; the owner allocates it. */
struct netstack {
	struct netstack_config cfg;
	const struct netstack_ops *ops;
	void *ctx;
	uint16_t ip_id;            /* next IPv4 identification */
	struct arp_entry arp[NET_ARP_CACHE_SIZE];
	struct {
		uint16_t port;     /* 0 = free */
		udp_handler_t handler;
		void *ctx;
	} udp[NET_UDP_PORTS];
	icmp_echo_handler_t echo_handler;
	void *echo_ctx;
	struct netstack_counters cnt;
	uint8_t tx[NET_ETH_FRAME_MAX]; /* every outgoing frame is built here */
	/* The packets waiting for ARP, one per arp[] entry, kept apart so
	 * that what every frame touches (the fields above) is 2 KB, not 14:
	 * a page less per frame under QEMU's TCG. */
	uint8_t arp_queued[NET_ARP_CACHE_SIZE][NET_ETH_MTU];
};

/* Set up ns (any previous contents are forgotten). ops must outlive it. */
void netstack_init(struct netstack *ns, const struct netstack_config *cfg,
		   const struct netstack_ops *ops, void *ctx);

/*
 * A frame arrived: any length, any bytes (it is never written to, and
 * may be freed once this returns). Replies and handlers run before it
 * returns.
 */
void netstack_input(struct netstack *ns, const uint8_t *frame, size_t len);

/*
 * For the protocol files: send the frame in ns->tx whose payload (at
 * ns->tx + NET_ETH_HLEN, len bytes <= NET_ETH_MTU) is already in place,
 * to dst with this ethertype. Short frames are padded with zeros.
 * Returns 0 or NET_ETX, counting tx_frames or tx_failed.
 */
int netstack_eth_send(struct netstack *ns, const uint8_t dst[NET_ETH_ALEN],
		      uint16_t ethertype, size_t len);

/* The counters as a list: how many, and each one's name, meaning and
 * value (NULL / 0 past the end). */
unsigned netstack_counter_count(void);
const char *netstack_counter_name(unsigned i);
const char *netstack_counter_what(unsigned i);
uint32_t netstack_counter_value(const struct netstack *ns, unsigned i);

#endif
