/*
 * host/rules/blk_request.c: blk_request_check(), the rules of an lguest block
 * request (see blk_request.h for the contract). No state, no guest memory
 * access beyond gmem range questions, no logging: host/dev/block.c decides
 * what a failure means (result 2, docs/abi.md §14.1).
 */
#include "rules/blk_request.h"
#include "rules/hot_section.h"
#include "rules/check.h"
#include "rules/errmsg.h"

#define SECTOR LGUEST_BLOCK_SECTOR_SIZE

RULES_DMA_HOT
int blk_request_check(const struct lguest_block_page *page,
		      const struct lguest_dma *send,
		      const struct lguest_dma *reply, const struct gmem *g,
		      const struct blk_disk *disk, struct blk_request *out,
		      char *err, size_t errlen)
{
	char why[160];
	uint32_t send_total, data_total;

	if (check_dma_sections(send, g, false, &send_total, why, sizeof(why)))
		return errmsg(err, errlen, "request's lguest_dma: %s", why);
	if (page->type != LGUEST_BLOCK_TYPE_READ &&
	    page->type != LGUEST_BLOCK_TYPE_WRITE)
		return errmsg(err, errlen, "type %d is neither read (0) nor "
			      "write (1)", (int)page->type);
	out->is_write = page->type == LGUEST_BLOCK_TYPE_WRITE;
	out->sector = page->sector;
	out->bytes = page->bytes;
	const char *what = out->is_write ? "write" : "read";
	if (page->sector >= disk->num_sectors)
		return errmsg(err, errlen, "%s at sector %u: the disk has %u "
			      "sectors", what, (unsigned)page->sector,
			      (unsigned)disk->num_sectors);
	if (!reply)
		return errmsg(err, errlen, "%s at sector %u: no reply buffer "
			      "is bound at the device page", what,
			      (unsigned)page->sector);
	if (page->bytes % SECTOR)
		return errmsg(err, errlen, "%s at sector %u: bytes %u is not a "
			      "multiple of %u", what, (unsigned)page->sector,
			      (unsigned)page->bytes, SECTOR);
	if ((uint64_t)page->sector + page->bytes / SECTOR > disk->num_sectors)
		return errmsg(err, errlen, "%s of %u bytes at sector %u runs "
			      "past the end of the disk (%u sectors)", what,
			      (unsigned)page->bytes, (unsigned)page->sector,
			      (unsigned)disk->num_sectors);
	if (out->is_write && disk->read_only)
		return errmsg(err, errlen, "write at sector %u: the disk is "
			      "read-only", (unsigned)page->sector);
	const struct lguest_dma *data = out->is_write ? send : reply;
	if (out->is_write) {
		data_total = send_total;
	} else if (check_dma_sections(reply, g, false, &data_total, why,
				      sizeof(why))) {
		return errmsg(err, errlen, "read's reply buffer: %s", why);
	}
	if (data_total != page->bytes)
		return errmsg(err, errlen, "%s at sector %u: bytes is %u but "
			      "the %s sections hold %u", what,
			      (unsigned)page->sector, (unsigned)page->bytes,
			      out->is_write ? "send's" : "reply buffer's",
			      (unsigned)data_total);
	out->nseg = 0;
	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && data->len[i]; i++) {
		out->seg[i].gpa = gpa(data->addr[i]);
		out->seg[i].len = data->len[i];
		out->nseg = i + 1;
	}
	return 0;
}
