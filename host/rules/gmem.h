/*
 * host/rules/gmem.h: the one way into guest memory.
 *
 * A guest's memory is one host buffer holding guest-physical [0, limit),
 * where limit = pfnlimit * 4096: RAM, then the device descriptor page and
 * the device pages (docs/abi.md §1.1). A few of those pages (a --sharenet
 * network page, docs/abi.md §8.3) are not the page at base + gpa but one
 * host page several guests share, as the 2.6.23 Launcher mapped a shared
 * file over a device page. Every access the host makes to guest memory
 * goes through the calls below, which check the range and honour shared
 * pages, so no caller ever holds a pointer that could be NULL, cover only
 * part of what it asked for, or run past a shared page into its
 * neighbour. There are three kinds of call:
 *
 *  - copies: gmem_read(), gmem_write() and the little-endian scalars. They
 *    copy the whole range or nothing, page by page where pages are
 *    shared, and fail with -1 when the range is not guest memory;
 *  - a walk: gmem_walk_start() and gmem_walk_next() hand out a range as
 *    pieces of host memory, each contiguous, together exactly the range.
 *    For code that must give host addresses to hardware (the block
 *    device's virtio descriptors) or write straight from a guest buffer
 *    (the console);
 *  - whole views: gmem_map() for a range that is one piece of host memory
 *    (lguest_data, checked once at LGUEST_INIT), gmem_frame() for a page.
 *
 * The range rule (docs/abi.md §3.2, decided here): [gpa, gpa + len) must
 * lie wholly below limit, computed in 64 bits so that gpa + len can never
 * wrap past 4 GiB; len 0 is fine at any gpa <= limit. The real 2.6.23 host
 * tests "(gpa + len) / 4096 < pfnlimit", which also refuses a range ending
 * exactly at the limit. We accept that one range: it is wholly inside
 * guest memory, and no guest can depend on the refusal.
 *
 * Guest-physical addresses have their own type, gpa_t, so that a host
 * pointer or a host-physical address cannot be passed, or added to, where
 * a gpa belongs (STYLE.md §3). The ABI structs carry them as uint32_t;
 * gpa() turns such a value into one at the point of use.
 *
 * Pure C over a struct: the unit tests and fuzzers use this same file.
 */
#ifndef LGREF_HOST_GMEM_H
#define LGREF_HOST_GMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GMEM_PAGE_SIZE 4096u

/* Pages of a guest that are another host page: shared network pages. */
#define GMEM_MAX_SHARED 16

/* A guest-physical address. */
typedef struct {
	uint32_t v;
} gpa_t;

static inline gpa_t gpa(uint32_t v)
{
	return (gpa_t){ v };
}

static inline uint32_t gpa_val(gpa_t a)
{
	return a.v;
}

/* a + off, modulo 2^32: the range checks below refuse what wrapped. */
static inline gpa_t gpa_add(gpa_t a, uint32_t off)
{
	return (gpa_t){ a.v + off };
}

/*
 * One guest's memory. base points at guest-physical 0 and must be valid
 * for pfnlimit * 4096 bytes. ram_bytes is the RAM size ("mem", what the
 * e820 map says); pfnlimit is the first page number the guest may not use.
 * The shared pages are set with gmem_share_page(), never by hand.
 */
struct gmem {
	uint8_t *base;      /* host address of guest-physical 0 */
	uint32_t ram_bytes; /* guest RAM, bytes (multiple of 4096) */
	uint32_t pfnlimit;  /* first page above the last device page */
	unsigned nshared;   /* entries used in shared_pfn / shared_page */
	uint32_t shared_pfn[GMEM_MAX_SHARED];
	uint8_t *shared_page[GMEM_MAX_SHARED];
	/* Lazy zeroing (docs/host-design.md "Boot"). NULL: every byte at
	 * base is the guest's own or zero. Else a bit per page of base
	 * (bit pfn % 32 of word pfn / 32, for pfn below pfnlimit), set once
	 * the page is known to be zero or the guest's own; a clear page may
	 * hold what the memory's last owner left. Every call below that
	 * hands out or copies any byte of a clear page first reads the page,
	 * zeroes it if it is not zero, and sets its bit; a copy into the
	 * guest that covers a whole page just sets the bit. So no byte of a
	 * clear page ever reaches the guest, its devices or the host's code,
	 * and the host need not read all of a guest's memory before it
	 * starts. Shared pages are not at base and need no bit. */
	uint32_t *scrubbed;
};

