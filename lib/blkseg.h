/*
 * lib/blkseg.h: cutting a transfer into block requests. An lguest block
 * request (spec §8.2) has at most 16 sections, and our driver keeps each
 * section inside one 4 KiB page, as the Linux guest's block layer did: so
 * a request moves at most 64 KiB, less when the buffer does not start on
 * a page. Pure arithmetic on guest-physical addresses, no hardware.
 */
#ifndef LGREF_LIB_BLKSEG_H
#define LGREF_LIB_BLKSEG_H

#include <stdint.h>

/* One section of a request: a guest-physical range inside one page. */
struct blkseg {
	uint32_t addr;
	uint32_t len;
};

/* The limits a request must respect. */
struct blkseg_limits {
	unsigned max_segs;  /* sections per request (16) */
	uint32_t page_size; /* no section crosses a multiple of this (4096) */
	uint32_t max_bytes; /* bytes per request (65536) */
	uint32_t unit;      /* a request's length is a multiple of this (512) */
};

/*
 * Plan the first request of a transfer of `len` bytes from the physically
 * contiguous buffer at guest-physical `addr`: fill segs[0..*nsegs) with
 * page-respecting sections, as many bytes as the limits allow, rounded
 * down to a whole number of units. Returns the bytes the request covers
 * (the sum of the section lengths), or 0 if not even one unit fits (len
 * below `unit`, or limits that cannot hold one). The caller moves addr and
 * len on by the result and plans again for the rest.
 * addr + len must not wrap past 4 GiB.
 */
uint32_t blkseg_plan(uint32_t addr, uint32_t len,
		     const struct blkseg_limits *lim, struct blkseg *segs,
		     unsigned *nsegs);

#endif
