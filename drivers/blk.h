/*
 * drivers/blk.h: lguest block devices (spec §8.2), the guest's disks.
 *
 * Each type-3 device on the bus becomes a disk named lgba, lgbb, ... in
 * probe order. The API moves whole 512-byte sectors between a disk and a
 * buffer anywhere in the kernel's linear map (image, stack, heap, pages
 * from palloc), and sleeps until the transfer is done; the driver cuts it
 * into requests of at most 16 page-respecting sections (64 KiB). One
 * request is in flight per disk; disks are independent.
 *
 * Below that sits the raw request interface (blk_start, blk_finish),
 * which sends what it is given. Tests use it to build requests the
 * checked API refuses, to see the launcher's answer.
 */
#ifndef LGREF_DRIVERS_BLK_H
#define LGREF_DRIVERS_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lguest/launcher.h>

#include "bus.h"

#define BLK_SECTOR_SIZE LGUEST_BLOCK_SECTOR_SIZE  /* 512 */
#define BLK_MAX_REQUEST LGUEST_BLOCK_MAX_BYTES    /* 64 KiB */
#define BLK_MAX_DISKS LGUEST_MAX_DEVICES

/* Errors: every call below returns 0 or one of these (negative). */
#define BLK_EINVAL (-1)  /* bad arguments: no sectors, buffer not in the
			  * linear map, too many sections */
#define BLK_ERANGE (-2)  /* sectors past the end of the disk */
#define BLK_EIO (-3)     /* the launcher answered result 2 (error) */
#define BLK_ETIMEDOUT (-4) /* no answer in BLK_TIMEOUT_MS: the disk is
			    * taken out of service (BLK_EDEAD from then on) */
#define BLK_EDEAD (-5)   /* the disk is out of service */
#define BLK_EBUSY (-6)   /* a request is already in flight on this disk */
#define BLK_ESHORT (-7)  /* a read answered result 1 that moved fewer
			  * bytes than asked (used_len < bytes): taken as
			  * failed, never as data */

/* How long a request may take before the disk is given up. */
#define BLK_TIMEOUT_MS 30000

struct blk_disk; /* one per block device; lives as long as the kernel */

/* "invalid argument", "I/O error", ... for an error above. */
const char *blk_strerror(int err);

/* Bus probe for a type-3 device (drivers/bus.c): map its page, bind the
 * reply buffer with the device's IRQ. Returns 0, or -1 (device FAILED). */
int blk_probe(const struct bus_device *dev);

/* A one-line description of the disk at bus slot `index` for the device
 * list ("lgba 131072 sectors (64 MiB)"), or "" if there is none. */
void blk_describe(unsigned index, char *out, size_t size);

/* Disks found, and the i-th (0-based, probe order); NULL past the end. */
unsigned blk_count(void);
struct blk_disk *blk_disk(unsigned i);

/* The disk called `name` ("lgba"), or NULL. */
struct blk_disk *blk_find(const char *name);

const char *blk_name(const struct blk_disk *d);
uint32_t blk_sectors(const struct blk_disk *d); /* size, 512-byte sectors */
unsigned blk_bus_index(const struct blk_disk *d);

/*
 * Read `count` sectors from `sector` on into buf, or write them from buf.
 * buf may be anywhere in the linear map, at any alignment. Sleeps (idle,
 * interrupts off + HALT) until every request has completed. Returns 0, or
 * an error: BLK_EINVAL, BLK_ERANGE (checked before anything is sent),
 * BLK_EIO, BLK_ETIMEDOUT, BLK_EDEAD, BLK_EBUSY. After an error some of
 * the sectors may have been moved.
 */
int blk_read(struct blk_disk *d, uint32_t sector, void *buf, uint32_t count);
int blk_write(struct blk_disk *d, uint32_t sector, const void *buf,
	      uint32_t count);

/*
 * The same, sending a request that failed in a way a retry may cure
 * again, up to BLK_TRIES tries in all, after a pause of
 * BLK_RETRY_PAUSE_MS (doubled before each further try). Curable: BLK_EIO
 * (result 2: a disk that stalled past the host's deadline answers so, and
 * is soon back) and BLK_ESHORT (a short read). Anything else ends the
 * transfer at once. A failure that lasts (a bad block) costs three tries
 * and then is the caller's error. Each failed try is told to note(ctx,
 * ...) (may be NULL), whether another follows or not; requests are the
 * driver's, up to 64 KiB each, so a long transfer may be retried in
 * several places. Returns 0 or the last error. After an error, sectors
 * before the failed request were moved; the failed one's buffer holds
 * undefined bytes.
 */
#define BLK_TRIES 3
#define BLK_RETRY_PAUSE_MS 20
struct blk_try {
	uint32_t sector, count; /* the request that failed */
	int err;                /* BLK_EIO or BLK_ESHORT (or final other) */
	unsigned attempt;       /* 1..BLK_TRIES */
	bool again;             /* another try follows */
};
typedef void (*blk_try_fn)(void *ctx, const struct blk_try *t);
int blk_read_retry(struct blk_disk *d, uint32_t sector, void *buf,
		   uint32_t count, blk_try_fn note, void *ctx);
int blk_write_retry(struct blk_disk *d, uint32_t sector, const void *buf,
		    uint32_t count, blk_try_fn note, void *ctx);

/* Counters since boot, for the device list and the benchmark. */
struct blk_stats {
	uint32_t reads, writes;    /* requests completed without error */
	uint32_t errors;           /* requests answered with an error */
	uint32_t short_reads;      /* reads answered short (BLK_ESHORT) */
	uint32_t retries;          /* requests sent again (blk_*_retry()) */
	uint32_t spurious;         /* IRQs that completed nothing */
	uint32_t at_send;          /* answers found when SEND_DMA returned */
	uint32_t by_irq;           /* answers that came with the IRQ */
	uint64_t read_bytes, written_bytes;
};
void blk_get_stats(const struct blk_disk *d, struct blk_stats *st);

/*
 * The raw request: exactly what goes into the device page and the DMA
 * descriptors. Sections are guest-physical; nsec <= 16. No check is made
 * against the disk size, against `bytes` or the sections' sum, or against
 * page crossings: that is the launcher's business.
 */
struct blk_request {
	int32_t type;                            /* LGUEST_BLOCK_TYPE_* */
	uint32_t sector;
	uint32_t bytes;
	unsigned nsec;
	uint32_t addr[LGUEST_MAX_DMA_SECTIONS];
	uint16_t len[LGUEST_MAX_DMA_SECTIONS];
};

/*
 * Send a request (SEND_DMA to the device page's key). A read's sections go
 * into the bound reply buffer, and an empty descriptor is sent; a write's
 * sections are sent. Returns 0, BLK_EINVAL (nsec > 16), BLK_EBUSY or
 * BLK_EDEAD. Then call blk_finish() before the next request on this disk.
 */
int blk_start(struct blk_disk *d, const struct blk_request *req);

/*
 * Sleep until the request started on d completes. Returns 0 if the
 * launcher answered result 1 (for a read: with used_len = bytes; a
 * shorter one is BLK_ESHORT), BLK_EIO for result 2 (or any other non-zero
 * value), BLK_ETIMEDOUT, or BLK_EINVAL if nothing was started.
 * *used_len (if not NULL) gets the reply buffer's used_len: bytes read.
 */
int blk_finish(struct blk_disk *d, uint32_t *used_len);

#endif
