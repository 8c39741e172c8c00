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

void *gmem_ptr(const struct gmem *g, uint32_t gpa, uint32_t len)
{
	if (!gmem_range_ok(g, gpa, len))
		return NULL;
	return g->base + gpa;
}

int gmem_read(const struct gmem *g, uint32_t gpa, void *dst, uint32_t len)
{
	const uint8_t *p = gmem_ptr(g, gpa, len);

	if (!p)
		return -1;
	if (len)
		memmove(dst, p, len);
	return 0;
}

int gmem_write(const struct gmem *g, uint32_t gpa, const void *src,
	       uint32_t len)
{
	uint8_t *p = gmem_ptr(g, gpa, len);

	if (!p)
		return -1;
	if (len)
		memmove(p, src, len);
	return 0;
}

/* Read n (1, 2 or 4) little-endian bytes at gpa into *val. */
static int gmem_read_le(const struct gmem *g, uint32_t gpa, unsigned n,
			uint32_t *val)
{
	const uint8_t *p = gmem_ptr(g, gpa, n);
	uint32_t v = 0;

	if (!p)
		return -1;
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	*val = v;
	return 0;
}

/* Write the low n (1, 2 or 4) bytes of val at gpa, little-endian. */
static int gmem_write_le(const struct gmem *g, uint32_t gpa, unsigned n,
			 uint32_t val)
{
	uint8_t *p = gmem_ptr(g, gpa, n);

	if (!p)
		return -1;
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
