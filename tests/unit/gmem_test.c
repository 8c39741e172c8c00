/*
 * tests/unit/gmem_test.c: the one way into guest memory (host/rules/gmem.h):
 * the range rule on both sides of every boundary (the limit itself, len
 * 0, gpa + len wrapping past 4 GiB), the walk's pieces covering a range
 * exactly, shared pages included, and the views that refuse to be NULL;
 * and the lazy zeroing: no byte a page's last owner left gets out through
 * any call, a page is zeroed only when first used, and never again.
 */
#include <string.h>

#include "check.h"
#include "rules/gmem.h"

#define PAGES 4
static uint8_t mem[PAGES * 4096];
static const struct gmem g = { .base = mem, .ram_bytes = 2 * 4096, .pfnlimit = PAGES };

static void test_limit(void)
{
	CHECK_EQ(gmem_limit(&g), PAGES * 4096);
	struct gmem big = { .base = mem, .ram_bytes = 0, .pfnlimit = 0x100000 };
	CHECK_EQ(gmem_limit(&big), 0x100000000ull);
	struct gmem none = { .base = mem, .ram_bytes = 0, .pfnlimit = 0 };
	CHECK_EQ(gmem_limit(&none), 0);
	CHECK(gmem_range_ok(&none, gpa(0), 0));
	CHECK(!gmem_range_ok(&none, gpa(0), 1));
	CHECK(!gmem_range_ok(&none, gpa(1), 0));
}

static void test_range_boundaries(void)
{
	const uint32_t lim = PAGES * 4096;

	CHECK(gmem_range_ok(&g, gpa(0), lim));        /* all of it */
	CHECK(!gmem_range_ok(&g, gpa(0), lim + 1));   /* one byte too many */
	CHECK(gmem_range_ok(&g, gpa(lim - 1), 1));    /* last byte */
	CHECK(!gmem_range_ok(&g, gpa(lim), 1));       /* first byte above */
	CHECK(gmem_range_ok(&g, gpa(lim - 4), 4));
	CHECK(!gmem_range_ok(&g, gpa(lim - 3), 4));
	/* len 0: fine up to and including the limit, not above it. */
	CHECK(gmem_range_ok(&g, gpa(0), 0));
	CHECK(gmem_range_ok(&g, gpa(lim), 0));
	CHECK(!gmem_range_ok(&g, gpa(lim + 1), 0));
	/* RAM size does not matter: device pages above RAM are reachable. */
	CHECK(gmem_range_ok(&g, gpa(g.ram_bytes), 4096));
}

static void test_wraparound(void)
{
	/* A limit of exactly 4 GiB: nothing may wrap past it. */
	struct gmem big = { .base = mem, .ram_bytes = 0, .pfnlimit = 0x100000 };

	CHECK(gmem_range_ok(&big, gpa(0xFFFFFFFF), 1));
	CHECK(gmem_range_ok(&big, gpa(0xFFFFFFFF), 0));
	CHECK(!gmem_range_ok(&big, gpa(0xFFFFFFFF), 2));
	CHECK(!gmem_range_ok(&big, gpa(0xFFFFFFF0), 0x20));
	CHECK(gmem_range_ok(&big, gpa(1), 0xFFFFFFFF));  /* ends exactly at 4 GiB */
	CHECK(!gmem_range_ok(&big, gpa(2), 0xFFFFFFFF));
	CHECK(gmem_range_ok(&big, gpa(0), 0xFFFFFFFF));
	/* A bogus pfnlimit above 4 GiB must not open up wrapping ranges. */
	struct gmem bogus = { .base = mem, .ram_bytes = 0, .pfnlimit = 0xFFFFFFFF };
	CHECK(!gmem_range_ok(&bogus, gpa(0xFFFFFFFF), 2));
	CHECK(!gmem_range_ok(&bogus, gpa(0x80000000), 0x80000001));
	/* The small guest: a wrapping range lands "below" the limit in 32 bits
	 * (0xFFFFF000 + 0x2000 = 0x1000); it must still be refused. */
	CHECK(!gmem_range_ok(&g, gpa(0xFFFFF000), 0x2000));
	void *v;
	CHECK_EQ(gmem_map(&g, gpa(0xFFFFF000), 0x2000, &v), -1);
	CHECK(!gmem_range_ok(&g, gpa(0xFFFFFFFF), 1));
}

