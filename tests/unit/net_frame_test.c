/*
 * tests/unit/net_frame_test.c: the rules of a --tunnet frame
 * (host/rules/net_frame.c): what a guest may send to the outside (sections in
 * memory by the Launcher's rule, 14..1514 bytes, one run of host memory
 * each), which receive buffers are usable, and the scatter of a received
 * frame into a buffer's sections.
 */
#include <string.h>

#include "check.h"                /* the test framework (tests/unit/) */
#include "dma_build.h"
#include "rules/net_frame.h" /* the rules */

#define PAGES 8
static uint8_t m[PAGES * 4096];
static uint8_t shared[4096];
/* 6 pages of RAM, the descriptor page and one net page. */
static struct gmem g = { .base = m, .ram_bytes = 6 * 4096, .pfnlimit = PAGES };
static char err[256];

static int send_check(const struct lguest_dma *d, struct net_frame_send *s)
{
	memset(err, 0, sizeof(err));
	memset(s, 0xAA, sizeof(*s));
	return net_frame_check_send(d, &g, s, err, sizeof(err));
}

static void test_send_ok(void)
{
	uint32_t a[] = { 0x1000, 0x2ffa };	/* crosses a page */
	uint16_t l[] = { 14, 84 };
	struct lguest_dma d = dma(2, a, l);
	struct net_frame_send s;

	CHECK_EQ(send_check(&d, &s), 0);
	CHECK_EQ(s.bytes, 98);
	CHECK_EQ(s.nseg, 2);
	CHECK_EQ(gpa_val(s.seg[0].gpa), 0x1000);
	CHECK_EQ(s.seg[0].len, 14);
	CHECK_EQ(gpa_val(s.seg[1].gpa), 0x2ffa);
	CHECK_EQ(s.seg[1].len, 84);
}

static void test_send_sizes(void)
{
	uint32_t a[] = { 0x1000 };
	uint16_t l[] = { 14 };
	struct lguest_dma d = dma(1, a, l);
	struct net_frame_send s;

	CHECK_EQ(send_check(&d, &s), 0);		/* header only */
	d.len[0] = 13;
	CHECK_EQ(send_check(&d, &s), -1);
	CHECK(strcmp(err, "frame of 13 bytes is shorter than an Ethernet "
		     "header (14)") == 0);
	d.len[0] = LGUEST_NET_BUF_SIZE;
	CHECK_EQ(send_check(&d, &s), 0);
	CHECK_EQ(s.bytes, 1514);
	d.len[0] = LGUEST_NET_BUF_SIZE + 1;
	CHECK_EQ(send_check(&d, &s), -1);
	CHECK(strcmp(err, "frame of 1515 bytes is longer than 1514 (header "
		     "and MTU 1500)") == 0);
	d.len[0] = 0;					/* no sections */
	CHECK_EQ(send_check(&d, &s), -1);
}

static void test_send_sixteen_sections(void)
{
	struct lguest_dma d;
	struct net_frame_send s;

	memset(&d, 0, sizeof(d));
	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS; i++) {
		d.addr[i] = 0x1000 + 100 * i;
		d.len[i] = 90;			/* no terminator */
	}
	CHECK_EQ(send_check(&d, &s), 0);
	CHECK_EQ(s.nseg, 16);
	CHECK_EQ(s.bytes, 16 * 90);
	d.len[15] = 90 + 75;			/* 1515 */
	CHECK_EQ(send_check(&d, &s), -1);
}

static void test_send_outside(void)
{
	uint32_t a[] = { 0x1000, PAGES * 4096 - 84 };
	uint16_t l[] = { 14, 84 };
	struct lguest_dma d = dma(2, a, l);
	struct net_frame_send s;

	/* The Launcher's rule: strictly below the top. */
	CHECK_EQ(send_check(&d, &s), -1);
	CHECK(strstr(err, "DMA section 1: addr 0x7fac len 84") != NULL);
	d.addr[1] -= 1;
	CHECK_EQ(send_check(&d, &s), 0);
	d.addr[1] = 0xFFFFFFF0;			/* wraps */
	CHECK_EQ(send_check(&d, &s), -1);
}

/* A section from the guest's own page into a shared one is sent whole:
 * the rules accept it, and the walk reaches both pieces. */
