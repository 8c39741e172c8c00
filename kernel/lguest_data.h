/*
 * kernel/lguest_data.h: the structure we share with the host (spec §2),
 * the LGUEST_INIT handshake and the crash hypercall.
 */
#ifndef LGREF_KERNEL_LGUEST_DATA_H
#define LGREF_KERNEL_LGUEST_DATA_H

#include <stdbool.h>

#include <lguest/lguest.h>

/*
 * Ours, in the kernel's BSS (so in the page_offset linear map) at a fixed
 * guest-physical address. volatile: the host writes irq_enabled, cr2,
 * time and hcall_status behind the compiler's back whenever we exit.
 */
extern volatile struct lguest_data lguest_data;

/*
 * Fill in what the host reads at LHCALL_LGUEST_INIT (the noirq window,
 * an empty async ring, interrupts off with the timer blocked), give the
 * program's app_before_init() its chance, then make the call. Must be the
 * first hypercall of all (spec §1.6).
 */
void lguest_data_init(void);

/* True once LHCALL_LGUEST_INIT has been made: hypercalls are allowed. */
bool lguest_data_ready(void);

/*
 * Ask the host to stop us for good with reason "CRASH: <msg>" (msg cut to
 * 127 bytes). Never returns. Safe anywhere: it does not allocate.
 */
__attribute__((noreturn)) void lguest_crash(const char *msg);

#endif
