/*
 * tests/boot/straddle_block.c: block data sections that straddle a
 * --sharenet page (issue 11, hole 1; docs/abi.md §6.2: the Launcher's DMA
 * may cross pages). Started with `--block=X --sharenet=A --sharenet=B`,
 * so the block page is followed by LAN A's page and then LAN B's.
 *
 * Each case is one raw request (drivers/blk.h blk_start) whose data is
 * ONE section across a boundary, in both directions:
 *   - write: lib/pattern.c's self-describing sectors are put into the
 *     section, written, and read back into an ordinary buffer;
 *   - read: sectors written from an ordinary buffer are read into the
 *     section (first filled with 0xEE) and checked there;
 * for the boundary block page / LAN A, for LAN A / LAN B, for a section
 * that runs through the whole of LAN A's page (three host pieces), and
 * for a request of three sections, ordinary RAM on both sides of a
 * straddling one. The boundaries fall inside sectors, so a piece put in
 * the wrong place or order breaks a sector's pattern. The bytes just
 * outside each section must not change. The old host refused every one
 * of these with result 2 (data in a shared network page).
 */
#include "blk_test.h"
#include "straddle_test.h"

static uint8_t ram[16 * BLK_SECTOR_SIZE] __attribute__((aligned(4096)));
static uint8_t copy[16 * BLK_SECTOR_SIZE];
static struct st_window win;
static uint32_t seed;

/* One raw request of `n` sections; 0 or a BLK_ error. */
static int raw(struct blk_disk *d, int32_t type, uint32_t sector,
	       unsigned n, const uint32_t *addr, const uint16_t *len)
{
	struct blk_request req = {0};

	req.type = type;
	req.sector = sector;
	req.nsec = n;
	for (unsigned i = 0; i < n; i++) {
		req.addr[i] = addr[i];
		req.len[i] = len[i];
		req.bytes += len[i];
	}
	int rc = blk_start(d, &req);
	return rc ? rc : blk_finish(d, NULL);
}

/*
 * Write and read `count` sectors at `sector` through the window's bytes
 * [off, off + count * 512), with `pre` and `post` bytes of ordinary RAM
 * as sections before and after it (0: none).
 */
static void round_trip(struct blk_disk *d, const char *what, uint32_t boundary,
		       unsigned after_pages, int off, uint32_t count,
		       uint32_t sector, uint16_t pre, uint16_t post)
{
	uint32_t bytes = count * BLK_SECTOR_SIZE;
	uint16_t mid = (uint16_t)(bytes - pre - post);
	uint32_t addr[3];
	uint16_t len[3];
	unsigned n = 0;
	uint8_t lo, hi;
	int rc;

	st_open(&win, boundary, after_pages);
	lo = *st_at(&win, off - 1);
	hi = *st_at(&win, off + mid);
	if (pre) {
		addr[n] = gpa_val(virt_to_gpa(ram));
		len[n++] = pre;
	}
	addr[n] = st_gpa(&win, off);
	len[n++] = mid;
	if (post) {
		addr[n] = gpa_val(virt_to_gpa(ram + pre));
		len[n++] = post;
	}

	/* Write from the straddling section, read back into RAM. */
	pattern_fill(copy, sector, count, seed);
	memcpy(ram, copy, pre);
	st_put(&win, off, copy + pre, mid);
	memcpy(ram + pre, copy + pre + mid, post);
	rc = raw(d, LGUEST_BLOCK_TYPE_WRITE, sector, n, addr, len);
	CHECK_EQ(rc, 0);
	memset(copy, 0xEE, bytes);
	CHECK_EQ(blk_read(d, sector, copy, count), 0);
	if (rc == 0 && blk_test_verify(what, copy, sector, count, seed) == 0)
		printf("%s: write of %lu sectors at %lu: ok\n", what,
		       (unsigned long)count, (unsigned long)sector);

	/* Write from RAM, read into the straddling section. */
	pattern_fill(copy, sector, count, seed + 1);
	CHECK_EQ(blk_write(d, sector, copy, count), 0);
	memset(ram, 0xEE, bytes);
	memset(copy, 0xEE, bytes);
	st_put(&win, off, copy, mid);
	rc = raw(d, LGUEST_BLOCK_TYPE_READ, sector, n, addr, len);
	CHECK_EQ(rc, 0);
	memcpy(copy, ram, pre);
	st_get(&win, off, copy + pre, mid);
	memcpy(copy + pre + mid, ram + pre, post);
	if (rc == 0 &&
	    blk_test_verify(what, copy, sector, count, seed + 1) == 0)
		printf("%s: read of %lu sectors at %lu: ok\n", what,
		       (unsigned long)count, (unsigned long)sector);

	/* Nothing moved outside the section. */
	CHECK_EQ(*st_at(&win, off - 1), lo);
	CHECK_EQ(*st_at(&win, off + mid), hi);
	st_restore(&win);
	fflush(stdout);
}

void app_main(void)
{
	uint32_t mem = bootparams_mem_bytes();
	struct blk_disk *d = blk_disk(0);
	uint32_t lan_a = st_sharenet_page(0), lan_b = st_sharenet_page(1);

	printf("TEST straddle_block START\n");
	seed = blk_test_seed();
	CHECK(d != NULL);
	CHECK_EQ(st_device_page(LGUEST_DEVICE_T_BLOCK, 0, 0, 0), mem + 4096);
	CHECK_EQ(lan_a, mem + 8192);
	CHECK_EQ(lan_b, mem + 12288);
	if (!d || lan_a != mem + 8192 || lan_b != mem + 12288)
		goto out;

	/* 768 bytes before the boundary: sector 1 is cut in two halves. */
	round_trip(d, "block page into LAN A", lan_a, 1, -768, 4, 100, 0, 0);
	round_trip(d, "LAN A into LAN B", lan_b, 1, -1280, 4, 200, 0, 0);
	/* 300 + 4096 + 724 bytes: the end of the block page, all of LAN A's
	 * page, the start of LAN B's. */
	round_trip(d, "through LAN A", lan_a, 2, -300, 10, 300, 0, 0);
	/* RAM, then 1024 bytes across the boundary, then RAM. */
	round_trip(d, "RAM, block page into LAN A, RAM", lan_a, 1, -100, 4,
		   400, 512, 512);
out:
	test_finish("straddle_block");
}
