/*
 * lib/bytering.h: a byte FIFO over a caller's power-of-two buffer. One
 * producer and one consumer; the caller provides any locking (the console
 * fills it from its interrupt handler and drains it with interrupts off).
 */
#ifndef LGREF_LIB_BYTERING_H
#define LGREF_LIB_BYTERING_H

#include <stddef.h>
#include <stdint.h>

struct bytering {
	uint8_t *buf;
	uint32_t size;  /* a power of two */
	uint32_t head;  /* total bytes ever put (wraps) */
	uint32_t tail;  /* total bytes ever taken (wraps) */
};

/* An empty ring over buf[size]; size must be a power of two. */
#define BYTERING_INIT(buf_, size_) {(buf_), (size_), 0, 0}

/* Append up to len bytes; returns how many fitted. */
size_t bytering_put(struct bytering *r, const void *src, size_t len);

/* Remove up to len bytes into dst; returns how many there were. */
size_t bytering_get(struct bytering *r, void *dst, size_t len);

/* Bytes waiting. */
size_t bytering_used(const struct bytering *r);

#endif
