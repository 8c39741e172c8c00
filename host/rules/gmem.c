/*
 * host/rules/gmem.c: the one way into guest memory (host/rules/gmem.h).
 * Every access checks its range with gmem_range_ok() and then goes through
 * the walk, which knows where shared pages are; so range, overflow and
 * shared-page rules live in this file and nowhere else. No hypercall
 * logic here; the validators are in host/rules/check.c.
 *
 * The lazy zeroing of guest memory (struct gmem's `scrubbed`) is here too:
 * every way to a byte of base goes through scrub() or scrub_for_write()
 * first.
 *
 * Scalars are assembled byte by byte in little-endian order, so the same
 * code is right on the i386 host and in the native (x86-64) unit tests,
 * and never makes an unaligned access.
 */
#include <string.h>

#include "rules/gmem.h"
#include "rules/hot_section.h"

RULES_DMA_HOT
uint64_t gmem_limit(const struct gmem *g)
{
	return (uint64_t)g->pfnlimit * GMEM_PAGE_SIZE;
}

RULES_DMA_HOT
bool gmem_range_ok(const struct gmem *g, gpa_t at, uint32_t len)
{
	uint64_t end = (uint64_t)gpa_val(at) + len; /* cannot overflow */

	if (end > 0x100000000ull) /* would wrap a 32-bit address */
		return false;
	return end <= gmem_limit(g);
}

/* The shared host page that guest page pfn is, or NULL for an ordinary
 * page. Private: callers get pieces, never this pointer. */
RULES_DMA_HOT
static uint8_t *shared_page(const struct gmem *g, uint32_t pfn)
{
	for (unsigned i = 0; i < g->nshared; i++)
		if (g->shared_pfn[i] == pfn)
			return g->shared_page[i];
	return NULL;
}

int gmem_share_page(struct gmem *g, uint32_t pfn, uint8_t *page)
{
	if (pfn >= g->pfnlimit || g->nshared >= GMEM_MAX_SHARED || !page ||
	    shared_page(g, pfn))
		return -1;
	g->shared_pfn[g->nshared] = pfn;
	g->shared_page[g->nshared] = page;
	g->nshared++;
	return 0;
}

RULES_DMA_HOT
bool gmem_touches_shared(const struct gmem *g, gpa_t at, uint32_t len)
{
	uint64_t start = gpa_val(at), end = start + len;

	for (unsigned i = 0; i < g->nshared; i++) {
		uint64_t page = (uint64_t)g->shared_pfn[i] * GMEM_PAGE_SIZE;
		if (len && start < page + GMEM_PAGE_SIZE && end > page)
			return true;
	}
	return false;
}

int gmem_shared_identity(const struct gmem *g, gpa_t at, uintptr_t *identity)
{
	uint8_t *page = gpa_val(at) / GMEM_PAGE_SIZE < g->pfnlimit
				? shared_page(g, gpa_val(at) / GMEM_PAGE_SIZE)
				: NULL;

	if (!page)
		return -1;
	*identity = (uintptr_t)(page + gpa_val(at) % GMEM_PAGE_SIZE);
	return 0;
}

/* ------------------------------------------------------- lazy zeroing */

/*
 * Make one page zero, writing it only if it is not: reading is cheap under
 * QEMU's TCG, while the first write to a page is dear. The stores go
 * through a volatile pointer so that the compiler cannot turn the loop
 * into a `rep stos` memset, which TCG runs one element at a time.
 */
static void scrub_page(uint8_t *page)
{
	const uint32_t *w = (const uint32_t *)page;
	uint32_t any = 0;

	for (unsigned i = 0; i < GMEM_PAGE_SIZE / 4; i += 8)
		any |= w[i] | w[i + 1] | w[i + 2] | w[i + 3] |
		       w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7];
	if (!any)
		return;
	volatile uint32_t *v = (volatile uint32_t *)page;
	for (unsigned i = 0; i < GMEM_PAGE_SIZE / 4; i++)
		v[i] = 0;
}

RULES_DMA_HOT
static bool page_scrubbed(const struct gmem *g, uint32_t pfn)
{
	return g->scrubbed[pfn / 32] >> (pfn % 32) & 1;
}

