/*
 * apps/blkbench.c: a block benchmark inside the guest, so that what the
 * guest sees of its disks can be set next to what the host's native
 * baseline measures (it prints NATIVE lines with the same case names).
 *
 * Each operation is one request through the block API (drivers/blk.h)
 * from a page-aligned 64 KiB buffer, so a request of n bytes is exactly
 * one lguest request. Only the request is timed, by the TSC when the host
 * gave its frequency, else by clock_now_ns(); filling the buffer before a
 * write and checking it after a read are not. Rates are counted over the
 * timed part only; MB are 10^6 bytes.
 *
 * Every sector written holds lib/pattern.c's pattern for its own number
 * under a seed that is new for each write case of each run, and a map
 * says which case wrote each sector last: so every read is checked, and
 * a write that never landed shows up as stale data. The arithmetic is
 * lib/stats.c's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/clock.h"
#include "../kernel/palloc.h"
#include "../kernel/x86.h"
#include "../lib/pattern.h"
#include "../lib/stats.h"
#include "blkbench.h"
#include "progress.h"

#define BENCH_BUF_BYTES BLK_MAX_REQUEST /* the largest request */
#define BENCH_MIN_SIZE BLK_SECTOR_SIZE  /* the sweep: 512 B ... */
#define BENCH_MAX_SIZE BLK_MAX_REQUEST  /* ... to 64 KiB */
#define BENCH_SEQ_SIZE BLK_MAX_REQUEST
#define BENCH_RAND_SIZE 4096
#define BENCH_MAX_CASES 24

struct bench_amount {
	const char *name;
	uint32_t region_bytes; /* at most this much of the disk is used */
	uint32_t case_ms;      /* time budget of a random or sweep case */
	uint32_t rand_ops;     /* op budget of a random case */
	uint32_t sweep_ops;    /* op budget of one sweep size */
};

static const struct bench_amount bench_amounts[] = {
	[BLKBENCH_QUICK] = {"quick", 4u << 20, 250, 256, 64},
	[BLKBENCH_NORMAL] = {"normal", 16u << 20, 1000, 2048, 512},
	[BLKBENCH_FULL] = {"full", 64u << 20, 3000, 16384, 4096},
};

struct bench_result {
	char name[24];
	uint32_t size;
	uint32_t ops;
	uint64_t ops_s;
	uint64_t mb_s_x100;
	uint32_t p50_us, p99_us;
};

/* `bench ... for S`: passes until S seconds are over (apps/progress.h),
 * and what they did. */
struct bench_loop {
	struct progress clock;
	uint32_t passes;	/* completed */
	uint64_t ops;		/* requests, all passes */
	uint64_t verified;	/* reads checked, all passes */
};

struct bench {
	struct blk_disk *disk;
	struct bench_loop *loop; /* NULL: one run, with its report */
	const struct bench_amount *amount;
	uint32_t region_sectors;
	uint8_t *gen;          /* per sector: which write case wrote it last
				* (0: none yet in this run) */
	uint8_t generation;    /* of the latest write case */
	uint32_t seed_base;
	uint32_t rng;
	uint8_t *buf;          /* BENCH_BUF_BYTES, page-aligned */
	uint32_t *samples;     /* latencies of the current case, ns */
	uint32_t max_samples;
	uint32_t khz;          /* TSC kHz, or 0: clock_now_ns() */
	unsigned ncases, case_no;
	struct bench_result results[BENCH_MAX_CASES];
	unsigned nresults;
	bool summary;          /* BLKBENCH_REPORT_SUMMARY */
	bool line_open;        /* the summary line is started, not ended */
	const char *case_name; /* of the case running, for retry lines */
	bool case_write;
	uint32_t retried_eio;  /* requests sent again after result 2 */
	uint32_t retried_short; /* ... after a short read */
};

/* The seed of the sectors write case `gen` wrote. */
static uint32_t bench_seed(const struct bench *b, uint8_t gen)
{
	return b->seed_base + gen * 0x9E3779B9u;
}

static uint64_t bench_ticks(const struct bench *b)
{
	return b->khz ? x86_rdtsc() : clock_now_ns();
}

static uint64_t bench_ns(const struct bench *b, uint64_t ticks)
{
	return b->khz ? stats_ticks_to_ns(ticks, b->khz) : ticks;
}

/* "%lu.%02lu" of a value times 100, into out. */
static void bench_fixed2(char *out, size_t size, uint64_t x100)
{
	snprintf(out, size, "%lu.%02lu", (unsigned long)(x100 / 100),
		 (unsigned long)(x100 % 100));
}

