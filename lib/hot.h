/*
 * lib/hot.h: where the guest's network path code lives.
 *
 * Why: the guest runs right after a %cr3 load (each world switch), and
 * under QEMU's TCG that empties the software TLB and the jump cache, so
 * every code page a frame's path runs on costs a page walk and its
 * translated blocks a fresh look-up. The functions every frame sent or
 * received runs through (the driver's send and receive, the stack's
 * Ethernet, IPv4, ARP-hit and UDP paths, the echo handlers, the trap and
 * IRQ entry, the clock) were spread over ten pages of .text; marked
 * GUEST_HOT_TEXT they share the first few (linker.ld puts .text.hot right
 * after the boot stub, with newlib's memcpy, memmove, memcmp and memset).
 * docs/host-design.md "Guest-to-guest network" has the measurements.
 *
 * Contract: mark only what runs (or is read) for every frame; rare paths (ARP
 * requests, errors, probing, printing) stay where they are. The
 * attribute only places code: built natively (unit tests, fuzzers) it
 * names an ordinary ELF section and changes nothing.
 */
#ifndef LGREF_LIB_HOT_H
#define LGREF_LIB_HOT_H

#define GUEST_HOT_TEXT __attribute__((section(".text.hot")))

/* The variables those functions read for every frame (lguest_data, the
 * trap and IRQ handler tables, the clock, the driver's IRQ map, the echo
 * and discard counters): one page at the start of .data, which linker.ld
 * checks. Zero-initialised ones are fine here (in the image: ~2 KB). */
#define GUEST_HOT_DATA __attribute__((section(".data.hot")))

#endif
