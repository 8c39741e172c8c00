/*
 * kernel/segments.h: the CPU state the host keeps on our behalf: our GDT
 * and the ring-1 stack it switches to (spec §4.8, §4.9).
 */
#ifndef LGREF_KERNEL_SEGMENTS_H
#define LGREF_KERNEL_SEGMENTS_H

/* Load our 32-entry GDT (LHCALL_LOAD_GDT). */
void segments_init(void);

/* Register the boot stack with LHCALL_SET_STACK. */
void segments_set_stack(void);

#endif
