/*
 * tests/boot/blk_reply_edge.c: a block read whose reply buffer's
 * lguest_dma runs past the end of guest memory. Its used_len (the first
 * word) is inside, the rest is not: the host claims the buffer by its
 * used_len, as GETDMA does, cannot copy the whole, says so on its log and
 * answers result 2; it must neither kill the guest (the used_len was
 * readable) nor act as if there were no buffer. The block device copies
 * the reply with the claim in one read (host/core/dma.c
 * dma_claim_buffer()), and falls back to the used_len alone when that
 * read fails: this test is what shows the fall-back keeps the old
 * behaviour. Then a normal read through a normal binding still works.
 *
 * The block device's page is the last page of guest memory when it is
 * the only device with a page (docs/abi.md §9.1 pfnlimit): the entry is
 * put 64 bytes before its end, after the 20 bytes of the request.
 */
#include "blk_test.h"
#include "straddle_test.h"

#define EDGE_OFF (4096 - 64)	/* the entry's offset in the device page */

static uint8_t buf[BLK_SECTOR_SIZE] __attribute__((aligned(512)));
static volatile struct lguest_dma normal __attribute__((aligned(128)));
static struct lguest_dma ping __attribute__((aligned(128)));
static volatile unsigned disk_irqs;

static void on_disk(unsigned irq)
{
	(void)irq;
	disk_irqs++;
}

static uint32_t bind(uint32_t key, uint32_t array, unsigned irq)
{
	return hcall(LHCALL_BIND_DMA, key, array,
		     (1u << LHCALL_BIND_DMA_COUNT_SHIFT) | irq);
}

/* Read `sector` by hand and wait for its result. */
static uint32_t read_sector(volatile struct lguest_block_page *page,
			    uint32_t key, uint32_t sector)
{
	return blk_test_raw_read(page, key, sector, &ping);
}

void app_main(void)
{
	printf("TEST blk_reply_edge START\n");
	struct blk_disk *d = blk_disk(0);
	CHECK(d != NULL);
	if (!d)
		goto out;
	uint32_t seed = blk_test_seed();
	pattern_fill(buf, 5, 1, seed);
	CHECK_EQ(blk_write(d, 5, buf, 1), 0);

	uint32_t key = st_device_page(LGUEST_DEVICE_T_BLOCK, 0, 0, 0);
	unsigned irq = LGUEST_DEVICE_IRQ(blk_bus_index(d));
	volatile uint8_t *pg = vm_map_io(gpa(key), 1);
	volatile struct lguest_block_page *page = (void *)pg;
	volatile struct lguest_dma *edge = (void *)(pg + EDGE_OFF);
	irq_unregister(irq);
	CHECK_EQ(irq_register(irq, on_disk), 0);

	/* The entry: free, one section; only its first 64 bytes (used_len
	 * and the addresses) are guest memory. */
	memset(buf, 0xEE, sizeof(buf));
	edge->used_len = 0;
	for (unsigned i = 0; i < 15; i++)
		edge->addr[i] = 0;
	edge->addr[0] = gpa_val(virt_to_gpa(buf));
	CHECK_EQ(bind(key, key + EDGE_OFF, irq), 1);
	uint32_t result = read_sector(page, key, 5);
	printf("edge entry: result %lu, used_len %lu\n",
	       (unsigned long)result, (unsigned long)edge->used_len);
	fflush(stdout);
	CHECK_EQ(result, LGUEST_BLOCK_RESULT_ERROR);
	CHECK_EQ(edge->used_len, 0);	/* claimed, then answered: 0 bytes */
	CHECK_EQ(buf[0], 0xEE);		/* nothing read into it */
	CHECK_EQ(hcall(LHCALL_BIND_DMA, key, key + EDGE_OFF, 0), 1);

	/* A normal binding at the same page: the disk still answers. */
	memset((void *)&normal, 0, sizeof(normal));
	normal.addr[0] = gpa_val(virt_to_gpa(buf));
	normal.len[0] = BLK_SECTOR_SIZE;
	CHECK_EQ(bind(key, gpa_val(virt_to_gpa(&normal)), irq), 1);
	result = read_sector(page, key, 5);
	CHECK_EQ(result, LGUEST_BLOCK_RESULT_OK);
	CHECK_EQ(normal.used_len, BLK_SECTOR_SIZE);
	if (result == LGUEST_BLOCK_RESULT_OK &&
	    blk_test_verify("read", buf, 5, 1, seed) == 0)
		printf("normal entry: the data is right\n");
	printf("disk interrupts: %u\n", disk_irqs);
out:
	test_finish("blk_reply_edge");
}
