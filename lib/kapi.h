/*
 * lib/kapi.h: the kernel services lib/ builds on. lib/ touches no hardware
 * and makes no hypercalls: newlib's system calls (lib/syscalls.c) come down
 * to these functions, implemented in kernel/ and drivers/. The files that
 * implement them include this header too, so the compiler checks that both
 * sides agree. (lib/ includes only lib/, so this is the one list.)
 */
#ifndef LGREF_LIB_KAPI_H
#define LGREF_LIB_KAPI_H

#include <stddef.h>
#include <stdint.h>

/* drivers/console.c: write all of buf; never fails. */
void console_write(const void *buf, size_t len);

/* drivers/console.c: wait for input, then return 1..len bytes of it. */
size_t console_read(void *buf, size_t len);

/* kernel/heap.c: the heap region [*start, *end); both NULL before boot
 * has set it up. */
void heap_region(void **start, void **end);

/* kernel/clock.c: monotonic nanoseconds since boot; the wall clock. */
uint64_t clock_now_ns(void);
void clock_wall(uint32_t *sec, uint32_t *nsec);

/* kernel/power.c: LHCALL_CRASH "Power down". */
__attribute__((noreturn)) void poweroff(void);

/* kernel/lguest.c: LHCALL_CRASH with this message. */
__attribute__((noreturn)) void lguest_crash(const char *msg);

#endif