/* Words of the `scrubbed` bitmap for pfnlimit pages. */
static inline uint32_t gmem_scrub_words(uint32_t pfnlimit)
{
	return (pfnlimit + 31) / 32;
}

/* Make guest page pfn (below pfnlimit) be the host page `page` from now
 * on. Returns 0, or -1 when pfn is out of range, already shared, page is
 * NULL or the table is full. */
int gmem_share_page(struct gmem *g, uint32_t pfn, uint8_t *page);

/* Does [at, at + len) touch a shared page? */
bool gmem_touches_shared(const struct gmem *g, gpa_t at, uint32_t len);

/* Is `at` in a shared page? If so, 0 with *identity = the host address it
 * names, as a number to compare (two guests' addresses are "the same
 * memory" when their identities are equal, docs/abi.md §6.4); else -1. */
int gmem_shared_identity(const struct gmem *g, gpa_t at,
			 uintptr_t *identity);

/* Bytes of guest-physical space the host accepts: pfnlimit * 4096. */
uint64_t gmem_limit(const struct gmem *g);

/* True iff [at, at + len) lies below gmem_limit(g), with no wraparound
 * past 4 GiB. len 0 is accepted for any address <= the limit. */
bool gmem_range_ok(const struct gmem *g, gpa_t at, uint32_t len);

/* ------------------------------------------------------------ copies */

/* Copy len bytes from / to guest memory at `at`. Return 0, or -1 (and
 * copy nothing) if the range is not ok. Overlap with the other buffer is
 * fine. */
int gmem_read(const struct gmem *g, gpa_t at, void *dst, uint32_t len);
int gmem_write(const struct gmem *g, gpa_t at, const void *src,
	       uint32_t len);

/* Little-endian scalars (the guest is i386). Return 0 or -1; on -1 *val
 * is left untouched and nothing is written. */
int gmem_read8(const struct gmem *g, gpa_t at, uint8_t *val);
int gmem_read16(const struct gmem *g, gpa_t at, uint16_t *val);
int gmem_read32(const struct gmem *g, gpa_t at, uint32_t *val);
int gmem_write8(const struct gmem *g, gpa_t at, uint8_t val);
int gmem_write16(const struct gmem *g, gpa_t at, uint16_t val);
int gmem_write32(const struct gmem *g, gpa_t at, uint32_t val);

/* ------------------------------------------------------------ the walk */

/* A range of guest memory on its way out in pieces (fields private). */
struct gmem_walk {
	const struct gmem *g;
	uint32_t at;	/* next guest-physical byte */
	uint32_t left;	/* bytes still to hand out */
};

/* One piece: len (>= 1) bytes of host memory at host, contiguous. */
struct gmem_piece {
	uint8_t *host;
	uint32_t len;
};

/* Start walking [at, at + len). Returns 0, or -1 if the range is not ok
 * (the walk then yields nothing). */
int gmem_walk_start(struct gmem_walk *w, const struct gmem *g, gpa_t at,
		    uint32_t len);

/* The next piece, in address order: true with *p filled, false when the
 * range is done. Each piece is as long as host memory is contiguous: a
 * run of ordinary pages, or what of one shared page lies in the range.
 * The pieces' lengths add up to the len given to gmem_walk_start(). */
bool gmem_walk_next(struct gmem_walk *w, struct gmem_piece *p);

/* ------------------------------------------------------- whole views */

/* [at, at + len) as one host pointer: 0 with *host set, or -1 when the
 * range is not ok or is not one piece (it touches a shared page and
 * another). For state the host keeps looking at (lguest_data). */
int gmem_map(const struct gmem *g, gpa_t at, uint32_t len, void **host);

/* The host page that guest page pfn is (shared or not): 0 with *page set,
 * or -1 at or above pfnlimit. */
int gmem_frame(const struct gmem *g, uint32_t pfn, uint8_t **page);

#endif