static void test_map(void)
{
	void *v = NULL;

	CHECK_EQ(gmem_map(&g, gpa(0), 1, &v), 0);
	CHECK(v == mem);
	CHECK_EQ(gmem_map(&g, gpa(100), 10, &v), 0);
	CHECK(v == mem + 100);
	CHECK_EQ(gmem_map(&g, gpa(PAGES * 4096), 0, &v), 0);
	CHECK(v == mem + PAGES * 4096);
	v = NULL;
	CHECK_EQ(gmem_map(&g, gpa(PAGES * 4096), 1, &v), -1);
	CHECK(v == NULL);	/* untouched on failure */
	uint8_t *page = NULL;
	CHECK_EQ(gmem_frame(&g, 1, &page), 0);
	CHECK(page == mem + 4096);
	CHECK_EQ(gmem_frame(&g, PAGES, &page), -1);
}

/* Walk a range; return the number of pieces, and check they cover it
 * exactly, in order, each inside mem or lan. */
static unsigned walk_pieces(const struct gmem *m, uint32_t at, uint32_t len,
			    const uint8_t *lan, uint32_t lan_pfn)
{
	struct gmem_walk w;
	struct gmem_piece p;
	unsigned n = 0;
	uint32_t pos = at;

	CHECK_EQ(gmem_walk_start(&w, m, gpa(at), len), 0);
	while (gmem_walk_next(&w, &p)) {
		CHECK(p.len >= 1);
		if (pos / 4096 == lan_pfn && lan) {
			CHECK(p.host == lan + pos % 4096);
			CHECK(pos % 4096 + p.len <= 4096);
		} else {
			CHECK(p.host == mem + pos);
		}
		pos += p.len;
		n++;
	}
	CHECK_EQ(pos, at + len);
	return n;
}

static void test_walk(void)
{
	struct gmem_walk w;
	struct gmem_piece p;

	/* No shared page: one piece, whatever the length. */
	CHECK_EQ(walk_pieces(&g, 0, PAGES * 4096, NULL, 0), 1);
	CHECK_EQ(walk_pieces(&g, 4000, 200, NULL, 0), 1);
	CHECK_EQ(walk_pieces(&g, 7, 0, NULL, 0), 0);
	/* A refused range yields nothing, not even later. */
	CHECK_EQ(gmem_walk_start(&w, &g, gpa(PAGES * 4096 - 1), 2), -1);
	CHECK(!gmem_walk_next(&w, &p));
	CHECK_EQ(gmem_walk_start(&w, &g, gpa(0xFFFFFFFF), 2), -1);
	CHECK(!gmem_walk_next(&w, &p));
}

static void test_read_write(void)
{
	uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t out[8];

	memset(mem, 0, sizeof(mem));
	CHECK_EQ(gmem_write(&g, gpa(4090), buf, 6), 0);
	CHECK_EQ(gmem_read(&g, gpa(4090), out, 6), 0);
	CHECK(memcmp(out, buf, 6) == 0);
	/* Refused accesses copy nothing at all. */
	memset(out, 0xAA, sizeof(out));
	CHECK_EQ(gmem_read(&g, gpa(PAGES * 4096 - 4), out, 8), -1);
	CHECK_EQ(out[0], 0xAA);
	CHECK_EQ(gmem_write(&g, gpa(PAGES * 4096 - 4), buf, 8), -1);
	CHECK_EQ(mem[PAGES * 4096 - 4], 0);
	CHECK_EQ(gmem_write(&g, gpa(PAGES * 4096), buf, 0), 0);
	CHECK_EQ(gmem_read(&g, gpa(0xFFFFFFFC), out, 8), -1);
}

