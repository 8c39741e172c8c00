/*
 * tests/fuzz/fuzz_blk_request.c: blk_request_check() (host/blk_request.c)
 * on guest-controlled block requests over a small fake guest memory. What
 * it accepts must be safe to hand to the disk: every segment inside guest
 * memory, lengths adding up to `bytes`, a whole number of sectors, within
 * the disk, and no write to a read-only disk.
 *
 * Input: 20 bytes lguest_block_page, 100 bytes send lguest_dma, 100 bytes
 * reply lguest_dma, one flags byte (bit 0: reply bound, bit 1: read-only,
 * bits 2-3: guest pages - 1), 4 bytes num_sectors (little-endian).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "blk_request.h"
#include "fuzz_expect.h"

#define MAX_PAGES 4
static uint8_t mem[MAX_PAGES * 4096];

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
		EXPECT(gmem_ptr(&g, r.seg[i].gpa, r.seg[i].len) != NULL);
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
