/*
 * apps/udpblast.h: the `udpblast` console command, the sending half of
 * a packets-per-second measurement: datagrams to the discard port of
 * another guest (apps/udpdiscard.h), whose `discard` command tells how
 * many arrived.
 */
#ifndef LGREF_APPS_UDPBLAST_H
#define LGREF_APPS_UDPBLAST_H

#define UDPBLAST_DEFAULT_COUNT 10000
#define UDPBLAST_MAX_COUNT 10000000
#define UDPBLAST_DEFAULT_LEN 64
#define UDPBLAST_MAX_LEN 1472
/* The pause after a send nobody took. Under QEMU's TCG the host needs a
 * few hundred microseconds to run the receiver through its buffers; a
 * much shorter nap mostly ends first, and costs a failed send more. */
#define UDPBLAST_NAP_NS 200000

/*
 * `udpblast <a.b.c.d> [count] [len]`: send count (default 10000)
 * datagrams of len bytes (default 64, 1..1472) to UDP port 9 of the
 * address from a random port, as fast as they go. First the peer's MAC
 * is learned (ARP, one datagram, at most 1 s) so that none waits for it.
 * A datagram that no peer took (its receive buffers were all full) is
 * counted as failed and not sent again, and the sender pauses for
 * UDPBLAST_NAP_NS, which lets the host run the receiver. Prints
 *   UDPBLAST 10.0.0.2 port 9 via net0: 10000 datagrams of 64 bytes
 *   UDPBLAST sent=N failed=N seconds=N.NNN pps=N
 * where sent + failed = count, and seconds and pps (datagrams sent per
 * second) leave out the datagram that went with the ARP request; or
 * "udpblast: ..." for a bad argument, no interface or route, or no ARP
 * answer.
 */
void udpblast_command(const char *args);

#endif