static void test_scalars(void)
{
	uint32_t v32 = 0x5A5A5A5A;
	uint16_t v16 = 0x5A5A;
	uint8_t v8 = 0x5A;

	memset(mem, 0, sizeof(mem));
	CHECK_EQ(gmem_write32(&g, gpa(1), 0x11223344), 0);
	CHECK_EQ(mem[1], 0x44); /* little-endian, unaligned is fine */
	CHECK_EQ(mem[4], 0x11);
	CHECK_EQ(gmem_read32(&g, gpa(1), &v32), 0);
	CHECK_EQ(v32, 0x11223344);
	CHECK_EQ(gmem_read16(&g, gpa(2), &v16), 0);
	CHECK_EQ(v16, 0x2233);
	CHECK_EQ(gmem_read8(&g, gpa(4), &v8), 0);
	CHECK_EQ(v8, 0x11);
	CHECK_EQ(gmem_write16(&g, gpa(10), 0xBEEF), 0);
	CHECK_EQ(mem[10], 0xEF);
	CHECK_EQ(gmem_write8(&g, gpa(PAGES * 4096 - 1), 0x77), 0);
	CHECK_EQ(mem[PAGES * 4096 - 1], 0x77);

	/* Out of range: -1 and the output untouched. */
	v32 = 0xCAFEF00D;
	CHECK_EQ(gmem_read32(&g, gpa(PAGES * 4096 - 3), &v32), -1);
	CHECK_EQ(v32, 0xCAFEF00D);
	CHECK_EQ(gmem_read16(&g, gpa(PAGES * 4096 - 1), &v16), -1);
	CHECK_EQ(gmem_read8(&g, gpa(PAGES * 4096), &v8), -1);
	CHECK_EQ(gmem_write32(&g, gpa(0xFFFFFFFE), 1), -1);
	CHECK_EQ(gmem_write16(&g, gpa(PAGES * 4096 - 1), 1), -1);
	CHECK_EQ(gmem_write8(&g, gpa(PAGES * 4096), 1), -1);
}

