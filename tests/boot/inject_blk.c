/*
 * tests/boot/inject_blk.c: a guest's disk under a test's block faults
 * (the host's inject=blk-fail, blk-stall, blk-short; docs/host-design.md
 * "Fault injection"): whatever the host does, the guest never takes a
 * failed or short request for good data, retries what may pass on a
 * second try (drivers/blk.h blk_*_retry()), says clearly what failed on
 * every try, and every sector it reads back holds what it wrote there:
 * or, where a write failed, what was there before it or what it tried
 * to write (a failed write may have reached the disk or not; nothing
 * else is possible).
 *
 * Started with one --block disk of at least 2 MiB, fresh (zeros), and
 * mode=fail|stall|short, which says what the host injects and so which
 * of the guest's counters must be non-zero. The .expect files compare
 * the guest's counts with the host's own (@equal).
 *
 * The disk: 64 chunks of 1, 2, 4, ... 128 sectors (512 B to 64 KiB,
 * every request size the driver makes), each written twice (two seeds),
 * then read back and checked.
 */
#include <stdbool.h>

#include "../../kernel/bootparams.h"
#include "blk_test.h"

#define CHUNKS 64
#define MAX_SEEDS 3		/* zeros, the first write, the second */

struct chunk {
	uint32_t sector, count;
	uint32_t seeds[MAX_SEEDS];	/* what its sectors may hold (0: zeros) */
	unsigned nseeds;
};

static struct chunk chunks[CHUNKS];
static uint8_t buf[BLK_MAX_REQUEST] __attribute__((aligned(4096)));
static unsigned retried_eio, retried_short;

static void note_try(void *ctx, const struct blk_try *t)
{
	const char *what = ctx;

	if (t->again) {
		if (t->err == BLK_ESHORT)
			retried_short++;
		else
			retried_eio++;
		printf("inject_blk: %s at sector %lu, %lu sectors: %s; try %u "
		       "of %u\n", what, (unsigned long)t->sector,
		       (unsigned long)t->count, blk_strerror(t->err),
		       t->attempt + 1, BLK_TRIES);
	} else {
		printf("inject_blk: %s at sector %lu, %lu sectors: %s on try "
		       "%u of %u: given up\n", what, (unsigned long)t->sector,
		       (unsigned long)t->count, blk_strerror(t->err),
		       t->attempt, BLK_TRIES);
	}
	fflush(stdout);
}

/* Write every chunk with `seed`; a chunk whose write failed may hold
 * either its old or its new contents from now on. */
static unsigned write_all(struct blk_disk *d, uint32_t seed, unsigned *ok)
{
	unsigned failed = 0;

	for (unsigned i = 0; i < CHUNKS; i++) {
		struct chunk *c = &chunks[i];
		pattern_fill(buf, c->sector, c->count, seed);
		int rc = blk_write_retry(d, c->sector, buf, c->count, note_try,
					 "write");
		if (rc == 0) {
			c->seeds[0] = seed;
			c->nseeds = 1;
			(*ok)++;
			continue;
		}
		failed++;
		printf("inject_blk: write of chunk %u failed (%s): its sectors "
		       "hold the old data or the new\n", i, blk_strerror(rc));
		if (c->nseeds < MAX_SEEDS)
			c->seeds[c->nseeds++] = seed;
	}
	return failed;
}

/* Sector s of the chunk read into p holds one of its candidates. */
static bool sector_ok(const struct chunk *c, const uint8_t *p, uint32_t s)
{
	for (unsigned k = 0; k < c->nseeds; k++) {
		if (c->seeds[k] == 0) {
			bool zero = true;
			for (unsigned j = 0; j < BLK_SECTOR_SIZE; j++)
				zero &= p[j] == 0;
			if (zero)
				return true;
		} else if (pattern_check(p, s, 1, c->seeds[k], NULL) == 0) {
			return true;
		}
	}
	return false;
}

