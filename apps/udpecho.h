/*
 * apps/udpecho.h: the `udpecho` console command, a client for the UDP
 * echo service (RFC 862, port 7) that checks what comes back byte for
 * byte and times it. Its peer may be another lgref guest (apps/netapp.c
 * serves port 7) or anything else that echoes.
 */
#ifndef LGREF_APPS_UDPECHO_H
#define LGREF_APPS_UDPECHO_H

#define UDPECHO_DEFAULT_COUNT 10
#define UDPECHO_MAX_COUNT 100000
#define UDPECHO_MAX_LEN 1472 /* the most one 1514-byte frame carries */
#define UDPECHO_MAX_WINDOW 8 /* in flight: a peer binds 8 receive buffers */

/*
 * `udpecho <a.b.c.d> [count] [maxlen] [window]`: count (default 10)
 * datagrams of pseudo-random bytes, each of a random length in 1..maxlen
 * (default and at most 1472), from a random port in 49152..65535 to port
 * 7 of the address, up to `window` (default 1, at most 8) in flight: the
 * next goes when an echo came back or the oldest datagram out waited 1 s.
 * Prints, one line each:
 *   UDPECHO 10.0.0.2 port 7 via net0: 50 datagrams of 1..1472 bytes from
 *     port 50123                     (all on one line)
 *   UDPECHO up to 4 in flight (after the first echo)   (window > 1 only)
 *   UDPECHO seq=1 bytes=1203 rtt_us=412
 *   UDPECHO seq=2 timeout            (no echo within 1 s)
 *   UDPECHO seq=2 late: its echo came N us after it was sent, past the
 *     timeout
 *   UDPECHO seq=3 duplicate: a second echo
 *   UDPECHO seq=4 out of order: the echo of seq 5 came first
 *   UDPECHO seq=6 mismatch           (its echo differs from what was sent)
 *   UDPECHO mismatch: an echo of N bytes that matches no datagram sent
 *   UDPECHO summary sent=N received=N bad=N rtt_us p50=N p99=N min=N max=N
 *   UDPECHO lost=N duplicates=N out_of_order=N late=N bad=N
 * where received counts intact echoes in time, bad the mismatches, and
 * lost the datagrams whose echo never came; the summary's rtt_us part
 * (of the intact ones) only when received > 0, and " late=N" at its end
 * if echoes of timed-out datagrams came later. Or "udpecho: ..." for a
 * bad argument, no interface, no route or no port to bind.
 */
void udpecho_command(const char *args);

/*
 * `udpecho <a.b.c.d> for <seconds> [maxlen]` (apps/udpecho_for.c; args
 * without the "for <seconds>"): datagrams of 8..maxlen bytes, one at a
 * time, for that long, each naming itself (sequence number and run seed)
 * so that every echo, in time or late, is checked byte for byte. Waits
 * up to 60 s for the peer to answer once first. Prints
 *   UDPECHO[<id>] start <a.b.c.d> port 7 via net0 from port N: ...
 *   UDPECHO[<id>] progress t=<s> sent=N ok=N late=N lost=N bad=N dup=N
 *     refused=N rtt_us avg=N max=N          (every 5 s, on one line)
 *   UDPECHO[<id>] done t=<s> ...            (the same counts, at the end)
 * or "UDPECHO[<id>] stopped: ..." when the peer never answered or there
 * is no route. At the end it waits up to 5 s more for the echoes of
 * datagrams that timed out. The counts are defined at the top of udpecho_for.c.
 */
void udpecho_for_command(const char *args, uint32_t seconds);

#endif
