/*
 * tests/boot/blk_integrity.c: the guest half of scripts/blk_integrity.py,
 * which checks our block path against the image file from outside.
 *
 *   mode=write seed=S sectors=N   write lib/pattern.c's sectors 0..N-1
 *                                 with seed S; the script then checks the
 *                                 image's bytes with its own generator
 *   mode=crc32 sectors=N          read sectors 0..N-1 and print their
 *                                 CRC-32; the script compares it with
 *                                 zlib's over the image it filled
 *
 * Then power off. Any error is a FAIL line and a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../drivers/blk.h"
#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/palloc.h"
#include "../../kernel/power.h"
#include "../../lib/crc32.h"
#include "../../lib/pattern.h"

#define CHUNK_SECTORS 128u /* 64 KiB per request */

/* The value of "name=" on the command line, copied into value[64], or
 * NULL when absent. */
static const char *arg(const char *name, char value[64])
{
	const char *line = bootparams_cmdline();
	size_t n = strlen(name);

	for (const char *p = line; (p = strstr(p, name)); p += n) {
		if ((p != line && p[-1] != ' ') || p[n] != '=')
			continue;
		size_t len = strcspn(p + n + 1, " ");
		if (len >= 64)
			len = 63;
		memcpy(value, p + n + 1, len);
		value[len] = '\0';
		return value;
	}
	return NULL;
}

static void fail(const char *what, int err)
{
	printf("FAIL %s: %s\n", what, blk_strerror(err));
	fflush(stdout);
	abort();
}

void app_main(void)
{
	char mode_buf[64], sectors_buf[64], seed_buf[64];
	const char *mode = arg("mode", mode_buf);
	const char *sectors_arg = arg("sectors", sectors_buf);
	const char *seed_arg = arg("seed", seed_buf);
	uint32_t sectors = sectors_arg ? (uint32_t)strtoul(sectors_arg, NULL, 0) : 0;
	uint32_t seed = seed_arg ? (uint32_t)strtoul(seed_arg, NULL, 0) : 0;
	struct blk_disk *d = blk_disk(0);
	uint8_t *buf = palloc_pages(CHUNK_SECTORS * 512 / 4096);

	printf("TEST blk_integrity START mode=%s sectors=%lu\n", mode ? mode : "?",
	       (unsigned long)sectors);
	if (!d || !buf || !mode || sectors == 0 || sectors > blk_sectors(d)) {
		printf("FAIL blk_integrity: bad arguments or no disk\n");
		fflush(stdout);
		abort();
	}
	uint32_t crc = 0;
	for (uint32_t s = 0; s < sectors; s += CHUNK_SECTORS) {
		uint32_t n = sectors - s < CHUNK_SECTORS ? sectors - s : CHUNK_SECTORS;
		int err;
		if (strcmp(mode, "write") == 0) {
			pattern_fill(buf, s, n, seed);
			if ((err = blk_write(d, s, buf, n)) < 0)
				fail("blk_write", err);
		} else {
			if ((err = blk_read(d, s, buf, n)) < 0)
				fail("blk_read", err);
			crc = crc32_update(crc, buf, n * 512u);
		}
	}
	if (strcmp(mode, "write") == 0)
		printf("WROTE %lu sectors seed=0x%08lx\n", (unsigned long)sectors,
		       (unsigned long)seed);
	else
		printf("CRC32 0x%08lx over %lu sectors\n", (unsigned long)crc,
		       (unsigned long)sectors);
	printf("TEST blk_integrity PASS\n");
	fflush(stdout);
	poweroff();
}