/* Before an ERROR line: end the summary line, if one is started, so
 * the error stands on a line of its own. */
static void bench_end_line(struct bench *b)
{
	if (b->line_open)
		putchar('\n');
	b->line_open = false;
}

/* Check the sectors a read brought into b->buf; print the first
 * mismatch as an ERROR line. */
static int bench_verify(struct bench *b, const char *name, uint32_t sector,
			uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		uint8_t gen = b->gen[sector + i];
		struct pattern_mismatch m;
		if (gen == 0)
			continue; /* not written in this run: no pattern */
		if (pattern_check(b->buf + i * BLK_SECTOR_SIZE, sector + i, 1,
				  bench_seed(b, gen), &m) == 0)
			continue;
		bench_end_line(b);
		printf("BENCH ERROR disk=%s case=%s sector=%lu offset=%lu "
		       "expected=0x%08lx got=0x%08lx%s\n",
		       blk_name(b->disk), name, (unsigned long)m.sector,
		       (unsigned long)m.offset, (unsigned long)m.expected,
		       (unsigned long)m.actual,
		       m.offset == 0 ? " (data of another sector)" :
		       m.offset == 4 ? " (stale data: another seed)" : "");
		return -1;
	}
	return 0;
}

/* Print the case's BENCH line and keep it for the table. */
static void bench_report(struct bench *b, const char *name, uint32_t size,
			 uint32_t ops, uint64_t total_ns)
{
	struct bench_result *r = &b->results[b->nresults++];
	char mb[24];

	snprintf(r->name, sizeof(r->name), "%s", name);
	r->size = size;
	r->ops = ops;
	r->ops_s = stats_per_second(ops, total_ns);
	r->mb_s_x100 = stats_mb_s_x100((uint64_t)ops * size, total_ns);
	stats_sort(b->samples, ops);
	r->p50_us = (stats_percentile(b->samples, ops, 50) + 500) / 1000;
	r->p99_us = (stats_percentile(b->samples, ops, 99) + 500) / 1000;
	if (b->summary)
		return;
	bench_fixed2(mb, sizeof(mb), r->mb_s_x100);
	printf("BENCH case=%s size=%lu ops_s=%lu mb_s=%s p50_us=%lu "
	       "p99_us=%lu\n", r->name, (unsigned long)size,
	       (unsigned long)r->ops_s, mb, (unsigned long)r->p50_us,
	       (unsigned long)r->p99_us);
	fflush(stdout);
}

/* A request of the running case failed (drivers/blk.h blk_*_retry()):
 * count it, and in the full report say so, on a line of its own. The
 * last failed try is the caller's BENCH ERROR. */
static void bench_note_try(void *ctx, const struct blk_try *t)
{
	struct bench *b = ctx;

	if (!t->again)
		return;
	if (t->err == BLK_ESHORT)
		b->retried_short++;
	else
		b->retried_eio++;
	if (b->summary)
		return;
	printf("BENCH RETRY disk=%s case=%s sector=%lu count=%lu %s: %s; "
	       "try %u of %u\n", blk_name(b->disk), b->case_name,
	       (unsigned long)t->sector, (unsigned long)t->count,
	       b->case_write ? "write" : "read", blk_strerror(t->err),
	       t->attempt + 1, BLK_TRIES);
	fflush(stdout);
}

/* In a loop: count the request, and say how far we are when a progress
 * line is due. */
static void bench_loop_op(struct bench *b, bool write)
{
	struct bench_loop *l = b->loop;
	char ops[24], verified[24];

	l->ops++;
	l->verified += !write;
	if (progress_due(&l->clock))
		progress_line("BENCHLOOP", "%s t=%lu passes=%lu ops=%s "
			      "verified=%s", blk_name(b->disk),
			      (unsigned long)progress_elapsed_s(&l->clock),
			      (unsigned long)l->passes,
			      progress_u64(l->ops, ops),
			      progress_u64(l->verified, verified));
}

/*G:400 One benchmark case: `size`-byte requests, all reads or all writes,
 * at consecutive positions from the start of the region (wrapping) or at
 * random ones aligned to their size. A write fills the buffer first, a
 * read is checked after; neither is inside the timed part. A timed case
 * also stops when its time budget is spent. Any failure ends the case
 * with an ERROR line, never with a figure. :*/
