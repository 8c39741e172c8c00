/*
 * kernel/lguest.h: the two hypercalls that bracket a guest's life:
 * LHCALL_LGUEST_INIT, which must come first, and LHCALL_CRASH, which ends
 * it (panic and power-off alike).
 */
#ifndef LGREF_KERNEL_LGUEST_H
#define LGREF_KERNEL_LGUEST_H

#include <stdbool.h>

/*
 * Fill in what the host reads at LHCALL_LGUEST_INIT in lguest_data (the
 * noirq window, an empty async ring, interrupts off with the timer
 * blocked), call before_init (if not NULL: the program's
 * app_before_init(), kernel/app.h), then make the call. Must be the first
 * hypercall of all (spec §1.6).
 */
void lguest_init(void (*before_init)(void));

/* True once LHCALL_LGUEST_INIT has been made: hypercalls are allowed. */
bool lguest_ready(void);

/*
 * Ask the host to stop us for good with reason "CRASH: <msg>" (msg cut to
 * 127 bytes). Never returns. Safe anywhere: it does not allocate.
 * (lib/kapi.h declares it too, for lib/syscalls.c.)
 */
__attribute__((noreturn)) void lguest_crash(const char *msg);

/* The noirq window: labels in kernel/trapentry.S around its iret
 * replacement, where the host must not inject an interrupt. */
extern char lguest_noirq_start[], lguest_noirq_end[];

#endif
