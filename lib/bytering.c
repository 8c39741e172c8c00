/*
 * lib/bytering.c: the byte FIFO of lib/bytering.h. Free-running 32-bit
 * counters, so "full" and "empty" need no spare slot and wrap-around is
 * plain unsigned arithmetic.
 */
#include "bytering.h"

size_t bytering_used(const struct bytering *r)
{
	return r->head - r->tail;
}

size_t bytering_put(struct bytering *r, const void *src, size_t len)
{
	const uint8_t *p = src;
	size_t room = r->size - bytering_used(r);
	size_t n = len < room ? len : room;

	for (size_t i = 0; i < n; i++)
		r->buf[(r->head + i) & (r->size - 1)] = p[i];
	r->head += (uint32_t)n;
	return n;
}

size_t bytering_get(struct bytering *r, void *dst, size_t len)
{
	uint8_t *p = dst;
	size_t used = bytering_used(r);
	size_t n = len < used ? len : used;

	for (size_t i = 0; i < n; i++)
		p[i] = r->buf[(r->tail + i) & (r->size - 1)];
	r->tail += (uint32_t)n;
	return n;
}
