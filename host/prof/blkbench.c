/*
 * host/prof/blkbench.c: the native block benchmark (host/prof/blkbench.h).
 *
 * Requests are shaped like a guest's as the disk sees them: one virtio
 * descriptor for the buffer, which is contiguous, as a guest's 4 KiB
 * sections of a contiguous buffer become one after host/dev/block.c
 * build_segments(). Only the request is timed (submit to completion);
 * filling and checking the pattern is not. Completions are found the way
 * the guest service finds them (host/dev/block.c): by polling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prof/blkbench.h"
#include "arch/clock.h"
#include "arch/log.h"
#include "arch/palloc.h"
#include "backends/virtio_blk.h"
#include "arch/x86.h"

#define SECTOR 512u
#define MAX_BYTES 65536u
#define REGION_BYTES (32u << 20)	/* writes stay below this */
#define MAX_OPS 1024u
/* A request not finished after this long ends the benchmark; the disk
 * keeps it (and our buffer, which is never freed) and the guests' block
 * devices see a stalled disk until it is done (host/dev/block.c). */
#define STALL_NS 30000000000ull

static uint8_t *buf;			/* MAX_BYTES, physically contiguous */
static uint64_t lat_ns[MAX_OPS];
static uint64_t notify_ns[MAX_OPS];	/* the notify write in each */
static uint32_t seed;
static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;	/* xorshift32 */
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* The pattern word w of sector s: cheap, and different for every sector,
 * word and run. */
static uint32_t pattern(uint32_t s, uint32_t w)
{
	return (s * 0x9E3779B1u) ^ seed ^ (w * 0x85EBCA77u);
}

static void fill(uint32_t sector, uint32_t bytes)
{
	uint32_t *p = (uint32_t *)buf;

	for (uint32_t s = 0; s < bytes / SECTOR; s++)
		for (uint32_t w = 0; w < SECTOR / 4; w++)
			*p++ = pattern(sector + s, w);
}

/* The first sector that does not hold its pattern, or UINT32_MAX. */
static uint32_t verify(uint32_t sector, uint32_t bytes)
{
	const uint32_t *p = (const uint32_t *)buf;

	for (uint32_t s = 0; s < bytes / SECTOR; s++)
		for (uint32_t w = 0; w < SECTOR / 4; w++)
			if (*p++ != pattern(sector + s, w))
				return sector + s;
	return UINT32_MAX;
}

static bool by_irq;
/* Idle time before each request of a case: the disk is idle that long
 * between a guest's requests too (its side of the exit, its interrupt
 * handler, its checks), and QEMU's I/O thread stops polling meanwhile
 * (docs/host-design.md "The exit path and block reads"). */
static unsigned gap_us;

static void pause_us(unsigned us)
{
	uint64_t end = rdtsc() + clock_ns_to_tsc(us * 1000ull);

	while (rdtsc() < end)
		cpu_relax();
}

static bool stalled;	/* the last request outlived STALL_NS */

/* One timed request on buf (*ns; *notify: the notify write in it);
 * false on a device error or a stall. */