static void test_send_straddles_shared_page(void)
{
	struct gmem saved = g;
	uint32_t a[] = { 7 * 4096 - 10 };	/* into the shared page 7 */
	uint16_t l[] = { 60 };
	struct lguest_dma d = dma(1, a, l);
	struct net_frame_send s;
	struct gmem_walk w;
	struct gmem_piece p;

	CHECK_EQ(gmem_share_page(&g, 7, shared), 0);
	CHECK_EQ(send_check(&d, &s), 0);
	CHECK_EQ(s.nseg, 1);
	CHECK_EQ(gmem_walk_start(&w, &g, s.seg[0].gpa, s.seg[0].len), 0);
	CHECK(gmem_walk_next(&w, &p) && p.len == 10 && p.host != shared);
	CHECK(gmem_walk_next(&w, &p) && p.len == 50 && p.host == shared);
	CHECK(!gmem_walk_next(&w, &p));
	d.addr[0] = 7 * 4096;			/* wholly inside: fine too */
	CHECK_EQ(send_check(&d, &s), 0);
	g = saved;
}

static void test_buffer(void)
{
	uint32_t a[] = { 0x1000, 0x2000 };
	uint16_t l[] = { 100, 1414 };
	struct lguest_dma d = dma(2, a, l);
	uint32_t cap = 1;

	CHECK_EQ(net_frame_check_buffer(&d, &g, &cap, err, sizeof(err)), 0);
	CHECK_EQ(cap, 1514);
	d.addr[1] = PAGES * 4096 - 1000;
	CHECK_EQ(net_frame_check_buffer(&d, &g, &cap, err, sizeof(err)), -1);
	CHECK(strstr(err, "DMA section 1:") != NULL);
	d = dma(0, NULL, NULL);
	CHECK_EQ(net_frame_check_buffer(&d, &g, &cap, err, sizeof(err)), 0);
	CHECK_EQ(cap, 0);			/* takes no frame */
}

static void test_scatter(void)
{
	uint32_t a[] = { 0x1000, 0x2ff0, 0x5000 };
	uint16_t l[] = { 10, 32, 100 };
	struct lguest_dma d = dma(3, a, l);
	uint8_t frame[60];

	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i + 1);
	memset(m, 0xEE, sizeof(m));
	CHECK_EQ(net_frame_scatter(&g, &d, frame, 60), 60);
	CHECK(memcmp(m + 0x1000, frame, 10) == 0);
	CHECK(memcmp(m + 0x2ff0, frame + 10, 32) == 0);
	CHECK(memcmp(m + 0x5000, frame + 42, 18) == 0);
	CHECK_EQ(m[0x1000 + 10], 0xEE);	/* nothing past the frame */
	CHECK_EQ(m[0x5000 + 18], 0xEE);
	CHECK_EQ(m[0x0fff], 0xEE);
	CHECK_EQ(net_frame_scatter(&g, &d, frame, 0), 0);
}

static void test_scatter_stops_outside(void)
{
	uint32_t a[] = { 0x1000, PAGES * 4096 - 4 };
	uint16_t l[] = { 10, 32 };
	struct lguest_dma d = dma(2, a, l);
	uint8_t frame[42] = { 0 };

	/* Not a checked buffer: the copy still stays inside guest memory. */
	CHECK_EQ(net_frame_scatter(&g, &d, frame, 42), 10);
}

static void test_scatter_across_shared_page(void)
{
	struct gmem saved = g;
	uint32_t a[] = { 7 * 4096 - 10 };
	uint16_t l[] = { 30 };
	struct lguest_dma d = dma(1, a, l);
	uint8_t frame[30];

	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(0x40 + i);
	CHECK_EQ(gmem_share_page(&g, 7, shared), 0);
	CHECK_EQ(net_frame_scatter(&g, &d, frame, 30), 30);
	CHECK(memcmp(m + 7 * 4096 - 10, frame, 10) == 0);
	CHECK(memcmp(shared, frame + 10, 20) == 0);
	g = saved;
}

int main(void)
{
	RUN(test_send_ok);
	RUN(test_send_sizes);
	RUN(test_send_sixteen_sections);
	RUN(test_send_outside);
	RUN(test_send_straddles_shared_page);
	RUN(test_buffer);
	RUN(test_scatter);
	RUN(test_scatter_stops_outside);
	RUN(test_scatter_across_shared_page);
	return CHECK_DONE();
}