/* Page 2 of a guest replaced by a page shared with another guest. */
static void test_shared_page(void)
{
	static uint8_t lan[4096];
	struct gmem s = { .base = mem, .ram_bytes = 2 * 4096, .pfnlimit = PAGES };
	uint8_t buf[16], out[16];

	memset(mem, 0, sizeof(mem));
	memset(lan, 0, sizeof(lan));
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i + 1);
	CHECK_EQ(gmem_share_page(&s, PAGES, lan), -1);	/* above pfnlimit */
	CHECK_EQ(gmem_share_page(&s, 2, NULL), -1);
	CHECK_EQ(gmem_share_page(&s, 2, lan), 0);
	CHECK_EQ(gmem_share_page(&s, 2, lan), -1);	/* already shared */
	uintptr_t id = 0;
	CHECK_EQ(gmem_shared_identity(&s, gpa(2 * 4096 + 12), &id), 0);
	CHECK(id == (uintptr_t)(lan + 12));
	CHECK_EQ(gmem_shared_identity(&s, gpa(4096 + 12), &id), -1);
	CHECK_EQ(gmem_shared_identity(&s, gpa(PAGES * 4096), &id), -1);
	uint8_t *page = NULL;
	CHECK_EQ(gmem_frame(&s, 2, &page), 0);
	CHECK(page == lan);
	CHECK_EQ(gmem_frame(&s, 1, &page), 0);
	CHECK(page == mem + 4096);
	CHECK_EQ(gmem_frame(&s, PAGES, &page), -1);
	CHECK(gmem_touches_shared(&s, gpa(2 * 4096 - 1), 2));
	CHECK(gmem_touches_shared(&s, gpa(3 * 4096 - 1), 1));
	CHECK(!gmem_touches_shared(&s, gpa(2 * 4096 - 1), 1));
	CHECK(!gmem_touches_shared(&s, gpa(3 * 4096), 4096));
	CHECK(!gmem_touches_shared(&s, gpa(2 * 4096), 0));

	/* Inside the page: the shared page, not the guest's own. */
	void *v = NULL;
	CHECK_EQ(gmem_map(&s, gpa(2 * 4096 + 8), 8, &v), 0);
	CHECK(v == lan + 8);
	CHECK_EQ(gmem_write32(&s, gpa(2 * 4096 + 4), 0xA1B2C3D4), 0);
	CHECK_EQ(lan[4], 0xD4);
	CHECK_EQ(mem[2 * 4096 + 4], 0);
	/* Straddling it: no single view, but the walk gives the pieces,
	 * and copies go piece by piece, scalars too. */
	v = NULL;
	CHECK_EQ(gmem_map(&s, gpa(2 * 4096 - 8), 16, &v), -1);
	CHECK(v == NULL);
	CHECK_EQ(walk_pieces(&s, 2 * 4096 - 8, 16, lan, 2), 2);
	CHECK_EQ(walk_pieces(&s, 0, PAGES * 4096, lan, 2), 3);
	CHECK_EQ(walk_pieces(&s, 2 * 4096, 4096, lan, 2), 1);
	CHECK_EQ(walk_pieces(&s, 2 * 4096 + 4095, 2, lan, 2), 2);
	CHECK_EQ(walk_pieces(&s, 3 * 4096, 4096, lan, 2), 1);
	CHECK_EQ(gmem_write(&s, gpa(2 * 4096 - 8), buf, 16), 0);
	CHECK(memcmp(mem + 2 * 4096 - 8, buf, 8) == 0);
	CHECK(memcmp(lan, buf + 8, 8) == 0);
	CHECK_EQ(mem[2 * 4096], 0);
	CHECK_EQ(gmem_read(&s, gpa(2 * 4096 - 8), out, 16), 0);
	CHECK(memcmp(out, buf, 16) == 0);
	CHECK_EQ(gmem_write32(&s, gpa(3 * 4096 - 2), 0x11223344), 0);
	CHECK_EQ(lan[4094], 0x44);
	CHECK_EQ(mem[3 * 4096], 0x22);
	uint32_t v32 = 0;
	CHECK_EQ(gmem_read32(&s, gpa(3 * 4096 - 2), &v32), 0);
	CHECK_EQ(v32, 0x11223344);
	/* The range rule still holds. */
	CHECK_EQ(gmem_read(&s, gpa(PAGES * 4096 - 4), out, 8), -1);
}

/* Memory full of a last owner's bytes, with a `scrubbed` bitmap. */
#define SPAGES 10
static uint8_t smem[SPAGES * 4096];
static uint8_t sshared[4096];
static uint32_t sbits[1];

static struct gmem scrub_new(void)
{
	struct gmem s = { .base = smem, .ram_bytes = 8 * 4096,
			  .pfnlimit = SPAGES, .scrubbed = sbits };

	memset(smem, 0xA5, sizeof(smem));
	memset(sshared, 0x5A, sizeof(sshared));
	memset(sbits, 0, sizeof(sbits));
	CHECK_EQ(gmem_share_page(&s, 9, sshared), 0);
	return s;
}

