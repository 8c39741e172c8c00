/*
 * lib/muldiv.h: 64-bit scaling without 64-bit division, for the guest's
 * clock (kernel/clock.c). Why: the guest is 32-bit, so a 64-bit division
 * is a call into libgcc (__udivdi3, __umoddi3) with a dozen branches, and
 * under QEMU's TCG each branch target after an address-space switch is a
 * fresh look-up; the clock is read several times per network frame
 * (docs/host-design.md "Guest-to-guest network"). A few 32 x 32 -> 64
 * multiplies in straight-line code do the same.
 */
#ifndef LGREF_LIB_MULDIV_H
#define LGREF_LIB_MULDIV_H

#include <stdint.h>

/* floor(a * m / 2^32), for a product whose result fits 64 bits. */
uint64_t muldiv_scale32(uint64_t a, uint64_t m);

/* The factor for muldiv_scale32() that turns TSC cycles into ns for a
 * TSC of khz kHz (khz > 0): floor(10^6 * 2^32 / khz). The result is low
 * by at most a/2^32 ns (2 us per hour at 2.5 GHz, far inside the error
 * of any kHz figure). */
uint64_t muldiv_ns_factor(uint32_t khz);

/* n / 1000000, exactly, for any n. */
uint64_t muldiv_div_1e6(uint64_t n);

#endif
