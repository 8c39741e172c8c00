/*
 * tests/unit/blk_request_test.c: blk_request_check() (host/rules/blk_request.c),
 * the rules of an lguest block request (docs/abi.md §8.2 and §14.1): good
 * reads and writes, and every way a request can be refused (which the
 * host answers with result 2 instead of exiting as 2.6.23 did).
 */
#include <string.h>

#include "check.h"                  /* the test framework (tests/unit/) */
#include "dma_build.h"
#include "rules/blk_request.h" /* the validator */

#define PAGES 8
static uint8_t m[PAGES * 4096];
/* 6 pages of RAM, the descriptor page and one block page. */
static const struct gmem g = { .base = m, .ram_bytes = 6 * 4096, .pfnlimit = PAGES };
static const struct blk_disk disk = { 100, false };
static const struct blk_disk ro_disk = { 100, true };
static char err[256];

static struct lguest_block_page req(int32_t type, uint32_t sector,
				    uint32_t bytes)
{
	struct lguest_block_page p = { type, sector, bytes, 0, 12345 };
	return p;
}

static struct lguest_dma empty(void)
{
	return dma(0, NULL, NULL);
}

static int check(const struct lguest_block_page *p,
		 const struct lguest_dma *send, const struct lguest_dma *reply,
		 const struct blk_disk *d, struct blk_request *out)
{
	memset(err, 0, sizeof(err));
	return blk_request_check(p, send, reply, &g, d, out, err, sizeof(err));
}

static void test_write_ok(void)
{
	uint32_t a[] = { 0x1000, 0x3000 };
	uint16_t l[] = { 4096, 512 };
	struct lguest_dma send = dma(2, a, l), reply = empty();
	struct lguest_block_page p = req(1, 7, 4608);
	struct blk_request r;

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
	CHECK(r.is_write);
	CHECK_EQ(r.sector, 7);
	CHECK_EQ(r.bytes, 4608);
	CHECK_EQ(r.nseg, 2);
	CHECK_EQ(gpa_val(r.seg[0].gpa), 0x1000);
	CHECK_EQ(r.seg[0].len, 4096);
	CHECK_EQ(gpa_val(r.seg[1].gpa), 0x3000);
	CHECK_EQ(r.seg[1].len, 512);
	/* The reply's own sections do not matter for a write. */
	uint32_t bad[] = { 0xFFFFF000 };
	uint16_t bl[] = { 4096 };
	reply = dma(1, bad, bl);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
}

static void test_read_ok(void)
{
	uint32_t a[] = { 0x2000, 0x2200, 0x5000 };
	uint16_t l[] = { 512, 3584, 4096 };
	struct lguest_dma send = empty(), reply = dma(3, a, l);
	struct lguest_block_page p = req(0, 84, 8192); /* ends at the end */
	struct blk_request r;

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
	CHECK(!r.is_write);
	CHECK_EQ(r.nseg, 3);
	CHECK_EQ(gpa_val(r.seg[2].gpa), 0x5000);
	CHECK_EQ(r.seg[2].len, 4096);
	/* A read-only disk still reads. */
	CHECK_EQ(check(&p, &send, &reply, &ro_disk, &r), 0);
	/* Sections after the terminator are never looked at. */
	reply.addr[4] = 0xFFFFFFF0;
	reply.len[4] = 100;
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
	CHECK_EQ(r.nseg, 3);
}

static void test_sixteen_sections(void)
{
	struct lguest_dma send = empty(), reply = empty();
	struct blk_request r;

	for (unsigned i = 0; i < 16; i++) {
		reply.addr[i] = 0x1000 + i * 1024;
		reply.len[i] = 1024;
	}
	struct lguest_block_page p = req(0, 0, 16 * 1024);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
	CHECK_EQ(r.nseg, 16);
	CHECK_EQ(gpa_val(r.seg[15].gpa), 0x1000 + 15 * 1024);
	/* The 16th section counts when there is no terminator. */
	p.bytes = 15 * 1024;
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strstr(err, "bytes is 15360 but the reply buffer's sections "
		     "hold 16384") != NULL);
}

