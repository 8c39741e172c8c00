/*
 * tests/boot/blk_rebind.c: a block read's answer goes to the newest live
 * binding at the device page, whatever bindings came and went before
 * (docs/abi.md §6.3 "the newest binding wins"; host/core/dma.c
 * find_binding(), which remembers its last answer: this test is what
 * shows the memory is forgotten when it must be).
 *
 * The guest takes the disk's IRQ from the driver and binds reply arrays
 * of its own at the device page, one buffer each, all of them armed
 * (free) before every read, so the host could pick any of them: only
 * the newest live one may receive the sector.
 *   1. X, then Y: a read lands in Y (the binding made after the last
 *      lookup wins);
 *   2. Y unbound: the next lands in X (the remembered one is gone);
 *   3. Z bound: it lands in Z (a binding made since, the old answer
 *      still live);
 *   4. Z unbound and W bound, in Z's slot: it lands in W.
 */
#include "blk_test.h"
#include "straddle_test.h"

static uint8_t buf[4][BLK_SECTOR_SIZE] __attribute__((aligned(512)));
static volatile struct lguest_dma arrays[4] __attribute__((aligned(128)));
static struct lguest_dma ping __attribute__((aligned(128)));
static const char names[4] = {'X', 'Y', 'Z', 'W'};
static uint32_t seed;
static volatile unsigned disk_irqs;

static void on_disk(unsigned irq)
{
	(void)irq;
	disk_irqs++;
}

static uint32_t bind(uint32_t key, unsigned i, unsigned irq)
{
	return hcall(LHCALL_BIND_DMA, key, gpa_val(virt_to_gpa(&arrays[i])),
		     (1u << LHCALL_BIND_DMA_COUNT_SHIFT) | irq);
}

static uint32_t unbind(uint32_t key, unsigned i)
{
	return hcall(LHCALL_BIND_DMA, key, gpa_val(virt_to_gpa(&arrays[i])),
		     0);
}

/* Arm every array (free, pointing at its own buffer filled with 0xEE),
 * read `sector` by hand, wait for the answer, and say which array got
 * it: the one whose used_len became 512. */
static void read_expect(volatile struct lguest_block_page *page,
			uint32_t key, uint32_t sector, unsigned want)
{
	for (unsigned i = 0; i < 4; i++) {
		memset(buf[i], 0xEE, sizeof(buf[i]));
		memset((void *)&arrays[i], 0, sizeof(arrays[i]));
		arrays[i].addr[0] = gpa_val(virt_to_gpa(buf[i]));
		arrays[i].len[0] = BLK_SECTOR_SIZE;
	}
	CHECK_EQ(blk_test_raw_read(page, key, sector, &ping),
		 LGUEST_BLOCK_RESULT_OK);
	int got = -1;
	for (unsigned i = 0; i < 4; i++) {
		if (arrays[i].used_len == BLK_SECTOR_SIZE) {
			CHECK_EQ(got, -1);	/* one answer only */
			got = (int)i;
		} else {
			CHECK_EQ(arrays[i].used_len, 0);	/* untouched */
		}
	}
	printf("sector %lu: answered in %c (want %c)\n", (unsigned long)sector,
	       got < 0 ? '-' : names[got], names[want]);
	fflush(stdout);
	CHECK_EQ(got, (int)want);
	if (got == (int)want &&
	    blk_test_verify("read", buf[want], sector, 1, seed) == 0)
		printf("sector %lu: the data is right\n", (unsigned long)sector);
	fflush(stdout);
}

void app_main(void)
{
	printf("TEST blk_rebind START\n");
	struct blk_disk *d = blk_disk(0);
	CHECK(d != NULL);
	if (!d)
		goto out;
	seed = blk_test_seed();
	for (uint32_t s = 1; s <= 4; s++) {
		pattern_fill(buf[0], s, 1, seed);
		CHECK_EQ(blk_write(d, s, buf[0], 1), 0);
	}
	CHECK_EQ(blk_read(d, 1, buf[0], 1), 0);	/* the driver's binding */

	uint32_t key = st_device_page(LGUEST_DEVICE_T_BLOCK, 0, 0, 0);
	unsigned irq = LGUEST_DEVICE_IRQ(blk_bus_index(d));
	volatile struct lguest_block_page *page = vm_map_io(gpa(key), 1);
	irq_unregister(irq);
	CHECK_EQ(irq_register(irq, on_disk), 0);
	for (unsigned i = 0; i < 4; i++)
		arrays[i].used_len = 1;		/* not free until armed */

	CHECK_EQ(bind(key, 0, irq), 1);		/* X */
	CHECK_EQ(bind(key, 1, irq), 1);		/* Y */
	read_expect(page, key, 1, 1);
	read_expect(page, key, 2, 1);		/* again: the same answer */
	CHECK_EQ(unbind(key, 1), 1);
	read_expect(page, key, 3, 0);
	CHECK_EQ(bind(key, 2, irq), 1);		/* Z */
	read_expect(page, key, 4, 2);
	CHECK_EQ(unbind(key, 2), 1);
	CHECK_EQ(bind(key, 3, irq), 1);		/* W, in Z's slot */
	read_expect(page, key, 1, 3);
	printf("disk interrupts or answers: %u\n", disk_irqs);
out:
	test_finish("blk_rebind");
}
