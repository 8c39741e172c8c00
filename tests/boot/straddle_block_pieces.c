/*
 * tests/boot/straddle_block_pieces.c: how many pieces of host memory one
 * block request may make. A block request goes to the disk without a
 * copy, one descriptor per run of host memory (host/dev/block.c), and a
 * section that runs through --sharenet pages is several runs: a guest
 * chooses how many. The host has room for VBLK_MAX_SEGS (64) and must
 * refuse a request that needs more, with result 2 and a line on its log,
 * rather than write past its array.
 *
 * Started with `--sharenet=A --block=X --sharenet=B --block=Y`, so the
 * descriptor page is followed by A's page, X's, B's and Y's: private and
 * shared pages in turn. The guest's pages are one block of host memory
 * and a LAN page is a page of its own, so no two neighbouring pieces can
 * be one run:
 *   - 16 sections, each from the descriptor page's last 512 bytes through
 *     A and X into B's first 512: 4 pieces each, 64 in all, the most the
 *     host takes. Written to X, read back, and compared with what the
 *     sections hold (all 16 are the same memory);
 *   - 13 sections that run on into Y's first 512 bytes: 5 pieces each,
 *     65 in all. The write must fail (result 2) and leave the disk as it
 *     was; the guest goes on.
 * The bytes the sections cover are filled with a pattern first, except
 * the request fields at the start of X's and Y's pages (X's change as
 * the request is made, so they are not compared).
 */
#include "blk_test.h"
#include "straddle_test.h"

#define NSEC_OK 16
#define NSEC_BAD 13
#define LEN_OK (512 + 2 * 4096 + 512)	/* descriptor tail, A, X, B head */
#define LEN_BAD (512 + 3 * 4096 + 512)	/* ... B, Y head */
#define FIELDS 20			/* struct lguest_block_page */
#define SECTOR_OK 1000u
#define SECTOR_BAD 2000u

static uint8_t snap[LEN_BAD];
static uint8_t back[NSEC_OK * LEN_OK] __attribute__((aligned(4096)));
static struct st_window win;

static int raw_write(struct blk_disk *d, uint32_t sector, unsigned n,
		     uint16_t len)
{
	struct blk_request req = {0};

	req.type = LGUEST_BLOCK_TYPE_WRITE;
	req.sector = sector;
	req.nsec = n;
	for (unsigned i = 0; i < n; i++) {
		req.addr[i] = st_gpa(&win, -512);
		req.len[i] = len;
		req.bytes += len;
	}
	int rc = blk_start(d, &req);
	return rc ? rc : blk_finish(d, NULL);
}

/* Is offset i of a section (from the descriptor page's tail) one of the
 * request fields at the start of X's or Y's page? */
static bool in_fields(unsigned i)
{
	return (i >= 512 + 4096 && i < 512 + 4096 + FIELDS) ||
	       (i >= 512 + 3 * 4096 && i < 512 + 3 * 4096 + FIELDS);
}

void app_main(void)
{
	uint32_t mem = bootparams_mem_bytes();
	struct blk_disk *x = blk_disk(0);
	uint32_t a = st_sharenet_page(0), b = st_sharenet_page(1);

	printf("TEST straddle_block_pieces START\n");
	CHECK(x != NULL);
	CHECK_EQ(a, mem + 4096);
	CHECK_EQ(st_device_page(LGUEST_DEVICE_T_BLOCK, 0, 0, 0), mem + 8192);
	CHECK_EQ(b, mem + 12288);
	CHECK_EQ(st_device_page(LGUEST_DEVICE_T_BLOCK, 0, 0, 1), mem + 16384);
	if (!x || a != mem + 4096 || b != mem + 12288)
		goto out;

	st_open(&win, a, 4);
	for (unsigned i = 0; i < LEN_BAD; i++)
		if (!in_fields(i))
			*st_at(&win, (int)i - 512) = (uint8_t)(i * 7 + i / 251);
	x86_barrier();

	/* 64 pieces: taken. */
	int rc = raw_write(x, SECTOR_OK, NSEC_OK, LEN_OK);
	CHECK_EQ(rc, 0);
	st_get(&win, -512, snap, LEN_OK);
	memset(back, 0xEE, sizeof(back));
	CHECK_EQ(blk_read(x, SECTOR_OK, back, sizeof(back) / BLK_SECTOR_SIZE),
		 0);
	unsigned bad = 0;
	for (unsigned k = 0; k < NSEC_OK; k++)
		for (unsigned i = 0; i < LEN_OK; i++)
			if (!in_fields(i) && back[k * LEN_OK + i] != snap[i] &&
			    bad++ == 0)
				printf("FAIL 64 pieces: copy %u byte %u: 0x%02x, "
				       "the section holds 0x%02x\n", k, i,
				       back[k * LEN_OK + i], snap[i]);
	test_failures += bad != 0;
	if (rc == 0 && bad == 0)
		printf("%u sections of 4 pieces (64): written and read back: "
		       "ok\n", NSEC_OK);

	/* 65 pieces: refused, nothing written. */
	rc = raw_write(x, SECTOR_BAD, NSEC_BAD, LEN_BAD);
	printf("%u sections of 5 pieces (65): %s\n", NSEC_BAD,
	       blk_strerror(rc));
	CHECK_EQ(rc, BLK_EIO);
	memset(back, 0xEE, sizeof(back));
	CHECK_EQ(blk_read(x, SECTOR_BAD, back, sizeof(back) / BLK_SECTOR_SIZE),
		 0);
	for (unsigned i = 0; i < sizeof(back); i++)
		if (back[i] != 0) {
			CHECK_EQ(back[i], 0);
			break;
		}
	st_restore(&win);

	/* Still a working disk. */
	blk_test_round_trip("after", x, 8, 2, back, back + 1024,
			    blk_test_seed());
out:
	test_finish("straddle_block_pieces");
}
