/*
 * host/rules/hcall_ring.h: the host's side of the async hypercall ring in
 * struct lguest_data (docs/abi.md §2.1). On every pass of the run loop
 * after LGUEST_INIT, before the synchronous call, the host drains the ring
 * with hcall_ring_process(): this file decides which slots run, in which
 * order, and what a fault means; the caller's callback runs each call.
 */
#ifndef LGREF_HOST_HCALL_RING_H
#define LGREF_HOST_HCALL_RING_H

#include <stddef.h>
#include <stdint.h>

#include "rules/gmem.h"

/* What a callback says after running one call, and what a drain did. */
enum hcall_ring_verdict {
	HCALL_RING_CONTINUE, /* call done; drain: ran every pending slot */
	HCALL_RING_STOP,     /* a SEND_DMA went to the Launcher: stop after
			      * this slot, resume at the next one next time */
	HCALL_RING_KILLED,   /* the guest must die */
};

/* Run one queued hypercall; return an enum hcall_ring_verdict. */
typedef int (*hcall_ring_run_fn)(void *ctx, uint32_t eax, uint32_t edx,
				 uint32_t ebx, uint32_t ecx);

/*
 * Drain the ring of the lguest_data at guest-physical data_gpa, starting
 * at *cursor (the host's own, 0..63; taken mod 64), which is advanced
 * past every slot taken. One snapshot of all 64 status bytes is taken
 * first, and only the snapshot decides: from the cursor, while the
 * snapshot byte is not 0xFF and at most 64 times, read that slot's
 * eax/edx/ebx/ecx from guest memory (at that moment), advance the cursor,
 * call run(), then write 0xFF to the slot's status byte. So a slot that
 * becomes pending during the drain waits for the next drain, and a slot
 * pending in the snapshot runs even if its status byte changed since.
 *
 * Returns HCALL_RING_CONTINUE when the snapshot had no more pending slots
 * (or 64 ran), HCALL_RING_STOP when run() asked to stop (its status byte
 * is written first), or HCALL_RING_KILLED when run() said so or returned
 * anything unknown (its status byte is still written, nothing further
 * runs, err is untouched: the callback knows the reason), or when a
 * slot's arguments could not be read (the cursor stays on that slot) or
 * its status byte not written (err says which and where).
 * If the status array itself cannot be read, nothing runs and the result
 * is HCALL_RING_CONTINUE: the 2.6.23 host skipped the pass without a kill.
 */
int hcall_ring_process(const struct gmem *g, uint32_t data_gpa,
		       unsigned *cursor, hcall_ring_run_fn run, void *ctx,
		       char *err, size_t errlen);

#endif