static void test_page_crossing_accepted(void)
{
	uint32_t a[] = { 0x1E00 };
	uint16_t l[] = { 1024 };
	struct lguest_dma send = dma(1, a, l), reply = empty();
	struct lguest_block_page p = req(1, 0, 1024);
	struct blk_request r;

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
}

static void test_zero_bytes(void)
{
	struct lguest_dma send = empty(), reply = empty();
	struct lguest_block_page p = req(0, 99, 0);
	struct blk_request r;

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
	CHECK_EQ(r.nseg, 0);
	CHECK_EQ(r.bytes, 0);
	p = req(1, 99, 0);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
	p = req(1, 100, 0); /* still refused at the end of the disk */
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
}

static void test_bad_type(void)
{
	struct lguest_dma send = empty(), reply = empty();
	struct blk_request r;
	struct lguest_block_page p = req(2, 0, 0);

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strcmp(err, "type 2 is neither read (0) nor write (1)") == 0);
	p = req(-1, 0, 0);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strcmp(err, "type -1 is neither read (0) nor write (1)") == 0);
}

static void test_sector_range(void)
{
	uint32_t a[] = { 0x1000, 0x2000 };
	uint16_t l[] = { 512, 512 };
	struct lguest_dma send = empty(), reply = dma(1, a, l);
	struct blk_request r;
	struct lguest_block_page p = req(0, 99, 512);

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0); /* the last one */
	p.sector = 100;
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strcmp(err, "read at sector 100: the disk has 100 sectors") == 0);
	p.sector = 0xFFFFFFFF;
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	/* Starts inside, ends outside. */
	reply = dma(2, a, l);
	p = req(0, 99, 1024);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strcmp(err, "read of 1024 bytes at sector 99 runs past the end "
		     "of the disk (100 sectors)") == 0);
	/* No 32-bit wrap: a huge disk and a request near 2^32 sectors. */
	struct blk_disk big = { 0xFFFFFFFF, false };
	p = req(0, 0xFFFFFFFE, 1024);
	CHECK_EQ(check(&p, &send, &reply, &big, &r), -1);
	CHECK(strstr(err, "runs past the end") != NULL);
	p = req(0, 0xFFFFFFFD, 1024);
	CHECK_EQ(check(&p, &send, &reply, &big, &r), 0);
}

static void test_missing_reply(void)
{
	uint32_t a[] = { 0x1000 };
	uint16_t l[] = { 512 };
	struct lguest_dma send = dma(1, a, l);
	struct blk_request r;
	struct lguest_block_page p = req(1, 3, 512);

	CHECK_EQ(check(&p, &send, NULL, &disk, &r), -1);
	CHECK(strcmp(err, "write at sector 3: no reply buffer is bound at the "
		     "device page") == 0);
	p.type = 0;
	CHECK_EQ(check(&p, &send, NULL, &disk, &r), -1);
	CHECK(strncmp(err, "read at sector 3: no reply", 26) == 0);
}

static void test_bytes_not_sectors(void)
{
	uint32_t a[] = { 0x1000 };
	uint16_t l[] = { 513 };
	struct lguest_dma send = dma(1, a, l), reply = empty();
	struct blk_request r;
	struct lguest_block_page p = req(1, 0, 513);

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strcmp(err, "write at sector 0: bytes 513 is not a multiple of "
		     "512") == 0);
	p.bytes = 100;
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
}

static void test_bytes_mismatch(void)
{
	uint32_t a[] = { 0x1000 };
	uint16_t l[] = { 4096 };
	struct lguest_dma send = dma(1, a, l), reply = empty();
	struct blk_request r;
	struct lguest_block_page p = req(1, 0, 8192);

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strcmp(err, "write at sector 0: bytes is 8192 but the send's "
		     "sections hold 4096") == 0);
	/* A read whose reply buffer is too big is refused too: the 2.6.23
	 * Launcher would have read past `bytes`. */
	send = empty();
	reply = dma(1, a, l);
	p = req(0, 0, 2048);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	/* A write with no sections at all. */
	p = req(1, 0, 512);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
}

