/*
 * kernel/kprintf.h: formatted kernel messages on the lguest console.
 */
#ifndef LGREF_KERNEL_KPRINTF_H
#define LGREF_KERNEL_KPRINTF_H

/*
 * printf to the console, unbuffered, usable from the first moment after
 * LHCALL_LGUEST_INIT and from interrupt handlers. Formatting is newlib's
 * vsnprintf (nano: no %ll, no floats) into a stack buffer: it never
 * allocates. A message longer than 512 bytes is cut.
 */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
