/*
 * host/dma.h: the guest's DMA bindings and sends (docs/abi.md §6): the
 * table behind BIND_DMA, the routing of SEND_DMA to a device, and the
 * launcher's GETDMA lookup.
 */
#ifndef LGREF_HOST_DMA_H
#define LGREF_HOST_DMA_H

#include "guest.h"

/* LHCALL_BIND_DMA: returns the value for EAX (1 or 0). */
uint32_t dma_bind(struct guest *g, uint32_t key, uint32_t array_gpa,
		  uint32_t ecx);

/* LHCALL_SEND_DMA. */
void dma_send(struct guest *g, uint32_t key, uint32_t dma_gpa);

/* The launcher's GETDMA (docs/abi.md §6.5): a free receive buffer (used_len
 * 0) bound at `key` by the newest binding, claimed by writing the binding's
 * IRQ into its used_len. Returns its gpa and sets *irq, or 0 when there is
 * none. Unlike the 2.6.23 host we never hand back a full buffer to be
 * overwritten (docs/abi.md §14): the caller keeps its data and retries. */
uint32_t dma_get_buffer(struct guest *g, uint32_t key, unsigned *irq);

/* Has the guest bound any receive buffer at `key`? */
bool dma_has_binding(struct guest *g, uint32_t key);

/* Drop every binding (the guest is gone). */
void dma_unbind_all(struct guest *g);

#endif
