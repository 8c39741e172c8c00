/*
 * kernel/hcall.h: making hypercalls, synchronously or through the async
 * ring in lguest_data (spec §2.1, §3). Call numbers and the register
 * convention are in include/lguest/lguest.h.
 */
#ifndef LGREF_KERNEL_HCALL_H
#define LGREF_KERNEL_HCALL_H

#include <stdint.h>

/*
 * Make hypercall `call` with up to three arguments and wait for it. The
 * host drains the async ring first. Returns %eax as the host left it:
 * meaningful only for LHCALL_BIND_DMA (1 = bound, 0 = failed).
 */
uint32_t hcall(uint32_t call, uint32_t arg1, uint32_t arg2, uint32_t arg3);

/*
 * Queue a hypercall in the async ring; the host runs it, in ring order,
 * at our next exit (any hypercall, trap or interrupt). If the ring is full
 * the call is made synchronously instead, which also drains the ring.
 * For calls whose result nobody needs: SET_PTE, SET_PMD and the like.
 * Safe with interrupts on or off.
 */
void hcall_async(uint32_t call, uint32_t arg1, uint32_t arg2, uint32_t arg3);

/* Make the host run everything queued so far (LHCALL_FLUSH_ASYNC). */
void hcall_flush(void);

/*
 * hcall_flush(), but only if a queued call is still waiting. The way back
 * to ring 3 calls it: user code may run for a long time without an exit,
 * and until the next exit the host has not seen what we queued (the
 * timer's next tick, say).
 */
void hcall_flush_pending(void);

#endif
