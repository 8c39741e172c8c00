/*
 * kernel/heap.h: the region newlib's malloc grows into (through _sbrk in
 * lib/syscalls.c).
 */
#ifndef LGREF_KERNEL_HEAP_H
#define LGREF_KERNEL_HEAP_H

/* Take the heap's pages from the page allocator. Call after vm_init(). */
void heap_init(void);

#endif