static bool all_bytes(const uint8_t *p, size_t len, uint8_t v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_scrub(void)
{
	struct gmem s = scrub_new();
	uint8_t buf[64];
	uint32_t v32 = 1;
	uint8_t *page;
	void *view;

	CHECK_EQ(gmem_scrub_words(0), 0);
	CHECK_EQ(gmem_scrub_words(32), 1);
	CHECK_EQ(gmem_scrub_words(33), 2);
	/* A copy out: zeros, and its whole page is zero now; the next
	 * page is not touched (the zeroing is lazy). */
	memset(buf, 1, sizeof(buf));
	CHECK_EQ(gmem_read(&s, gpa(100), buf, sizeof(buf)), 0);
	CHECK(all_bytes(buf, sizeof(buf), 0));
	CHECK(all_bytes(smem, 4096, 0));
	CHECK(all_bytes(smem + 4096, 4096, 0xA5));
	/* Scalars, across a page boundary too. */
	CHECK_EQ(gmem_read32(&s, gpa(4096 + 100), &v32), 0);
	CHECK_EQ(v32, 0);
	CHECK(all_bytes(smem + 4096, 4096, 0));
	CHECK_EQ(gmem_read32(&s, gpa(3 * 4096 - 2), &v32), 0);
	CHECK_EQ(v32, 0);
	CHECK(all_bytes(smem + 2 * 4096, 2 * 4096, 0));
	/* A frame, as the shadow pager maps it. */
	CHECK_EQ(gmem_frame(&s, 4, &page), 0);
	CHECK(page == smem + 4 * 4096);
	CHECK(all_bytes(page, 4096, 0));
	/* A walk and a view. */
	struct gmem_walk w;
	struct gmem_piece p;
	CHECK_EQ(gmem_walk_start(&w, &s, gpa(5 * 4096 + 10), 20), 0);
	CHECK(gmem_walk_next(&w, &p));
	CHECK(all_bytes(smem + 5 * 4096, 4096, 0));
	CHECK_EQ(gmem_map(&s, gpa(6 * 4096 + 4000), 200, &view), 0);
	CHECK(all_bytes(smem + 6 * 4096, 2 * 4096, 0));
	/* A page the guest wrote keeps what it wrote. */
	smem[4096 + 7] = 0x42;
	CHECK_EQ(gmem_read(&s, gpa(4096), buf, 8), 0);
	CHECK_EQ(buf[7], 0x42);
	/* A shared page is not guest memory at base: never zeroed. */
	CHECK_EQ(gmem_read(&s, gpa(9 * 4096), buf, 8), 0);
	CHECK(all_bytes(buf, 8, 0x5A));
	CHECK(all_bytes(sshared, 4096, 0x5A));
}

static void test_scrub_writes(void)
{
	struct gmem s = scrub_new();
	static uint8_t whole[2 * 4096];

	/* A small write: the rest of its page is zero, not the old bytes. */
	CHECK_EQ(gmem_write32(&s, gpa(8), 0x11223344), 0);
	CHECK_EQ(smem[8], 0x44);
	CHECK(all_bytes(smem, 8, 0) && all_bytes(smem + 12, 4096 - 12, 0));
	/* A write from the middle of page 1 to the middle of page 3: page 2
	 * is covered whole, the ends keep zeros around the new bytes. */
	memset(whole, 0x77, sizeof(whole));
	CHECK_EQ(gmem_write(&s, gpa(4096 + 2048), whole, 2 * 4096), 0);
	CHECK(all_bytes(smem + 4096, 2048, 0));
	CHECK(all_bytes(smem + 4096 + 2048, 2 * 4096, 0x77));
	CHECK(all_bytes(smem + 3 * 4096 + 2048, 2048, 0));
	/* And the whole page reads back as written, not zeroed again. */
	uint32_t v = 0;
	CHECK_EQ(gmem_read32(&s, gpa(2 * 4096), &v), 0);
	CHECK_EQ(v, 0x77777777);
	/* Untouched pages still hold the old bytes (the guest never saw
	 * them), and nothing reads them but through gmem. */
	CHECK(all_bytes(smem + 4 * 4096, 4096, 0xA5));
	CHECK_EQ(gmem_read32(&s, gpa(4 * 4096 + 4092), &v), 0);
	CHECK_EQ(v, 0);
}

int main(void)
{
	RUN(test_limit);
	RUN(test_range_boundaries);
	RUN(test_wraparound);
	RUN(test_map);
	RUN(test_walk);
	RUN(test_read_write);
	RUN(test_scalars);
	RUN(test_shared_page);
	RUN(test_scrub);
	RUN(test_scrub_writes);
	return CHECK_DONE();
}
