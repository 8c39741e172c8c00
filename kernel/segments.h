/*
 * kernel/segments.h: the CPU state the host keeps on our behalf: our GDT,
 * its TLS entries and the ring-1 stack it switches to (spec §4.8, §4.9).
 */
#ifndef LGREF_KERNEL_SEGMENTS_H
#define LGREF_KERNEL_SEGMENTS_H

#include <lguest/lguest.h>

#include "x86.h"

/* Load our 32-entry GDT (LHCALL_LOAD_GDT). */
void segments_init(void);

/* Register the boot stack with LHCALL_SET_STACK. */
void segments_set_stack(void);

/*
 * Replace TLS entries 6, 7 and 8 (LHCALL_LOAD_TLS) with tls[0..2]. Clears
 * %fs and %gs first (spec §4.8); `tls` must be in the linear map.
 */
void segments_load_tls(const struct x86_desc tls[GDT_ENTRY_TLS_ENTRIES]);

#endif