static unsigned read_all(struct blk_disk *d, unsigned *ok, unsigned *checked)
{
	unsigned failed = 0;

	for (unsigned i = 0; i < CHUNKS; i++) {
		const struct chunk *c = &chunks[i];
		memset(buf, 0xEE, c->count * BLK_SECTOR_SIZE);
		int rc = blk_read_retry(d, c->sector, buf, c->count, note_try,
					"read");
		if (rc != 0) {
			failed++;
			printf("inject_blk: read of chunk %u failed (%s): "
			       "nothing taken from it\n", i, blk_strerror(rc));
			continue;
		}
		(*ok)++;
		for (uint32_t k = 0; k < c->count; k++) {
			uint32_t s = c->sector + k;
			(*checked)++;
			if (sector_ok(c, buf + k * BLK_SECTOR_SIZE, s))
				continue;
			printf("FAIL chunk %u: sector %lu holds neither what "
			       "was written nor what was there before\n", i,
			       (unsigned long)s);
			test_failures++;
			break;
		}
	}
	fflush(stdout);
	return failed;
}

void app_main(void)
{
	const char *cmd = bootparams_cmdline();
	struct blk_disk *d = blk_disk(0);
	bool fail = strstr(cmd, "mode=fail") != NULL;
	bool stall = strstr(cmd, "mode=stall") != NULL;
	bool cut = strstr(cmd, "mode=short") != NULL;
	unsigned wok = 0, rok = 0, checked = 0, wfailed = 0, rfailed = 0;
	uint32_t sector = 8;

	printf("TEST inject_blk START\n");
	CHECK(fail + stall + cut == 1);
	CHECK(d != NULL);
	if (!d || blk_sectors(d) < 4096)
		goto out;
	for (unsigned i = 0; i < CHUNKS; i++) {
		chunks[i].sector = sector;
		chunks[i].count = 1u << (i % 8);
		chunks[i].seeds[0] = 0;		/* a fresh disk: zeros */
		chunks[i].nseeds = 1;
		sector += chunks[i].count + 1;	/* a gap: no chunk touches */
	}
	uint32_t seed = blk_test_seed();
	wfailed += write_all(d, seed, &wok);
	wfailed += write_all(d, seed ^ 0x5A5A5A5A, &wok);
	rfailed = read_all(d, &rok, &checked);

	struct blk_stats st;
	blk_get_stats(d, &st);
	printf("inject_blk: writes: %u ok, %u failed on every try; reads: %u "
	       "ok, %u failed on every try\n", wok, wfailed, rok, rfailed);
	printf("inject_blk: requests that failed on every try: %u\n",
	       wfailed + rfailed);
	printf("inject_blk: requests sent again: %u after an I/O error, %u "
	       "after a short read\n", retried_eio, retried_short);
	printf("inject_blk: the driver counted %lu errors, %lu short reads, "
	       "%lu retries\n", (unsigned long)st.errors,
	       (unsigned long)st.short_reads, (unsigned long)st.retries);
	printf("inject_blk: %u sectors read back and checked: each holds what "
	       "was written there, or where a write failed, the old data or "
	       "the new\n", checked);
	fflush(stdout);
	CHECK_EQ(wok + wfailed, 2 * CHUNKS);
	CHECK_EQ(rok + rfailed, CHUNKS);
	CHECK_EQ(st.retries, retried_eio + retried_short);
	CHECK_EQ(st.short_reads, retried_short + (cut ? rfailed : 0));
	if (fail) {
		/* A bad block stays bad: each failure costs every try. */
		CHECK(wfailed + rfailed > 0);
		CHECK_EQ(retried_eio, (BLK_TRIES - 1) * (wfailed + rfailed));
		CHECK_EQ(retried_short, 0);
	} else {
		/* A stall or a short read passes on a second try. */
		CHECK_EQ(wfailed + rfailed, 0);
		CHECK(stall ? retried_eio > 0 && retried_short == 0
			    : retried_short > 0 && retried_eio == 0);
	}
out:
	test_finish("inject_blk");
}
