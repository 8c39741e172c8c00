/*
 * kernel/lguest_data.h: the structure we share with the host (spec §2).
 * Data only, at the bottom of the kernel: the hypercall ring, the
 * interrupt flag and the clock all live in it. The handshake that hands
 * it to the host (LHCALL_LGUEST_INIT) is kernel/lguest.h's.
 */
#ifndef LGREF_KERNEL_LGUEST_DATA_H
#define LGREF_KERNEL_LGUEST_DATA_H

#include <lguest/lguest.h>

/*
 * Ours, in the kernel's BSS (so in the page_offset linear map) at a fixed
 * guest-physical address. volatile: the host writes irq_enabled, cr2,
 * time and hcall_status behind the compiler's back whenever we exit.
 */
extern volatile struct lguest_data lguest_data;

#endif
