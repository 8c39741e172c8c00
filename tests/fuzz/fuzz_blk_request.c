/*
 * tests/fuzz/fuzz_blk_request.c: blk_request_check() (host/rules/blk_request.c)
 * on guest-controlled block requests over a small fake guest memory. What
 * it accepts must be safe to hand to the disk: every segment reachable
 * through the walk of host/rules/gmem.h, all of it and nothing else (the
 * last page may be a shared network page; fuzz_reach.h), lengths adding up
 * to `bytes`, a whole number of sectors, within the disk, and no write to
 * a read-only disk.
 *
 * Input: 20 bytes lguest_block_page, 100 bytes send lguest_dma, 100 bytes
 * reply lguest_dma, one flags byte (bit 0: reply bound, bit 1: read-only,
 * bits 2-3: guest pages - 1, bit 4: the last page is shared), 4 bytes
 * num_sectors (little-endian).
 *
 * Security: host memory and CPU | any block request, reply buffer and disk size | accepted segments reachable, whole sectors, inside the disk, no write to a read-only disk
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rules/blk_request.h"
#include "fuzz_expect.h"
#include "fuzz_reach.h"

#define MAX_PAGES 4
static uint8_t mem[MAX_PAGES * 4096];

static uint8_t lan[4096];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lguest_block_page page;
	struct lguest_dma send, reply;
	struct blk_request r;
	struct blk_disk disk;
	char err[256];
	size_t off = 0;

	if (size < 20 + 100 + 100 + 1 + 4)
		return 0;
	memcpy(&page, data, sizeof(page));
	off += sizeof(page);
	memcpy(&send, data + off, sizeof(send));
	off += sizeof(send);
	memcpy(&reply, data + off, sizeof(reply));
	off += sizeof(reply);
	uint8_t flags = data[off++];
	memcpy(&disk.num_sectors, data + off, 4);
	disk.read_only = flags & 2;
	struct gmem g = { .base = mem, .ram_bytes = 0, .pfnlimit = 1u + ((flags >> 2) & 3) };
	g.ram_bytes = g.pfnlimit * 4096;
	if (flags & 0x10)	/* the last page is a shared network page */
		gmem_share_page(&g, g.pfnlimit - 1, lan);

	err[0] = 'x';
	if (blk_request_check(&page, &send, flags & 1 ? &reply : NULL, &g,
			      &disk, &r, err, sizeof(err))) {
		EXPECT(memchr(err, '\0', sizeof(err)) != NULL);
		return 0;
	}
	uint64_t total = 0;
	EXPECT(r.nseg <= LGUEST_MAX_DMA_SECTIONS);
	for (unsigned i = 0; i < r.nseg; i++) {
		EXPECT(r.seg[i].len > 0);
		expect_reachable(&g, gpa_val(r.seg[i].gpa), r.seg[i].len);
		total += r.seg[i].len;
	}
	EXPECT(total == r.bytes);
	EXPECT(r.bytes == page.bytes && r.sector == page.sector);
	EXPECT(r.bytes % LGUEST_BLOCK_SECTOR_SIZE == 0);
	EXPECT(r.sector < disk.num_sectors);
	EXPECT((uint64_t)r.sector + r.bytes / LGUEST_BLOCK_SECTOR_SIZE <=
	       disk.num_sectors);
	EXPECT(r.is_write == (page.type == LGUEST_BLOCK_TYPE_WRITE));
	EXPECT(!(r.is_write && disk.read_only));
	EXPECT(flags & 1);
	return 0;
}
