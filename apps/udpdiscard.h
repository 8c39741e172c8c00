/*
 * apps/udpdiscard.h: the discard service (RFC 863) on UDP port 9 of
 * every interface: datagrams are counted and dropped, which makes it the
 * far end of `udpblast` (apps/udpblast.h). The `discard` command shows
 * the count, and can wait for a blast to end first, so a guest nobody can
 * type at can report it from a run= command (lib/bootcmd.h).
 */
#ifndef LGREF_APPS_UDPDISCARD_H
#define LGREF_APPS_UDPDISCARD_H

#define UDPDISCARD_PORT 9
#define UDPDISCARD_FIRST_WAIT_MS 60000 /* `discard MS`: longest wait for
					* the first datagram */

/* Bind port 9 on every interface (netapp_start() calls this). */
void udpdiscard_start(void);

/* The line for `net`: "udp discard on port 9: N datagrams (N bytes)". */
void udpdiscard_print(void);

/*
 * `discard [idle_ms]`: print
 *   UDPDISCARD datagrams=N bytes=N
 * counting since boot. With idle_ms (1..600000), first wait for a
 * datagram the last `discard` did not count (at most 60 s), then until
 * none has come for idle_ms: one `discard MS` per blast to count, even
 * if the blast is over before the command starts.
 */
void udpdiscard_command(const char *args);

#endif
