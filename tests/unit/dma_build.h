/*
 * tests/unit/dma_build.h: building a struct lguest_dma in a unit test from
 * arrays of section addresses and lengths.
 */
#ifndef LGREF_TESTS_UNIT_DMA_BUILD_H
#define LGREF_TESTS_UNIT_DMA_BUILD_H

#include <stdint.h>
#include <string.h>

#include <lguest/launcher.h>

/* n sections (the rest zero: the first len 0 ends the list). */
static inline struct lguest_dma dma(unsigned n, const uint32_t *addr,
				    const uint16_t *len)
{
	struct lguest_dma d;

	memset(&d, 0, sizeof(d));
	for (unsigned i = 0; i < n; i++) {
		d.addr[i] = addr[i];
		d.len[i] = len[i];
	}
	return d;
}

#endif