static int bench_case(struct bench *b, const char *name, bool write,
		      uint32_t size, bool random, uint32_t max_ops, bool timed)
{
	uint32_t count = size / BLK_SECTOR_SIZE;
	uint32_t slots = b->region_sectors / count;
	uint64_t budget_ns = (uint64_t)b->amount->case_ms * 1000000u;
	uint64_t total_ns = 0;
	uint32_t ops = 0;

	if (max_ops > b->max_samples)
		max_ops = b->max_samples;
	++b->case_no;
	if (!b->summary) {
		printf("bench: %s [%u/%u] %s: %lu-byte %s, %s, up to %lu ops%s\n",
		       blk_name(b->disk), b->case_no, b->ncases, name,
		       (unsigned long)size, write ? "writes" : "reads",
		       random ? "random" : "sequential",
		       (unsigned long)max_ops,
		       timed ? " or the time budget" : "");
		fflush(stdout);
	}
	if (write)
		b->generation++;
	b->case_name = name;
	b->case_write = write;
	uint32_t seed = bench_seed(b, b->generation);
	uint64_t started = clock_now_ns();

	while (ops < max_ops) {
		uint32_t slot = random ? pattern_rand(&b->rng) % slots
				       : ops % slots;
		uint32_t sector = slot * count;
		if (write)
			pattern_fill(b->buf, sector, count, seed);
		uint64_t t0 = bench_ticks(b);
		int rc = write ? blk_write_retry(b->disk, sector, b->buf,
						 count, bench_note_try, b)
			       : blk_read_retry(b->disk, sector, b->buf, count,
						bench_note_try, b);
		uint64_t ns = bench_ns(b, bench_ticks(b) - t0);
		if (rc != 0) {
			bool tried = rc == BLK_EIO || rc == BLK_ESHORT;
			bench_end_line(b);
			printf("BENCH ERROR disk=%s case=%s sector=%lu "
			       "count=%lu %s: %s%s\n", blk_name(b->disk), name,
			       (unsigned long)sector, (unsigned long)count,
			       write ? "write" : "read", blk_strerror(rc),
			       tried ? ", on every try" : "");
			return -1;
		}
		if (write)
			memset(b->gen + sector, b->generation, count);
		else if (bench_verify(b, name, sector, count) != 0)
			return -1;
		b->samples[ops++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
		total_ns += ns;
		if (b->loop)
			bench_loop_op(b, write);
		if (timed && clock_now_ns() - started >= budget_ns)
			break;
	}
	bench_report(b, name, size, ops, total_ns);
	return 0;
}
/*:*/

/* The cases in order: writes before the reads that check them. */
static int bench_all(struct bench *b)
{
	const struct bench_amount *a = b->amount;
	uint32_t seq_ops = b->region_sectors * BLK_SECTOR_SIZE / BENCH_SEQ_SIZE;
	char name[24];

	/* One full pass each: after it every sector has a known pattern. */
	if (bench_case(b, "seq_write", true, BENCH_SEQ_SIZE, false, seq_ops,
		       false) ||
	    bench_case(b, "seq_read", false, BENCH_SEQ_SIZE, false, seq_ops,
		       false) ||
	    bench_case(b, "rand_write_4k", true, BENCH_RAND_SIZE, true,
		       a->rand_ops, true) ||
	    bench_case(b, "rand_read_4k", false, BENCH_RAND_SIZE, true,
		       a->rand_ops, true))
		return -1;
	for (uint32_t size = BENCH_MIN_SIZE; size <= BENCH_MAX_SIZE;
	     size *= 2) {
		snprintf(name, sizeof(name), "sweep_write_%lu",
			 (unsigned long)size);
		if (bench_case(b, name, true, size, false, a->sweep_ops, true))
			return -1;
		snprintf(name, sizeof(name), "sweep_read_%lu",
			 (unsigned long)size);
		if (bench_case(b, name, false, size, false, a->sweep_ops, true))
			return -1;
	}
	return 0;
}

static void bench_table(const struct bench *b)
{
	char mb[24];

	printf("bench: %s results (%lu KiB region, amount %s, clock %s)\n",
	       blk_name(b->disk),
	       (unsigned long)(b->region_sectors / 2), b->amount->name,
	       b->khz ? "TSC" : "host time, coarse");
	printf("  %-18s %6s %6s %8s %9s %8s %8s\n", "case", "size", "ops",
	       "ops/s", "MB/s", "p50 us", "p99 us");
	for (unsigned i = 0; i < b->nresults; i++) {
		const struct bench_result *r = &b->results[i];
		bench_fixed2(mb, sizeof(mb), r->mb_s_x100);
		printf("  %-18s %6lu %6lu %8lu %9s %8lu %8lu\n", r->name,
		       (unsigned long)r->size, (unsigned long)r->ops,
		       (unsigned long)r->ops_s, mb, (unsigned long)r->p50_us,
		       (unsigned long)r->p99_us);
	}
}

static const struct bench_result *bench_find(const struct bench *b,
					     const char *name)
{
	for (unsigned i = 0; i < b->nresults; i++)
		if (strcmp(b->results[i].name, name) == 0)
			return &b->results[i];
	return NULL;
}

/* The end of the summary line: the headline figures of a complete run
 * (the sequential rates and the random 4 KiB ones, the figures the README
 * compares), and how to get the rest. */
static void bench_summary_end(const struct bench *b)
{
	static const struct {
		const char *name;
		bool mb; /* MB/s, else ops/s */
	} shown[] = {
		{"seq_read", true},
		{"seq_write", true},
		{"rand_read_4k", false},
		{"rand_write_4k", false},
	};
	const char *sep = "; ";

	printf("%u cases, every read verified", b->nresults);
	if (b->retried_eio + b->retried_short)
		printf(" (%lu requests sent again: %lu after an I/O error, "
		       "%lu after a short read)",
		       (unsigned long)(b->retried_eio + b->retried_short),
		       (unsigned long)b->retried_eio,
		       (unsigned long)b->retried_short);
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		const struct bench_result *r = bench_find(b, shown[i].name);
		if (!r)
			continue;
		if (shown[i].mb)
			printf("%s%s %lu MB/s", sep, r->name,
			       (unsigned long)(r->mb_s_x100 / 100));
		else
			printf("%s%s %lu ops/s", sep, r->name,
			       (unsigned long)r->ops_s);
		sep = ", ";
	}
	printf(" (`bench%s%s %s` at the prompt prints the full report)\n",
	       b->disk == blk_disk(0) ? "" : " ",
	       b->disk == blk_disk(0) ? "" : blk_name(b->disk),
	       b->amount->name);
}

