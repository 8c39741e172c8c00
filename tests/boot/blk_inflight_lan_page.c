/*
 * tests/boot/blk_inflight_lan_page.c: a guest dies while its disk is still
 * reading into its --sharenet page (issue 11: one checked way into guest
 * memory, and the isolation holes closed). Started alone with
 * `--block=X --sharenet=solo` and a disk that QEMU throttles to one
 * request a second, so the read below reaches the disk about a second
 * after we send it (QEMU holds it back).
 *
 * Block data moves by host address, and a section in a --sharenet page
 * is that LAN's host page. When we die, the host gives back everything
 * we held, the LAN's page too (we are its last member). If it gave the
 * page back before the disk was done with it, the disk would write our
 * bytes into a free host page: the allocator's free list starts in it,
 * so we would choose where the host's next page comes from. So the read
 * is of a sector we first fill with 0xA5 bytes, into the LAN page's first
 * bytes; then we make hypercall 17, which kills us at once. The host must
 * finish with the disk before it frees anything, and its free list must
 * be whole at the end ("lgref host: N pages free, as before the guests";
 * host/main.c checks the list).
 */
#include "blk_test.h"
#include "straddle_test.h"

static uint8_t sector[BLK_SECTOR_SIZE] __attribute__((aligned(512)));

void app_main(void)
{
	uint32_t mem = bootparams_mem_bytes();
	struct blk_disk *d = blk_disk(0);
	uint32_t lan = st_sharenet_page(0);
	struct blk_request req = {0};

	printf("TEST blk_inflight_lan_page START\n");
	CHECK(d != NULL);
	CHECK_EQ(lan, mem + 8192);
	if (!d || lan != mem + 8192)
		goto out;
	memset(sector, 0xA5, sizeof(sector));
	CHECK_EQ(blk_write(d, 7, sector, 1), 0);
	req.type = LGUEST_BLOCK_TYPE_READ;
	req.sector = 7;
	req.bytes = BLK_SECTOR_SIZE;
	req.nsec = 1;
	req.addr[0] = lan;
	req.len[0] = BLK_SECTOR_SIZE;
	CHECK_EQ(blk_start(d, &req), 0);
	printf("read into the LAN page sent; dying with it in flight\n");
	fflush(stdout);
	hcall(17, 0, 0, 0);
	printf("FAIL %s:%d: hypercall 17 was not fatal\n", __FILE__, __LINE__);
out:
	test_finish("blk_inflight_lan_page");
}