static bool timed_io(struct vblk *d, bool is_write, uint32_t sector,
		     uint32_t bytes, uint64_t *ns, uint64_t *notify)
{
	/* One segment, as the guest's request becomes: its 4 KiB sections
	 * of a contiguous buffer are one piece of host memory, and
	 * host/dev/block.c build_segments() gives the disk one descriptor
	 * for it. (Until 2026-12-07 this sent one per 4 KiB, which made
	 * QEMU's side dearer here than for the guest at 8 KiB and up.) */
	struct vblk_seg seg = { (uint32_t)(uintptr_t)buf, bytes };
	uint64_t t0 = rdtsc(), end = t0 + clock_ns_to_tsc(STALL_NS);
	vblk_submit(d, is_write, sector, &seg, 1, NULL, NULL);
	if (by_irq) {
		vblk_spin(d, 0);	/* ask for the interrupt at once */
		while (!vblk_idle(d) && rdtsc() < end) {
			clock_arm(end);	/* wakes us if the disk never does */
			cpu_wait_for_interrupt();
		}
	} else {
		vblk_wait(d, STALL_NS);
	}
	*ns = clock_tsc_to_ns(rdtsc() - t0);
	*notify = clock_tsc_to_ns(d->last_notify);
	stalled = !vblk_idle(d);
	return !stalled && d->last_ok;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* "12.34" from a value in hundredths. */
static const char *fix2(char *out, uint64_t hundredths)
{
	static const char digits[] = "0123456789";
	char tmp[24];
	int n = 0;
	uint64_t whole = hundredths / 100;

	do {
		tmp[n++] = digits[whole % 10];
		whole /= 10;
	} while (whole);
	char *p = out;
	while (n)
		*p++ = tmp[--n];
	*p++ = '.';
	*p++ = digits[hundredths / 10 % 10];
	*p++ = digits[hundredths % 10];
	*p = '\0';
	return out;
}

static void report(const char *name, uint32_t bytes, unsigned ops)
{
	uint64_t total = 0;
	char a[24], b[24], c[24], e[24];

	for (unsigned i = 0; i < ops; i++)
		total += lat_ns[i];
	qsort(lat_ns, ops, sizeof(lat_ns[0]), cmp_u64);
	if (total == 0)
		total = 1;
	uint64_t ops_s100 = (uint64_t)ops * 100000000000ull / total;
	uint64_t mb_s100 = (uint64_t)ops * bytes * 100000ull / total; /* MB=1e6 */
	hlog("NATIVE case=%s size=%lu ops=%u ops_s=%s mb_s=%s p50_us=%s "
	     "p99_us=%s\n", name, (unsigned long)bytes, ops,
	     fix2(a, ops_s100), fix2(b, mb_s100),
	     fix2(c, lat_ns[ops / 2] / 10),
	     fix2(e, lat_ns[(ops * 99) / 100] / 10));
}

/*
 * One case: ops requests of `bytes`, sequential from sector 0 (wrapping in
 * the region) or random and aligned to `bytes`. Writes fill the pattern
 * first; reads check it afterwards. Returns false after an error line.
 */
static bool run_case(struct vblk *d, const char *name, bool is_write,
		     bool random, uint32_t bytes, unsigned ops,
		     uint32_t region_sectors)
{
	uint32_t per = bytes / SECTOR, slots = region_sectors / per;
	uint32_t next = 0;

	for (unsigned i = 0; i < ops; i++) {
		uint32_t sector = (random ? rng() % slots : next++ % slots) * per;
		if (is_write)
			fill(sector, bytes);
		else
			memset(buf, 0, bytes);
		if (gap_us)
			pause_us(gap_us);
		if (!timed_io(d, is_write, sector, bytes, &lat_ns[i],
			      &notify_ns[i])) {
			hlog("NATIVE case=%s error=%s sector=%lu\n", name,
			     stalled ? "stalled (not done in 30 s)" : "io",
			     (unsigned long)sector);
			return false;
		}
		uint32_t bad = is_write ? UINT32_MAX : verify(sector, bytes);
		if (bad != UINT32_MAX) {
			hlog("NATIVE case=%s error=mismatch sector=%lu\n", name,
			     (unsigned long)bad);
			return false;
		}
	}
	report(name, bytes, ops);
	if (!is_write && bytes == 4096) {
		/* Next to the guest's "4 KiB reads: disk p50 (notify p50)"
		 * line (host/dev/block.c); not a NATIVE line. */
		qsort(notify_ns, ops, sizeof(notify_ns[0]), cmp_u64);
		hlog("blkbench: %s: notify p50 %lu us\n", name,
		     (unsigned long)(notify_ns[ops / 2] / 1000));
	}
	return true;
}

void blkbench_run(unsigned disk)
{
	struct vblk *d = vblk_disk(disk);

	if (!d) {
		hlog("NATIVE error=no-disk disk=%u (found %u virtio-blk "
		     "disks)\n", disk, vblk_count());
		return;
	}
	if (d->read_only || d->sectors < MAX_BYTES / SECTOR) {
		hlog("NATIVE error=disk-unusable disk=%u (read-only or under "
		     "64 KiB)\n", disk);
		return;
	}
	buf = palloc_contiguous(MAX_BYTES);
	if (!buf)
		HOST_PANIC("blkbench: out of memory");
	uint64_t region = d->sectors * SECTOR < REGION_BYTES
		? d->sectors * SECTOR : REGION_BYTES;
	uint32_t rs = (uint32_t)(region / MAX_BYTES * MAX_BYTES / SECTOR);
	seed = (uint32_t)rdtsc() | 1;
	rng_state = seed;
	hlog("NATIVE disk=%u sectors=%lu region_bytes=%lu durability=%s "
	     "seed=%#lx\n", disk, (unsigned long)d->sectors,
	     (unsigned long)rs * SECTOR,
	     vblk_durability == VBLK_FLUSH ? "flush"
	     : vblk_durability == VBLK_UNSAFE ? "unsafe" : "writethrough",
	     (unsigned long)seed);

	/* The sequential write covers the region, so every later read
	 * finds this run's pattern. */
	unsigned seq_ops = rs / (MAX_BYTES / SECTOR);
	if (seq_ops > MAX_OPS)
		seq_ops = MAX_OPS;
	rs = seq_ops * (MAX_BYTES / SECTOR);
	bool ok = run_case(d, "seq_write", true, false, MAX_BYTES, seq_ops, rs) &&
		  run_case(d, "seq_read", false, false, MAX_BYTES, seq_ops, rs) &&
		  run_case(d, "rand_write_4k", true, true, 4096, 1000, rs) &&
		  run_case(d, "rand_read_4k", false, true, 4096, 1000, rs);
	if (ok) {
		by_irq = true;
		ok = run_case(d, "rand_read_4k_irq", false, true, 4096, 1000, rs);
		by_irq = false;
	}
	/* Not a case of the guest's benchmark: a NATIVE line that
	 * scripts/blkbench.py's table leaves out, for the docs' analysis. */
	gap_us = 40;
	ok = ok && run_case(d, "rand_read_4k_gap40", false, true, 4096, 200, rs);
	gap_us = 0;
	for (uint32_t size = SECTOR; ok && size <= MAX_BYTES; size *= 2) {
		char wname[32], rname[32];
		unsigned ops = 200;
		snprintf(wname, sizeof(wname), "sweep_write_%lu",
			 (unsigned long)size);
		snprintf(rname, sizeof(rname), "sweep_read_%lu",
			 (unsigned long)size);
		ok = run_case(d, wname, true, false, size, ops, rs) &&
		     run_case(d, rname, false, false, size, ops, rs);
	}
	hlog("NATIVE done%s\n", ok ? "" : " error");
}
