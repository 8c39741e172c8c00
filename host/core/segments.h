/*
 * host/core/segments.h: the guest's GDT as the CPU sees it (docs/abi.md §4.8).
 */
#ifndef LGREF_HOST_SEGMENTS_H
#define LGREF_HOST_SEGMENTS_H

#include "core/guest.h"

/* The initial GDT: flat kernel code and data at 12 and 13. */
void segments_init(struct guest *g);

/* LHCALL_LOAD_GDT and LHCALL_LOAD_TLS. Return -1 if the guest was killed. */
int segments_load_gdt(struct guest *g, uint32_t table_gpa, uint32_t count);
int segments_load_tls(struct guest *g, uint32_t tls_gpa);

/* LHCALL_SET_STACK (without the pinning, see shadow_pin_stack()). */
int segments_set_stack(struct guest *g, uint32_t ss, uint32_t esp,
		       uint32_t pages);

#endif
