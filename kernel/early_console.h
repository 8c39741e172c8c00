/*
 * kernel/early_console.h: console output as a kernel facility. It works
 * from the first hypercall after LHCALL_LGUEST_INIT, before any IDT, GDT,
 * stack, interrupt or driver (spec §13, "Console output from the start"),
 * and needs none of them later either: kprintf, the panic path and ring
 * 3's write() print through it, and the console driver
 * (drivers/console.c) builds its output on it.
 */
#ifndef LGREF_KERNEL_EARLY_CONSOLE_H
#define LGREF_KERNEL_EARLY_CONSOLE_H

#include <stddef.h>

/*
 * Write all of buf to the console (SEND_DMA to key 0), returning when the
 * launcher has written it out. Before LGUEST_INIT it drops the bytes: a
 * hypercall then would be fatal. Safe with interrupts on or off and from
 * interrupt handlers; never allocates, never fails.
 */
void early_console_write(const void *buf, size_t len);

#endif
