/*
 * tests/boot/guest_initrd.c: a guest started with --initrd, as a Linux
 * guest with an initramfs is (spec §1.1, §1.2, §1.4, §9.3).
 *
 * The launcher puts the file at the top of RAM, its length rounded up to
 * whole pages, and says so in the zero page: type_of_loader 0xFF (without
 * it Linux ignores the initrd fields), ramdisk_image and ramdisk_size.
 * We check those fields against the e820 RAM size, print the file's first
 * line (the .expect knows tests/boot/initrd_fixture.txt), check that the
 * rest of the last page is zero, and then take every page the kernel's
 * page allocator will give: none may lie in the initrd, and after we have
 * scribbled on all of them the initrd must be unchanged.
 */
#include <stdlib.h>

#include "../../kernel/bootparams.h"
#include "user_test.h"

#define FIXTURE_BYTES 89 /* wc -c tests/boot/initrd_fixture.txt */

static void test_zero_page(gpa_t *start, uint32_t *size)
{
	const struct boot_params *bp = bootparams_get();
	uint32_t mem = bootparams_mem_bytes();

	printf("zero page: type_of_loader=0x%02x ramdisk_image=0x%08lx "
	       "ramdisk_size=0x%08lx, RAM 0x%08lx\n",
	       (unsigned)bp->type_of_loader, (unsigned long)bp->ramdisk_image,
	       (unsigned long)bp->ramdisk_size, (unsigned long)mem);
	CHECK_EQ(bp->type_of_loader, BOOT_LOADER_TYPE_UNKNOWN);
	CHECK_EQ(bp->ramdisk_size, mm_page_up(FIXTURE_BYTES));
	CHECK_EQ(bp->ramdisk_image, mem - bp->ramdisk_size);
	CHECK_EQ(bp->ramdisk_image % PAGE_SIZE, 0);
	CHECK(bootparams_initrd(start, size));
	CHECK_EQ(gpa_val(*start), bp->ramdisk_image);
	CHECK_EQ(*size, bp->ramdisk_size);
}

static void test_contents(const char *rd, uint32_t size)
{
	uint32_t len = 0, line = 0, nonzero = 0;

	while (len < size && rd[len] != '\0')
		len++;
	while (line < len && rd[line] != '\n')
		line++;
	for (uint32_t i = len; i < size; i++)
		nonzero += rd[i] != 0;
	CHECK_EQ(len, FIXTURE_BYTES);
	CHECK_EQ(nonzero, 0);
	printf("initrd: %lu bytes of file, zero up to %lu\n",
	       (unsigned long)len, (unsigned long)size);
	printf("initrd first line: %.*s\n", (int)line, rd);
}

/* Take every free page: none may be in [start, start + size). */
static void test_allocator(gpa_t start, uint32_t size, const char *rd)
{
	char *copy = malloc(size);
	uint32_t pages = 0, inside = 0;
	void *heap_start, *heap_end;

	if (!copy)
		panic("no memory for a copy of the initrd");
	memcpy(copy, rd, size);
	heap_region(&heap_start, &heap_end);
	CHECK(gpa_val(virt_to_gpa(heap_end)) <= gpa_val(start) ||
	      gpa_val(virt_to_gpa(heap_start)) >= gpa_val(start) + size);
	for (uint32_t *p; (p = palloc_pages(1)) != NULL; pages++) {
		uint32_t a = gpa_val(virt_to_gpa(p));
		if (a + PAGE_SIZE > gpa_val(start) && a < gpa_val(start) + size)
			inside++;
		p[0] = 0xDEADBEEF;
		p[PAGE_SIZE / 4 - 1] = 0xDEADBEEF;
	}
	CHECK(pages > 1000);
	CHECK_EQ(inside, 0);
	CHECK_EQ(memcmp(copy, rd, size), 0);
	printf("page allocator: %lu pages handed out, %lu in the initrd, "
	       "initrd intact: %s\n", (unsigned long)pages,
	       (unsigned long)inside, memcmp(copy, rd, size) ? "no" : "yes");
	free(copy);
}

void app_main(void)
{
	gpa_t start = gpa(0);
	uint32_t size = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST guest_initrd START\n");
	test_zero_page(&start, &size);
	if (size) {
		const char *rd = gpa_to_virt(start);
		test_contents(rd, size);
		test_allocator(start, size, rd);
	}
	test_finish("guest_initrd");
}
