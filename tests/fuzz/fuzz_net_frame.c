/*
 * tests/fuzz/fuzz_net_frame.c: the --tunnet frame rules (host/rules/net_frame.c)
 * on guest-controlled lguest_dma lists over a fake guest memory of exactly
 * pfnlimit pages (so ASan sees any byte past its end), one page of which
 * may be a shared page elsewhere. A send it accepts must be safe to copy
 * from: 1..16 sections, each one run of host memory, 14..1514 bytes in
 * all. A receive buffer it accepts takes any frame up to its capacity,
 * byte for byte; one it refuses still cannot be scattered outside.
 *
 * Input: 100 bytes send lguest_dma, 100 bytes receive lguest_dma, a flags
 * byte (bits 0-1: pages - 1, bit 2: the last page is shared), then the
 * received frame (at most 2048 bytes used).
 *
 * Security: host memory and CPU | any tun frame send and receive buffer | accepted sections reachable; 14..1514 bytes; the scatter stays inside
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/net_frame.h"
#include "fuzz_expect.h"
#include "fuzz_reach.h"

static uint8_t shared[4096];

static void check_send(const struct lguest_dma *d, const struct gmem *g)
{
	struct net_frame_send s;
	char err[256];

	err[0] = 'x';
	if (net_frame_check_send(d, g, &s, err, sizeof(err))) {
		EXPECT(memchr(err, '\0', sizeof(err)) != NULL);
		return;
	}
	uint32_t total = 0;
	EXPECT(s.nseg >= 1 && s.nseg <= LGUEST_MAX_DMA_SECTIONS);
	for (unsigned i = 0; i < s.nseg; i++) {
		EXPECT(s.seg[i].len > 0);
		expect_reachable(g, gpa_val(s.seg[i].gpa), s.seg[i].len);
		total += s.seg[i].len;
	}
	EXPECT(total == s.bytes);
	EXPECT(total >= LGUEST_NET_HDR_LEN && total <= LGUEST_NET_BUF_SIZE);
}

static void check_receive(const struct lguest_dma *d, const struct gmem *g,
			  const uint8_t *frame, uint32_t len)
{
	uint32_t capacity;
	char err[256];

	if (net_frame_check_buffer(d, g, &capacity, err, sizeof(err))) {
		net_frame_scatter(g, d, frame, len);	/* stays inside */
		return;
	}
	uint32_t n = len < capacity ? len : capacity;
	EXPECT(net_frame_scatter(g, d, frame, n) == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lguest_dma send, recv;

	if (size < 2 * sizeof(struct lguest_dma) + 1)
		return 0;
	memcpy(&send, data, sizeof(send));
	memcpy(&recv, data + sizeof(send), sizeof(recv));
	uint8_t flags = data[2 * sizeof(send)];
	const uint8_t *frame = data + 2 * sizeof(send) + 1;
	size_t len = size - 2 * sizeof(send) - 1;
	if (len > 2048)
		len = 2048;

	uint32_t pages = 1u + (flags & 3);
	struct gmem g = { .base = malloc(pages * 4096), .ram_bytes = 4096,
			  .pfnlimit = pages };
	if (!g.base)
		return 0;
	memset(g.base, 0, pages * 4096);
	if (flags & 4)
		gmem_share_page(&g, pages - 1, shared);
	check_send(&send, &g);
	check_receive(&recv, &g, frame, (uint32_t)len);
	free(g.base);
	return 0;
}
