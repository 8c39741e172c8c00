/*
 * apps/netapp.h: the network programs of the default app: a UDP echo
 * server on port 7 of every interface, and the `ping` and `net` console
 * commands; also the helpers the other network commands share (udpecho,
 * udpblast: apps/udpecho.h, apps/udpblast.h; the discard service:
 * apps/udpdiscard.h; their arguments: lib/netargs.h). The interfaces
 * themselves are drivers/net.h's.
 */
#ifndef LGREF_APPS_NETAPP_H
#define LGREF_APPS_NETAPP_H

#include <stdint.h>

#define NETAPP_ECHO_PORT 7
#define NETAPP_EPHEMERAL_FIRST 49152 /* IANA's dynamic ports: 49152..65535 */

/* Start the UDP echo server and the discard service (apps/udpdiscard.h)
 * on every interface (none: nothing to do). */
void netapp_start(void);

/*
 * `ping <a.b.c.d> [count]`: count (default 4, at most 1000) ICMP echo
 * requests, each sent when the previous one was answered or after 1 s.
 * Prints, one line each:
 *   PING 10.0.0.2 via net0: 56 data bytes
 *   PING reply from=10.0.0.2 seq=1 bytes=56 rtt_us=123
 *   PING timeout seq=2
 *   PING summary sent=4 received=3 loss=25% rtt_us min=90 avg=110 max=123
 * (the rtt_us part only when something came back), or "ping: ..." for a
 * bad argument, no interface or no route.
 */
void netapp_ping(const char *args);

/*
 * `net`: every interface (drivers/net.c's view, then the stack's: ARP
 * cache and every counter as name=value). `net promisc on|off`: set the
 * promiscuous bit of every interface.
 */
void netapp_net(const char *args);

/*
 * `serve <seconds>`: nothing but the services (UDP echo, discard) for
 * that long, with a line every 5 s (apps/progress.h):
 *   SERVE[<id>] start: UDP echo on port 7 of N interfaces, for S s
 *   SERVE[<id>] t=<s> echoed=N          (datagrams echoed since boot)
 *   SERVE[<id>] done t=<s> echoed=N
 * For a guest whose whole job is to answer (scripts/soak.py), and to
 * keep answering while its peers finish.
 */
void netapp_serve(const char *args);

/* What a send function's error (NET_E*) means, for a message. */
const char *netapp_strerror(int rc);

/* A pseudo-random port for a client, in 49152..65535. */
uint16_t netapp_ephemeral_port(void);

/* The arguments "<a.b.c.d> [count] [len]" of a command like udpecho:
 * *count and *len hold the defaults on entry. Returns the interface that
 * reaches *dst, or NULL after printing "<cmd>: usage: ..." (naming the
 * length `len_name`) or "<cmd>: no network interface". */
struct net_if *netapp_count_len_args(const char *cmd, const char *args,
				     uint32_t *dst, unsigned *count,
				     unsigned *len, unsigned max_count,
				     unsigned max_len, const char *len_name);

#endif