/* One run; in a loop (l not NULL) it prints nothing but errors. */
static int bench_run(struct blk_disk *d, enum blkbench_amount amount,
		     enum blkbench_report report, struct bench_loop *l)
{
	struct bench b;
	uint32_t sec, nsec;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	b.loop = l;
	b.summary = report == BLKBENCH_REPORT_SUMMARY || l;
	b.disk = d;
	b.amount = &bench_amounts[amount];
	b.khz = clock_tsc_khz();
	/* The region: whole 64 KiB requests, from sector 0. */
	uint32_t region = blk_sectors(d);
	if (region > b.amount->region_bytes / BLK_SECTOR_SIZE)
		region = b.amount->region_bytes / BLK_SECTOR_SIZE;
	region -= region % (BENCH_SEQ_SIZE / BLK_SECTOR_SIZE);
	b.region_sectors = region;
	if (region == 0) {
		printf("bench: %s is too small (at least %u KiB)\n",
		       blk_name(d), BENCH_SEQ_SIZE / 1024);
		return -1;
	}
	b.max_samples = b.amount->rand_ops;
	if (b.max_samples < b.amount->sweep_ops)
		b.max_samples = b.amount->sweep_ops;
	if (b.max_samples < region / (BENCH_SEQ_SIZE / BLK_SECTOR_SIZE))
		b.max_samples = region / (BENCH_SEQ_SIZE / BLK_SECTOR_SIZE);
	b.ncases = 4 + 2 * 8; /* seq, rand, and 8 sweep sizes x 2 */
	_Static_assert(BENCH_MAX_SIZE / BENCH_MIN_SIZE == 1u << 7,
		       "8 sweep sizes");

	b.buf = palloc_pages(BENCH_BUF_BYTES / PAGE_SIZE);
	b.gen = calloc(region, 1);
	b.samples = malloc(b.max_samples * sizeof(*b.samples));
	if (!b.buf || !b.gen || !b.samples) {
		printf("bench: out of memory\n");
		goto out;
	}
	clock_wall(&sec, &nsec);
	b.seed_base = (uint32_t)x86_rdtsc() ^ sec * 2654435761u ^ nsec;
	b.rng = pattern_seed_state(sec, b.seed_base);

