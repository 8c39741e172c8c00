/*
 * host/gmem.h: the only code that touches guest memory.
 *
 * A guest's memory is one host buffer holding guest-physical [0, limit),
 * where limit = pfnlimit * 4096: RAM, then the device descriptor page and
 * the device pages (docs/abi.md §1.1). Every gpa the host dereferences goes
 * through gmem_range_ok(), so the range and wraparound checks live here
 * and nowhere else. No hypercall logic here.
 *
 * The range rule (docs/abi.md §3.2, decided here): [gpa, gpa + len) must
 * lie wholly below pfnlimit * 4096, computed in 64 bits so that gpa + len
 * can never wrap past 4 GiB; len 0 is fine at any gpa <= limit. The real
 * 2.6.23 host tests "(gpa + len) / 4096 < pfnlimit", which also refuses a
 * range ending exactly at the limit. We accept that one range: it is
 * wholly inside guest memory, and no guest can depend on the refusal.
 */
#ifndef LGREF_HOST_GMEM_H
#define LGREF_HOST_GMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GMEM_PAGE_SIZE 4096u

/* Pages of a guest that are another host page: shared network pages. */
#define GMEM_MAX_SHARED 16

/*
 * One guest's memory. base points at guest-physical 0 and must be valid
 * for pfnlimit * 4096 bytes. ram_bytes is the RAM size ("mem", what the
 * e820 map says); pfnlimit is the first page number the guest may not use.
 *
 * A few pages (a --sharenet network page, docs/abi.md §8.3) are not the
 * page at base + gpa but one host page that several guests share, as the
 * 2.6.23 Launcher mapped a shared file over its device page. Every access
 * below honours them.
 */
struct gmem {
	uint8_t *base;      /* host address of guest-physical 0 */
	uint32_t ram_bytes; /* guest RAM, bytes (multiple of 4096) */
	uint32_t pfnlimit;  /* first page above the last device page */
	unsigned nshared;   /* entries used in shared_pfn / shared_page */
	uint32_t shared_pfn[GMEM_MAX_SHARED];
	uint8_t *shared_page[GMEM_MAX_SHARED];
};

/* Make guest page pfn (below pfnlimit) be the host page `page` from now
 * on. Returns 0, or -1 when pfn is out of range, already shared, or the
 * table is full. */
int gmem_share_page(struct gmem *g, uint32_t pfn, uint8_t *page);

/* The shared host page that guest page pfn is, or NULL for an ordinary
 * page. */
uint8_t *gmem_shared_page(const struct gmem *g, uint32_t pfn);

/* Host address of guest page pfn (shared or not), or NULL at or above
 * pfnlimit. */
uint8_t *gmem_frame(const struct gmem *g, uint32_t pfn);

/* Does [gpa, gpa + len) touch a shared page? */
bool gmem_touches_shared(const struct gmem *g, uint32_t gpa, uint32_t len);

/* Bytes of guest-physical space the host accepts: pfnlimit * 4096. */
uint64_t gmem_limit(const struct gmem *g);

/* True iff [gpa, gpa + len) lies below gmem_limit(g), with no wraparound
 * past 4 GiB. len 0 is accepted for any gpa <= the limit. */
bool gmem_range_ok(const struct gmem *g, uint32_t gpa, uint32_t len);

/* Host pointer to [gpa, gpa + len), or NULL if gmem_range_ok() refuses
 * or the range straddles a shared page and its neighbour (gmem_read() and
 * gmem_write() still copy such a range, page by page). */
void *gmem_ptr(const struct gmem *g, uint32_t gpa, uint32_t len);

/* Copy len bytes from / to guest memory at gpa. Return 0, or -1 (and copy
 * nothing) if the range is not ok. Overlap with the other buffer is fine. */
int gmem_read(const struct gmem *g, uint32_t gpa, void *dst, uint32_t len);
int gmem_write(const struct gmem *g, uint32_t gpa, const void *src,
	       uint32_t len);

/* Little-endian scalar access (the guest is i386). Return 0 or -1; on -1
 * *val is left untouched and nothing is written. */
int gmem_read8(const struct gmem *g, uint32_t gpa, uint8_t *val);
int gmem_read16(const struct gmem *g, uint32_t gpa, uint16_t *val);
int gmem_read32(const struct gmem *g, uint32_t gpa, uint32_t *val);
int gmem_write8(const struct gmem *g, uint32_t gpa, uint8_t val);
int gmem_write16(const struct gmem *g, uint32_t gpa, uint16_t val);
int gmem_write32(const struct gmem *g, uint32_t gpa, uint32_t val);

#endif