static void test_sections_outside_memory(void)
{
	struct blk_request r;
	/* The send is checked even for a read (the "ping"). */
	uint32_t a[] = { PAGES * 4096 - 16 };
	uint16_t l[] = { 16 };
	struct lguest_dma send = dma(1, a, l), reply = empty();
	struct lguest_block_page p = req(0, 0, 0);

	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1); /* ends at top */
	CHECK(strncmp(err, "request's lguest_dma: DMA section 0: addr 0x7ff0 "
		      "len 16 does not end below", 65) == 0);
	send.len[0] = 15;
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), 0);
	/* Wrapping around 4 GiB. */
	send.addr[0] = 0xFFFFFF00;
	send.len[0] = 0x200;
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	/* A read's reply sections. */
	uint32_t ra[] = { 0x1000, PAGES * 4096 };
	uint16_t rl[] = { 512, 512 };
	send = empty();
	reply = dma(2, ra, rl);
	p = req(0, 0, 1024);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strncmp(err, "read's reply buffer: DMA section 1:", 35) == 0);
	/* A write's sections. */
	send = dma(2, ra, rl);
	p = req(1, 0, 1024);
	CHECK_EQ(check(&p, &send, &reply, &disk, &r), -1);
	CHECK(strncmp(err, "request's lguest_dma: DMA section 1:", 36) == 0);
}

/* Data in a page shared with other guests (a --sharenet page) is a
 * request like any other: the section that runs into the shared page is
 * accepted, and host/dev/block.c walks it in pieces (host/rules/gmem.h),
 * as the 2.6.23 Launcher's contiguous memory allowed. */
static void test_shared_page_accepted(void)
{
	static uint8_t lan[4096];
	struct gmem sg = { .base = m, .ram_bytes = 6 * 4096, .pfnlimit = PAGES };
	uint32_t a[] = { 0x1000, 0x6F00 };	/* section 1 runs into page 7 */
	uint16_t l[] = { 4096, 512 };
	struct lguest_dma send = dma(2, a, l), reply = empty();
	struct lguest_block_page p = req(1, 7, 4608);
	struct blk_request r;

	CHECK_EQ(gmem_share_page(&sg, 7, lan), 0);
	CHECK_EQ(blk_request_check(&p, &send, &reply, &sg, &disk, &r, err,
				   sizeof(err)), 0);
	CHECK_EQ(r.nseg, 2);
	CHECK_EQ(gpa_val(r.seg[1].gpa), 0x6F00);
	/* Every accepted segment is reachable, in two pieces: the guest's
	 * page 6, then the shared page. */
	struct gmem_walk w;
	struct gmem_piece pc;
	CHECK_EQ(gmem_walk_start(&w, &sg, r.seg[1].gpa, r.seg[1].len), 0);
	CHECK(gmem_walk_next(&w, &pc));
	CHECK(pc.host == m + 0x6F00 && pc.len == 256);
	CHECK(gmem_walk_next(&w, &pc));
	CHECK(pc.host == lan && pc.len == 256);
	CHECK(!gmem_walk_next(&w, &pc));
}

static void test_read_only(void)
{
	uint32_t a[] = { 0x1000 };
	uint16_t l[] = { 512 };
	struct lguest_dma send = dma(1, a, l), reply = empty();
	struct blk_request r;
	struct lguest_block_page p = req(1, 0, 512);

	CHECK_EQ(check(&p, &send, &reply, &ro_disk, &r), -1);
	CHECK(strcmp(err, "write at sector 0: the disk is read-only") == 0);
}

static void test_empty_disk(void)
{
	struct blk_disk none = { 0, false };
	struct lguest_dma send = empty(), reply = empty();
	struct blk_request r;
	struct lguest_block_page p = req(0, 0, 0);

	CHECK_EQ(check(&p, &send, &reply, &none, &r), -1);
}

int main(void)
{
	RUN(test_write_ok);
	RUN(test_shared_page_accepted);
	RUN(test_read_ok);
	RUN(test_sixteen_sections);
	RUN(test_page_crossing_accepted);
	RUN(test_zero_bytes);
	RUN(test_bad_type);
	RUN(test_sector_range);
	RUN(test_missing_reply);
	RUN(test_bytes_not_sectors);
	RUN(test_bytes_mismatch);
	RUN(test_sections_outside_memory);
	RUN(test_read_only);
	RUN(test_empty_disk);
	return CHECK_DONE();
}
