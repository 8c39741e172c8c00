/*
 * host/core/interrupts.h: virtual interrupts, trap reflection and the guest's
 * IDT (docs/abi.md §4). See interrupts.c.
 */
#ifndef LGREF_HOST_INTERRUPTS_H
#define LGREF_HOST_INTERRUPTS_H

#include "core/guest.h"

/* Rebuild the whole IDT the CPU uses for this guest (in its CPU page). */
void interrupts_write_idt(struct guest *g);

/* LHCALL_LOAD_IDT_ENTRY. Returns -1 if the guest was killed. */
int interrupts_load_idt_entry(struct guest *g, uint32_t vector, uint32_t lo,
			      uint32_t hi);

/* Reflect trap `vector` into the guest's handler. False if the guest has
 * no present gate for it (the caller kills the guest). */
bool interrupts_reflect_trap(struct guest *g, unsigned vector,
			     uint32_t errcode);

/* The delivery check of docs/abi.md §4.3, run before each guest entry. */
void interrupts_deliver(struct guest *g);

/* True when a halted guest has an interrupt it would accept. */
bool interrupts_wakeup_pending(struct guest *g);

/* Would g run if it had the CPU? Runnable, or halted with an interrupt it
 * would accept. (A free or dead guest is for the caller to skip.) */
static inline bool interrupts_guest_wants_cpu(struct guest *g)
{
	return g->state != GUEST_HALTED || interrupts_wakeup_pending(g);
}

/* Write the wall clock into lguest_data.time. */
void interrupts_update_time(struct guest *g);

#endif
