/*
 * tests/boot/straddle_test.h: what the straddle tests share. They send DMA
 * whose one section runs across the boundary between an ordinary guest
 * page and a --sharenet page (or between two --sharenet pages), which is
 * where the host's old gmem_ptr() returned NULL and the console wrote
 * host memory at physical 0 (issue 11, hole 1). A --sharenet page is one
 * host page shared by the LAN, not the host page that follows the guest's
 * page before it, so the host must copy such a section piece by piece.
 *
 * The guest sees the boundary through a window: the page before and the
 * page after mapped next to each other (vm_map_io), so that st_at(w, -k)
 * is k bytes before the boundary and st_at(w, 0) its first byte after.
 * The bytes a test writes there are saved first and put back afterwards
 * (the shared page's first bytes are slot 0's MAC, the page before may be
 * the descriptor page).
 */
#ifndef LGREF_TESTS_BOOT_STRADDLE_TEST_H
#define LGREF_TESTS_BOOT_STRADDLE_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lguest/launcher.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/irq.h"
#include "../../kernel/x86.h"
#include "boot_check.h"

#define ST_MAX_AFTER 4	/* pages a window may show after the boundary */

/* A boundary between two guest pages, seen through a window of the page
 * before it and up to ST_MAX_AFTER pages from it on. */
struct st_window {
	uint32_t boundary;	/* gpa of the first byte of the page after */
	volatile uint8_t *mid;	/* the window's address for that byte */
	unsigned bytes;		/* mapped: 4096 before, the rest after */
	uint8_t saved[(1 + ST_MAX_AFTER) * 4096];	/* as it was */
};

/* The descriptor page, mapped once. */
static inline volatile struct lguest_device_desc *st_descs(void)
{
	static volatile struct lguest_device_desc *d;

	if (!d)
		d = vm_map_io(gpa(bootparams_mem_bytes()), 1);
	return d;
}

/* The gpa of the page of the n-th (0-based) device whose type is `type`
 * and whose features, masked with `mask`, equal `want`; 0 if none. A
 * --sharenet device is type 2 with NOCSUM (0x4000) set, a --tunnet one
 * type 2 without. */
static inline uint32_t st_device_page(uint16_t type, uint16_t mask,
				      uint16_t want, unsigned n)
{
	volatile struct lguest_device_desc *d = st_descs();

	for (unsigned i = 0; i < LGUEST_MAX_DEVICES; i++)
		if (d[i].type == type && (d[i].features & mask) == want &&
		    n-- == 0)
			return d[i].pfn * 4096u;
	return 0;
}

static inline uint32_t st_sharenet_page(unsigned n)
{
	return st_device_page(LGUEST_DEVICE_T_NET, LGUEST_NET_F_NOCSUM,
			      LGUEST_NET_F_NOCSUM, n);
}

/* Map the page before `boundary` and `after` pages (1 to ST_MAX_AFTER)
 * from it on, side by side, and save their bytes. Mapping pages that are
 * not guest memory would get us killed, so they must be below pfnlimit. */
static inline void st_open(struct st_window *w, uint32_t boundary,
			   unsigned after)
{
	volatile uint8_t *base;

	if (after < 1 || after > ST_MAX_AFTER)
		after = 1;
	base = vm_map_io(gpa(boundary - 4096u), 1 + after);
	w->boundary = boundary;
	w->mid = base + 4096;
	w->bytes = (1 + after) * 4096;
	for (unsigned i = 0; i < w->bytes; i++)
		w->saved[i] = base[i];
}

/* The window's byte at `off` from the boundary (-4096 <= off, and off
 * below the pages mapped after it). */
static inline volatile uint8_t *st_at(struct st_window *w, int off)
{
	return w->mid + off;
}

/* The gpa of that byte. */
static inline uint32_t st_gpa(const struct st_window *w, int off)
{
	return w->boundary + (uint32_t)off;
}

/* Put back every byte of the window as st_open() found it. */
static inline void st_restore(struct st_window *w)
{
	volatile uint8_t *base = w->mid - 4096;

	for (unsigned i = 0; i < w->bytes; i++)
		base[i] = w->saved[i];
	x86_barrier();
}

/* Copy n bytes in or out of the window from `off`. */
static inline void st_put(struct st_window *w, int off, const void *src,
			  uint32_t n)
{
	const uint8_t *s = src;

	for (uint32_t i = 0; i < n; i++)
		*st_at(w, off + (int)i) = s[i];
	x86_barrier();
}

static inline void st_get(struct st_window *w, int off, void *dst,
			  uint32_t n)
{
	uint8_t *d = dst;

	x86_barrier();
	for (uint32_t i = 0; i < n; i++)
		d[i] = *st_at(w, off + (int)i);
}

/* Sleep until *word is not zero (an interrupt or a timer tick wakes us). */
static inline void st_wait_nonzero(volatile uint32_t *word)
{
	uint32_t flags = irq_save();

	while (*word == 0)
		irq_wait();
	irq_restore(flags);
}

#endif