static void mark_scrubbed(const struct gmem *g, uint32_t pfn)
{
	g->scrubbed[pfn / 32] |= 1u << (pfn % 32);
}

/* Every page of base that [at, at + len) touches is made zero unless it
 * is already known zero or the guest's own. The range is below the
 * limit and len >= 1. */
RULES_DMA_HOT
static void scrub(const struct gmem *g, uint32_t at, uint32_t len)
{
	if (!g->scrubbed)
		return;
	uint32_t last = (uint32_t)(((uint64_t)at + len - 1) / GMEM_PAGE_SIZE);
	for (uint32_t pfn = at / GMEM_PAGE_SIZE; pfn <= last; pfn++) {
		if (page_scrubbed(g, pfn))
			continue;
		scrub_page(g->base + (size_t)pfn * GMEM_PAGE_SIZE);
		mark_scrubbed(g, pfn);
	}
}

/* Before the host writes all of [at, at + len): a page the write covers
 * whole becomes the guest's own without being read; only the two ends
 * can keep old bytes next to the new ones, so only they are scrubbed. */
RULES_DMA_HOT
static void scrub_for_write(const struct gmem *g, uint32_t at, uint32_t len)
{
	if (!g->scrubbed)
		return;
	uint64_t end = (uint64_t)at + len;
	uint32_t last = (uint32_t)((end - 1) / GMEM_PAGE_SIZE);
	for (uint32_t pfn = at / GMEM_PAGE_SIZE; pfn <= last; pfn++) {
		uint64_t start = (uint64_t)pfn * GMEM_PAGE_SIZE;
		if (page_scrubbed(g, pfn))
			continue;
		if (start < at || start + GMEM_PAGE_SIZE > end)
			scrub_page(g->base + start);
		mark_scrubbed(g, pfn);
	}
}

/* ------------------------------------------------------------ the walk */

RULES_DMA_HOT
int gmem_walk_start(struct gmem_walk *w, const struct gmem *g, gpa_t at,
		    uint32_t len)
{
	w->g = g;
	w->at = gpa_val(at);
	w->left = 0;
	if (!gmem_range_ok(g, at, len))
		return -1;
	w->left = len;
	return 0;
}

/*
 * Without shared pages the whole rest is one piece. With them, a piece
 * ends at the next page boundary when it starts in a shared page, and
 * otherwise at the first shared page after it (or the end of the range).
 * The range was checked at the start, so every byte handed out is below
 * the limit and at + left never wraps.
 */
RULES_DMA_HOT
static bool walk_next(struct gmem_walk *w, struct gmem_piece *p,
		      bool whole_write)
{
	const struct gmem *g = w->g;
	uint32_t pfn = w->at / GMEM_PAGE_SIZE, off = w->at % GMEM_PAGE_SIZE;
	uint8_t *shared;
	uint32_t len = w->left;

	if (w->left == 0)
		return false;
	shared = g->nshared ? shared_page(g, pfn) : NULL;
	if (shared) {
		if (len > GMEM_PAGE_SIZE - off)
			len = GMEM_PAGE_SIZE - off;
		p->host = shared + off;
	} else {
		/* Up to the lowest shared page above `at` inside the range. */
		for (unsigned i = 0; i < g->nshared; i++) {
			uint64_t page = (uint64_t)g->shared_pfn[i] *
					GMEM_PAGE_SIZE;
			if (page > w->at && page - w->at < len)
				len = (uint32_t)(page - w->at);
		}
		if (whole_write)
			scrub_for_write(g, w->at, len);
		else
			scrub(g, w->at, len);
		p->host = g->base + w->at;
	}
	p->len = len;
	w->at += len;
	w->left -= len;
	return true;
}

RULES_DMA_HOT
bool gmem_walk_next(struct gmem_walk *w, struct gmem_piece *p)
{
	return walk_next(w, p, false);
}

/* ------------------------------------------------------- whole views */

int gmem_map(const struct gmem *g, gpa_t at, uint32_t len, void **host)
{
	struct gmem_walk w;
	struct gmem_piece p;

	if (gmem_walk_start(&w, g, at, len))
		return -1;
	if (len == 0) {
		*host = g->base + gpa_val(at);
		return 0;
	}
	gmem_walk_next(&w, &p);
	if (p.len != len)
		return -1;	/* more than one piece */
	*host = p.host;
	return 0;
}

