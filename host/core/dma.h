/*
 * host/core/dma.h: the guest's DMA bindings and sends (docs/abi.md §6):
 * the table behind BIND_DMA, and the routing of SEND_DMA to another guest
 * or to one of the sender's devices. GETDMA for devices is in
 * host/core/device.h.
 */
#ifndef LGREF_HOST_DMA_H
#define LGREF_HOST_DMA_H

#include "core/guest.h"

/* LHCALL_BIND_DMA: returns the value for EAX (1 or 0). */
uint32_t dma_bind(struct guest *g, uint32_t key, uint32_t array_gpa,
		  uint32_t ecx);

/* LHCALL_SEND_DMA. */
void dma_send(struct guest *g, uint32_t key, uint32_t dma_gpa);

/* Drop every binding (the guest is gone). */
void dma_unbind_all(struct guest *g);

#endif
