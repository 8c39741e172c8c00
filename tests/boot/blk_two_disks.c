/*
 * tests/boot/blk_two_disks.c: two lguest disks at once (spec §7, §8.2).
 * Each has its own device page, key, reply buffer and IRQ; the names
 * follow probe order (lgba, lgbb). The same sector numbers get different
 * data on each disk, also with a request in flight on both at the same
 * time (finished in the opposite order), and each disk must give back
 * its own. The disks differ in size, so a sector can be past the end of
 * one and inside the other. Started with --block=<8 MiB> --block=<4 MiB>.
 */
#include "blk_test.h"

#define SECTORS 16

static uint8_t wa[SECTORS * 512] __attribute__((aligned(4096)));
static uint8_t wb[SECTORS * 512] __attribute__((aligned(4096)));
static uint8_t ra[SECTORS * 512] __attribute__((aligned(4096)));
static uint8_t rb[SECTORS * 512] __attribute__((aligned(4096)));

/* A request over one whole buffer (8 KiB: two page sections). */
static void request(struct blk_request *req, int32_t type, uint32_t sector,
		    uint8_t *p)
{
	memset(req, 0, sizeof(*req));
	req->type = type;
	req->sector = sector;
	req->bytes = SECTORS * 512;
	req->nsec = SECTORS * 512 / 4096;
	for (unsigned i = 0; i < req->nsec; i++) {
		req->addr[i] = gpa_val(virt_to_gpa(p + i * 4096));
		req->len[i] = 4096;
	}
}

/* Requests in flight on both disks at once. */
static void test_overlapped(struct blk_disk *a, struct blk_disk *b,
			    uint32_t seed_a, uint32_t seed_b)
{
	struct blk_request qa, qb;

	pattern_fill(wa, 100, SECTORS, seed_a);
	pattern_fill(wb, 100, SECTORS, seed_b);
	request(&qa, LGUEST_BLOCK_TYPE_WRITE, 100, wa);
	request(&qb, LGUEST_BLOCK_TYPE_WRITE, 100, wb);
	CHECK_EQ(blk_start(a, &qa), 0);
	CHECK_EQ(blk_start(b, &qb), 0);
	CHECK_EQ(blk_finish(b, NULL), 0);
	CHECK_EQ(blk_finish(a, NULL), 0);

	uint32_t la = 0, lb = 0;
	memset(ra, 0, sizeof(ra));
	memset(rb, 0, sizeof(rb));
	request(&qa, LGUEST_BLOCK_TYPE_READ, 100, ra);
	request(&qb, LGUEST_BLOCK_TYPE_READ, 100, rb);
	CHECK_EQ(blk_start(b, &qb), 0);
	CHECK_EQ(blk_start(a, &qa), 0);
	CHECK_EQ(blk_finish(a, &la), 0);
	CHECK_EQ(blk_finish(b, &lb), 0);
	CHECK_EQ(la, SECTORS * 512);
	CHECK_EQ(lb, SECTORS * 512);
	if (blk_test_verify("overlapped lgba", ra, 100, SECTORS, seed_a) == 0 &&
	    blk_test_verify("overlapped lgbb", rb, 100, SECTORS, seed_b) == 0)
		printf("overlapped: ok\n");
}

void app_main(void)
{
	struct blk_disk *a = blk_find("lgba"), *b = blk_find("lgbb");
	uint32_t seed_a = blk_test_seed(), seed_b = seed_a ^ 0x5A5A5A5Au;

	printf("TEST blk_two_disks START\n");
	CHECK_EQ(blk_count(), 2);
	CHECK(a != NULL && b != NULL);
	if (!a || !b)
		goto out;
	CHECK(blk_disk(0) == a && blk_disk(1) == b);
	for (unsigned i = 0; i < 2; i++) {
		struct blk_disk *d = blk_disk(i);
		printf("disk %s: %lu sectors, bus slot %u, irq %u\n",
		       blk_name(d), (unsigned long)blk_sectors(d),
		       blk_bus_index(d), LGUEST_DEVICE_IRQ(blk_bus_index(d)));
	}
	CHECK(blk_bus_index(a) != blk_bus_index(b));
	uint32_t na = blk_sectors(a), nb = blk_sectors(b);
	CHECK(na > nb && nb >= 1024);
	if (na <= nb || nb < 1024)
		goto out;

	/* Same sectors, different data, one disk after the other. */
	blk_test_round_trip("lgba", a, 0, SECTORS, wa, ra, seed_a);
	blk_test_round_trip("lgbb", b, 0, SECTORS, wb, rb, seed_b);
	/* lgbb's write did not reach lgba. */
	CHECK_EQ(blk_read(a, 0, ra, SECTORS), 0);
	if (blk_test_verify("lgba after lgbb", ra, 0, SECTORS, seed_a) == 0)
		printf("lgba after lgbb: ok\n");

	test_overlapped(a, b, seed_a + 1, seed_b + 1);

	/* lgbb's end is inside lgba. */
	CHECK_EQ(blk_write(b, nb, wb, 1), BLK_ERANGE);
	blk_test_round_trip("lgba at lgbb's end", a, nb, 1, wa, ra, seed_a);
	blk_test_round_trip("lgbb last", b, nb - 1, 1, wb, rb, seed_b);
	blk_test_round_trip("lgba last", a, na - 1, 1, wa, ra, seed_a);
out:
	if (test_failures == 0)
		printf("TEST blk_two_disks PASS\n");
	fflush(stdout);
}
