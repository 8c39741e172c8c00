/*
 * host/core/hypercalls.h: serving hypercalls (docs/abi.md §3).
 */
#ifndef LGREF_HOST_HYPERCALLS_H
#define LGREF_HOST_HYPERCALLS_H

#include "core/guest.h"

/* Run one hypercall. True if it produced a value for EAX (*eax set):
 * only BIND_DMA does. The guest may be dead afterwards. */
bool hypercall_run(struct guest *g, uint32_t call, uint32_t edx, uint32_t ebx,
		   uint32_t ecx, uint32_t *eax);

/* Run what the guest queued in its async ring (docs/abi.md §2).
 * hcall_waiting: the guest's last exit was a hypercall not yet served
 * (it runs after the queued calls; the flight recorder shows them in
 * that order). */
void hypercall_drain_ring_slow(struct guest *g, bool hcall_waiting);
static inline void hypercall_drain_ring(struct guest *g, bool hcall_waiting)
{
	/* Most exits find the ring empty: one byte tells, with no call on
	 * the exit path (host/arch/hot.h). */
	if (g->initialised &&
	    g->data->hcall_status[g->hcall_cursor] != LHCALL_STATUS_FREE)
		hypercall_drain_ring_slow(g, hcall_waiting);
}

#endif
