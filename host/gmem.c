/*
 * host/gmem.c: the only code that touches guest memory. Every gpa the host
 * dereferences goes through gmem_range_ok() here, so range and overflow
 * checks live in one place; the rule itself is written down in gmem.h.
 * No hypercall logic here; the validators are in host/check.c.
 *
 * Scalars are assembled byte by byte in little-endian order, so the same
 * code is right on the i386 host and in the native (x86-64) unit tests,
 * and never makes an unaligned access.
 */
#include <string.h>

#include "gmem.h"

uint64_t gmem_limit(const struct gmem *g)
{
	return (uint64_t)g->pfnlimit * GMEM_PAGE_SIZE;
}

bool gmem_range_ok(const struct gmem *g, uint32_t gpa, uint32_t len)
{
	uint64_t end = (uint64_t)gpa + len; /* cannot overflow 64 bits */

	if (end > 0x100000000ull) /* would wrap a 32-bit address */
		return false;
	return end <= gmem_limit(g);
}

int gmem_share_page(struct gmem *g, uint32_t pfn, uint8_t *page)
{
	if (pfn >= g->pfnlimit || g->nshared >= GMEM_MAX_SHARED || !page ||
	    gmem_shared_page(g, pfn))
		return -1;
	g->shared_pfn[g->nshared] = pfn;
	g->shared_page[g->nshared] = page;
	g->nshared++;
	return 0;
}

uint8_t *gmem_shared_page(const struct gmem *g, uint32_t pfn)
{
	for (unsigned i = 0; i < g->nshared; i++)
		if (g->shared_pfn[i] == pfn)
			return g->shared_page[i];
	return NULL;
}

uint8_t *gmem_frame(const struct gmem *g, uint32_t pfn)
{
	if (pfn >= g->pfnlimit)
		return NULL;
	uint8_t *shared = gmem_shared_page(g, pfn);
	return shared ? shared : g->base + (size_t)pfn * GMEM_PAGE_SIZE;
}

bool gmem_touches_shared(const struct gmem *g, uint32_t gpa, uint32_t len)
{
	uint64_t end = (uint64_t)gpa + len;

	for (unsigned i = 0; i < g->nshared; i++) {
		uint64_t at = (uint64_t)g->shared_pfn[i] * GMEM_PAGE_SIZE;
		if (len && gpa < at + GMEM_PAGE_SIZE && end > at)
			return true;
	}
	return false;
}

void *gmem_ptr(const struct gmem *g, uint32_t gpa, uint32_t len)
{
	if (!gmem_range_ok(g, gpa, len))
		return NULL;
	if (g->nshared && gmem_touches_shared(g, gpa, len)) {
		uint32_t off = gpa % GMEM_PAGE_SIZE;
		if (off + (uint64_t)len > GMEM_PAGE_SIZE)
			return NULL;	/* straddles: no single pointer */
		return gmem_shared_page(g, gpa / GMEM_PAGE_SIZE) + off;
	}
	return g->base + gpa;
}

/* Copy between host memory and [gpa, gpa + len), a page at a time when
 * shared pages are about. */
static int gmem_copy(const struct gmem *g, uint32_t gpa, uint8_t *host,
		     uint32_t len, bool to_guest)
{
	if (!gmem_range_ok(g, gpa, len))
		return -1;
	while (len) {
		uint32_t chunk = len;
		if (g->nshared) {
			uint32_t room = GMEM_PAGE_SIZE - gpa % GMEM_PAGE_SIZE;
			chunk = len < room ? len : room;
		}
		uint8_t *p = gmem_ptr(g, gpa, chunk);
		if (to_guest)
			memmove(p, host, chunk);
		else
			memmove(host, p, chunk);
		gpa += chunk;
		host += chunk;
		len -= chunk;
	}
	return 0;
}

int gmem_read(const struct gmem *g, uint32_t gpa, void *dst, uint32_t len)
{
	return gmem_copy(g, gpa, dst, len, false);
}

int gmem_write(const struct gmem *g, uint32_t gpa, const void *src,
	       uint32_t len)
{
	return gmem_copy(g, gpa, (uint8_t *)(uintptr_t)src, len, true);
}

/* Read n (1, 2 or 4) little-endian bytes at gpa into *val. */
static int gmem_read_le(const struct gmem *g, uint32_t gpa, unsigned n,
			uint32_t *val)
{
	uint8_t copy[4];
	const uint8_t *p = gmem_ptr(g, gpa, n);	/* the usual case */
	uint32_t v = 0;

	if (!p) {		/* out of range, or across a shared page */
		if (gmem_read(g, gpa, copy, n))
			return -1;
		p = copy;
	}
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	*val = v;
	return 0;
}

/* Write the low n (1, 2 or 4) bytes of val at gpa, little-endian. */
static int gmem_write_le(const struct gmem *g, uint32_t gpa, unsigned n,
			 uint32_t val)
{
	uint8_t bytes[4];
	uint8_t *p = gmem_ptr(g, gpa, n);	/* the usual case */

	if (!p) {		/* out of range, or across a shared page */
		for (unsigned i = 0; i < n; i++)
			bytes[i] = (uint8_t)(val >> (8 * i));
		return gmem_write(g, gpa, bytes, n);
	}
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(val >> (8 * i));
	return 0;
}

int gmem_read8(const struct gmem *g, uint32_t gpa, uint8_t *val)
{
	uint32_t v;

	if (gmem_read_le(g, gpa, 1, &v))
		return -1;
	*val = (uint8_t)v;
	return 0;
}

int gmem_read16(const struct gmem *g, uint32_t gpa, uint16_t *val)
{
	uint32_t v;

	if (gmem_read_le(g, gpa, 2, &v))
		return -1;
	*val = (uint16_t)v;
	return 0;
}

int gmem_read32(const struct gmem *g, uint32_t gpa, uint32_t *val)
{
	return gmem_read_le(g, gpa, 4, val);
}

int gmem_write8(const struct gmem *g, uint32_t gpa, uint8_t val)
{
	return gmem_write_le(g, gpa, 1, val);
}

int gmem_write16(const struct gmem *g, uint32_t gpa, uint16_t val)
{
	return gmem_write_le(g, gpa, 2, val);
}

int gmem_write32(const struct gmem *g, uint32_t gpa, uint32_t val)
{
	return gmem_write_le(g, gpa, 4, val);
}
