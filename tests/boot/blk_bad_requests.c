/*
 * tests/boot/blk_bad_requests.c: block requests that must fail, and a
 * guest that carries on afterwards (spec §8.2, docs/abi.md §14.1 "Bad
 * block requests complete with an error").
 *
 * First the driver's own checks, which send nothing: sectors past the
 * end, a sector count that wraps, no sectors, buffers outside the linear
 * map, too many sections, a second request while one is in flight.
 * Then raw requests the driver would never build, sent to the launcher
 * as they are: a read and a write starting past the end, a write running
 * over the end, a length that is not a whole number of sectors, and a
 * `bytes` that does not match the sections. Each must come back as
 * result 2 (BLK_EIO), not kill the guest (the 2.6.23 Launcher exited on
 * some of them; lgref's host answers instead). Finally the disk still
 * works. Started with one --block disk.
 */
#include "blk_test.h"

static uint8_t buf[4 * BLK_SECTOR_SIZE] __attribute__((aligned(4096)));

static void test_driver_checks(struct blk_disk *d, uint32_t n)
{
	struct blk_stats before, after;
	struct blk_request req = {0};

	blk_get_stats(d, &before);
	CHECK_EQ(blk_read(d, n, buf, 1), BLK_ERANGE);
	CHECK_EQ(blk_read(d, n - 1, buf, 2), BLK_ERANGE);
	CHECK_EQ(blk_write(d, n, buf, 1), BLK_ERANGE);
	CHECK_EQ(blk_write(d, 0xFFFFFFFFu, buf, 2), BLK_ERANGE); /* wraps */
	CHECK_EQ(blk_read(d, 0, buf, 0), BLK_EINVAL);
	CHECK_EQ(blk_read(d, 0, (void *)0x1000, 1), BLK_EINVAL); /* user */
	CHECK_EQ(blk_read(d, 0, (char *)PAGE_OFFSET + vm_ram_bytes() - 256, 1),
		 BLK_EINVAL);                    /* runs off the end of RAM */
	CHECK_EQ(blk_read(NULL, 0, buf, 1), BLK_EINVAL);
	req.type = LGUEST_BLOCK_TYPE_READ;
	req.nsec = LGUEST_MAX_DMA_SECTIONS + 1;
	CHECK_EQ(blk_start(d, &req), BLK_EINVAL);
	CHECK_EQ(blk_finish(d, NULL), BLK_EINVAL); /* nothing started */
	blk_get_stats(d, &after);
	CHECK_EQ(after.reads + after.writes + after.errors,
		 before.reads + before.writes + before.errors);
	printf("driver checks: ok, nothing sent\n");
}

/* Send one raw request of one section over buf and wait for it. */
static int raw(struct blk_disk *d, int32_t type, uint32_t sector,
	       uint32_t bytes, uint16_t section_len)
{
	struct blk_request req = {0};

	req.type = type;
	req.sector = sector;
	req.bytes = bytes;
	req.nsec = 1;
	req.addr[0] = gpa_val(virt_to_gpa(buf));
	req.len[0] = section_len;
	int rc = blk_start(d, &req);
	if (rc != 0)
		return rc;
	return blk_finish(d, NULL);
}

static void test_launcher_refuses(struct blk_disk *d, uint32_t n)
{
	int rc;

	rc = raw(d, LGUEST_BLOCK_TYPE_READ, n, 512, 512);
	printf("read at sector %lu (the end): %s\n", (unsigned long)n,
	       blk_strerror(rc));
	CHECK_EQ(rc, BLK_EIO);
	rc = raw(d, LGUEST_BLOCK_TYPE_WRITE, n + 1000, 512, 512);
	printf("write past the end: %s\n", blk_strerror(rc));
	CHECK_EQ(rc, BLK_EIO);
	rc = raw(d, LGUEST_BLOCK_TYPE_WRITE, n - 1, 1024, 1024);
	printf("write over the end: %s\n", blk_strerror(rc));
	CHECK_EQ(rc, BLK_EIO);
	rc = raw(d, LGUEST_BLOCK_TYPE_READ, 0, 700, 700);
	printf("read of 700 bytes: %s\n", blk_strerror(rc));
	CHECK_EQ(rc, BLK_EIO);
	rc = raw(d, LGUEST_BLOCK_TYPE_WRITE, 0, 700, 700);
	printf("write of 700 bytes: %s\n", blk_strerror(rc));
	CHECK_EQ(rc, BLK_EIO);
	rc = raw(d, LGUEST_BLOCK_TYPE_WRITE, 8, 1024, 512);
	printf("write with bytes 1024 over 512: %s\n", blk_strerror(rc));
	CHECK_EQ(rc, BLK_EIO);
	rc = raw(d, LGUEST_BLOCK_TYPE_READ, 8, 1024, 512);
	printf("read with bytes 1024 into 512: %s\n", blk_strerror(rc));
	CHECK_EQ(rc, BLK_EIO);

	struct blk_stats st;
	blk_get_stats(d, &st);
	CHECK_EQ(st.errors, 7);
}

/* One request in flight per disk: a second start is refused until the
 * first is finished. */
static void test_busy(struct blk_disk *d)
{
	struct blk_request req = {0};

	req.type = LGUEST_BLOCK_TYPE_READ;
	req.sector = 0;
	req.bytes = 512;
	req.nsec = 1;
	req.addr[0] = gpa_val(virt_to_gpa(buf));
	req.len[0] = 512;
	CHECK_EQ(blk_start(d, &req), 0);
	CHECK_EQ(blk_start(d, &req), BLK_EBUSY);
	CHECK_EQ(blk_read(d, 0, buf, 1), BLK_EBUSY);
	CHECK_EQ(blk_finish(d, NULL), 0);
	CHECK_EQ(blk_finish(d, NULL), BLK_EINVAL);
	printf("busy: ok\n");
}

void app_main(void)
{
	struct blk_disk *d = blk_disk(0);
	uint32_t seed = blk_test_seed();

	printf("TEST blk_bad_requests START\n");
	CHECK(d != NULL);
	if (!d)
		goto out;
	uint32_t n = blk_sectors(d);
	printf("disk %s: %lu sectors\n", blk_name(d), (unsigned long)n);
	CHECK(n >= 64);
	if (n < 64)
		goto out;

	blk_test_round_trip("before", d, 8, 2, buf, buf + 1024, seed);
	test_driver_checks(d, n);
	test_launcher_refuses(d, n);
	test_busy(d);
	/* Still a working disk, at both ends. */
	blk_test_round_trip("after", d, 8, 2, buf, buf + 1024, seed + 1);
	blk_test_round_trip("after, last sector", d, n - 1, 1, buf, buf + 512,
			    seed + 1);
out:
	if (test_failures == 0)
		printf("TEST blk_bad_requests PASS\n");
	fflush(stdout);
}