int gmem_frame(const struct gmem *g, uint32_t pfn, uint8_t **page)
{
	if (pfn >= g->pfnlimit)
		return -1;
	uint8_t *shared = shared_page(g, pfn);
	if (!shared)
		scrub(g, pfn * GMEM_PAGE_SIZE, GMEM_PAGE_SIZE);
	*page = shared ? shared : g->base + (size_t)pfn * GMEM_PAGE_SIZE;
	return 0;
}

/* ------------------------------------------------------------ copies */

/* Copy between host memory and [at, at + len), piece by piece. */
RULES_DMA_HOT
static int gmem_copy(const struct gmem *g, gpa_t at, uint8_t *host,
		     uint32_t len, bool to_guest)
{
	struct gmem_walk w;
	struct gmem_piece p;

	if (gmem_walk_start(&w, g, at, len))
		return -1;
	while (walk_next(&w, &p, to_guest)) {
		if (to_guest)
			memmove(p.host, host, p.len);
		else
			memmove(host, p.host, p.len);
		host += p.len;
	}
	return 0;
}

RULES_DMA_HOT
int gmem_read(const struct gmem *g, gpa_t at, void *dst, uint32_t len)
{
	return gmem_copy(g, at, dst, len, false);
}

RULES_DMA_HOT
int gmem_write(const struct gmem *g, gpa_t at, const void *src, uint32_t len)
{
	return gmem_copy(g, at, (uint8_t *)(uintptr_t)src, len, true);
}

/* Where the n bytes at `at` are, when they are one piece of host memory
 * (the usual case: no shared page among them); NULL otherwise, and then
 * the caller copies. Private: nothing outside this file sees it. */
RULES_DMA_HOT
static uint8_t *scalar_at(const struct gmem *g, gpa_t at, unsigned n)
{
	if (!gmem_range_ok(g, at, n) ||
	    (g->nshared && gmem_touches_shared(g, at, n)))
		return NULL;
	scrub(g, gpa_val(at), n);
	return g->base + gpa_val(at);
}

/* Read n (1, 2 or 4) little-endian bytes at `at` into *val. */
RULES_DMA_HOT
static int gmem_read_le(const struct gmem *g, gpa_t at, unsigned n,
			uint32_t *val)
{
	uint8_t b[4];
	const uint8_t *p = scalar_at(g, at, n);
	uint32_t v = 0;

	if (!p) {		/* out of range, or in a shared page */
		if (gmem_read(g, at, b, n))
			return -1;
		p = b;
	}
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	*val = v;
	return 0;
}

/* Write the low n (1, 2 or 4) bytes of val at `at`, little-endian. */
RULES_DMA_HOT
static int gmem_write_le(const struct gmem *g, gpa_t at, unsigned n,
			 uint32_t val)
{
	uint8_t b[4];
	uint8_t *p = scalar_at(g, at, n);

	if (!p) {
		for (unsigned i = 0; i < n; i++)
			b[i] = (uint8_t)(val >> (8 * i));
		return gmem_write(g, at, b, n);
	}
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(val >> (8 * i));
	return 0;
}

int gmem_read8(const struct gmem *g, gpa_t at, uint8_t *val)
{
	uint32_t v;

	if (gmem_read_le(g, at, 1, &v))
		return -1;
	*val = (uint8_t)v;
	return 0;
}

int gmem_read16(const struct gmem *g, gpa_t at, uint16_t *val)
{
	uint32_t v;

	if (gmem_read_le(g, at, 2, &v))
		return -1;
	*val = (uint16_t)v;
	return 0;
}

RULES_DMA_HOT
int gmem_read32(const struct gmem *g, gpa_t at, uint32_t *val)
{
	return gmem_read_le(g, at, 4, val);
}

int gmem_write8(const struct gmem *g, gpa_t at, uint8_t val)
{
	return gmem_write_le(g, at, 1, val);
}

int gmem_write16(const struct gmem *g, gpa_t at, uint16_t val)
{
	return gmem_write_le(g, at, 2, val);
}

RULES_DMA_HOT
int gmem_write32(const struct gmem *g, gpa_t at, uint32_t val)
{
	return gmem_write_le(g, at, 4, val);
}
