/*
 * kernel/power.h: leaving the guest on purpose.
 */
#ifndef LGREF_KERNEL_POWER_H
#define LGREF_KERNEL_POWER_H

/*
 * Power off: LHCALL_CRASH with the message "Power down", as the Linux
 * guest does (spec §3.2). Flushes nothing: callers flush stdio first.
 */
__attribute__((noreturn)) void poweroff(void);

#endif