	if (l) {
		/* The loop speaks for the run. */
	} else if (b.summary) {
		/* Half a line now, so a human sees what the wait is for. */
		printf("bench: %s, amount %s (first %lu KiB overwritten): ",
		       blk_name(d), b.amount->name, (unsigned long)(region / 2));
		b.line_open = true;
	} else {
		printf("bench: %s: %lu sectors, using the first %lu KiB (its "
		       "data is overwritten), amount %s, seed 0x%08lx\n",
		       blk_name(d), (unsigned long)blk_sectors(d),
		       (unsigned long)(region / 2), b.amount->name,
		       (unsigned long)b.seed_base);
	}
	fflush(stdout);
	rc = bench_all(&b);
	if (l)
		goto out;
	if (!b.summary)
		bench_table(&b);
	if (rc == 0 && b.summary)
		bench_summary_end(&b);
	else if (rc == 0 && b.retried_eio + b.retried_short)
		printf("bench: %s: %u cases, every read verified; %lu requests "
		       "sent again (%lu after an I/O error, %lu after a short "
		       "read)\n", blk_name(d), b.nresults,
		       (unsigned long)(b.retried_eio + b.retried_short),
		       (unsigned long)b.retried_eio,
		       (unsigned long)b.retried_short);
	else if (rc == 0)
		printf("bench: %s: %u cases, every read verified\n",
		       blk_name(d), b.nresults);
	else
		printf("bench: %s: stopped by an error after %u of %u cases\n",
		       blk_name(d), b.nresults, b.ncases);
out:
	fflush(stdout);
	free(b.samples);
	free(b.gen);
	if (b.buf)
		for (uint32_t i = 0; i < BENCH_BUF_BYTES / PAGE_SIZE; i++)
			palloc_free_page(b.buf + i * PAGE_SIZE);
	return rc;
}

int blkbench_run(struct blk_disk *d, enum blkbench_amount amount,
		 enum blkbench_report report)
{
	return bench_run(d, amount, report, NULL);
}

/* `bench ... for S`: whole runs until S seconds are over. */
static int bench_loop(struct blk_disk *d, enum blkbench_amount amount,
		      uint32_t seconds)
{
	struct bench_loop l;
	char ops[24], verified[24];
	int rc = 0;

	memset(&l, 0, sizeof(l));
	progress_start(&l.clock, seconds);
	progress_line("BENCHLOOP", "%s start: amount %s, runs for %lu s, every "
		      "read verified", blk_name(d), bench_amounts[amount].name,
		      (unsigned long)seconds);
	while (!progress_over(&l.clock)) {
		rc = bench_run(d, amount, BLKBENCH_REPORT_SUMMARY, &l);
		if (rc)
			break;
		l.passes++;
	}
	progress_line("BENCHLOOP", "%s %s t=%lu passes=%lu ops=%s verified=%s "
		      "errors=%u", blk_name(d), rc ? "stopped by an error" :
		      "done", (unsigned long)progress_elapsed_s(&l.clock),
		      (unsigned long)l.passes, progress_u64(l.ops, ops),
		      progress_u64(l.verified, verified), rc ? 1u : 0u);
	return rc;
}

int blkbench_command(const char *args, enum blkbench_report report)
{
	enum blkbench_amount amount = BLKBENCH_NORMAL;
	struct blk_disk *d = blk_disk(0);
	char word[16], rest[128];
	const char *opts = rest;
	uint32_t seconds = 0;
	int loop = progress_take_for("bench", args, rest, sizeof(rest),
				     &seconds);

	if (loop < 0)
		return -1;

	while (*opts) {
		size_t n = strcspn(opts, " ,");
		if (n == 0) {
			opts++;
			continue;
		}
		snprintf(word, sizeof(word), "%.*s", (int)n, opts);
		opts += n;
		if (strcmp(word, "quick") == 0)
			amount = BLKBENCH_QUICK;
		else if (strcmp(word, "normal") == 0)
			amount = BLKBENCH_NORMAL;
		else if (strcmp(word, "full") == 0)
			amount = BLKBENCH_FULL;
		else if (n < sizeof(word) && blk_find(word))
			d = blk_find(word);
		else {
			printf("bench: unknown option or disk '%s' (try: bench "
			       "[lgba|lgbb|...] [quick|normal|full] [for "
			       "SECONDS])\n", word);
			return -1;
		}
	}
	if (!d) {
		printf("bench: no block device (start the guest with "
		       "--block=<file>)\n");
		return -1;
	}
	if (loop)
		return bench_loop(d, amount, seconds);
	return blkbench_run(d, amount, report);
}
