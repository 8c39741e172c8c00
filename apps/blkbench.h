/*
 * apps/blkbench.h: the built-in block benchmark (`bench` on the command
 * line or at the prompt). It writes: only on the disk it measures, only
 * in a region at the start of it, and that region's contents are lost.
 */
#ifndef LGREF_APPS_BLKBENCH_H
#define LGREF_APPS_BLKBENCH_H

#include "../drivers/blk.h"

/* How much work each case does (region size, time and op budgets). */
enum blkbench_amount {
	BLKBENCH_QUICK,  /* 4 MiB region, about 0.25 s per case */
	BLKBENCH_NORMAL, /* 16 MiB region, about 1 s per case */
	BLKBENCH_FULL,   /* 64 MiB region, about 3 s per case */
};

/* How much a run prints. */
enum blkbench_report {
	BLKBENCH_REPORT_FULL,    /* progress, BENCH lines and the table */
	BLKBENCH_REPORT_SUMMARY, /* one line (the boot-time default) */
};

/*
 * Run every case on d: sequential 64 KiB writes then reads over the
 * region, random 4 KiB writes then reads, and a request-size sweep from
 * 512 bytes to 64 KiB. Every read is checked against what was written.
 *
 * BLKBENCH_REPORT_FULL prints a header line, a progress line as each case
 * starts, one
 *   BENCH case=<name> size=<bytes> ops_s=<n> mb_s=<n.nn> p50_us=<n> p99_us=<n>
 * line as each ends, a table, and "bench: <disk>: <n> cases, every read
 * verified". BLKBENCH_REPORT_SUMMARY prints one line instead: its start
 * when the run begins and the rest, with the main figures, when it ends:
 *   bench: <disk>, amount <a> (first <n> KiB overwritten): <n> cases,
 *   every read verified; seq_read <n> MB/s, ... (`bench ...` at the
 *   prompt prints the full report)
 * A request that fails with an I/O error or comes back short is sent
 * again, up to BLK_TRIES tries (drivers/blk.h blk_*_retry()); the full
 * report says so as it happens,
 *   BENCH RETRY disk=<d> case=<name> sector=<s> count=<n> <read|write>:
 *   <error>; try <t> of 3           (all on one line)
 * and both reports end their last line with how many were sent again.
 * Either way, a request that failed on every try, or a mismatch, prints
 * a "BENCH ERROR ..." line (on a line of its own) and ends the run,
 * which then says "bench: <disk>: stopped by an error after <i> of <n>
 * cases". A read is checked only when it succeeded: a failed or short
 * one is never taken for data.
 * Returns 0 if every case completed with all data verified, else -1.
 */
int blkbench_run(struct blk_disk *d, enum blkbench_amount amount,
		 enum blkbench_report report);

/*
 * `bench` with its options, as typed at the prompt (space separated) or
 * given on the command line as bench=<opts> (comma separated): a disk name
 * (default: the first disk) and/or an amount: quick, normal (default) or
 * full. Prints a message and returns -1 for an unknown word or when there
 * is no disk; else what blkbench_run() returned.
 *
 * With "for S" among them (apps/progress.h): whole runs, one after the
 * other, until S seconds are over, every read still checked, printing
 * only (`report` is not used)
 *   BENCHLOOP[<id>] <disk> start: amount <a>, runs for <S> s, ...
 *   BENCHLOOP[<id>] <disk> t=<s> passes=<n> ops=<n> verified=<n>
 * every 5 s (passes: runs completed; ops: requests; verified: reads
 * checked), and at the end
 *   BENCHLOOP[<id>] <disk> done t=<s> passes=<n> ops=<n> verified=<n> errors=0
 * or, after the BENCH ERROR line of a failed request or a mismatch,
 * "... stopped by an error t=... errors=1" (and -1).
 */
int blkbench_command(const char *opts, enum blkbench_report report);

#endif
