/*
 * kernel/bootparams.c: copies the zero page and command line out of low
 * memory, so that nothing later depends on those pages, and answers
 * questions about them. The launcher writes only a few fields (spec §1.2):
 * e820 entry 0, the command-line pointer and, with an initrd, its place.
 */
#include <string.h>

#include "bootparams.h"

static struct boot_params bootparams;
static char bootparams_cmdline_buf[COMMAND_LINE_SIZE];

void bootparams_copy(const struct boot_params *zero_page)
{
	memcpy(&bootparams, zero_page, sizeof(bootparams));

	/* The launcher maps all of RAM for us, so any pointer inside it is
	 * readable; anything else is ignored. */
	uint32_t ptr = bootparams.cmd_line_ptr;
	uint32_t mem = bootparams_mem_bytes();
	if (ptr == 0 || ptr >= mem)
		return;
	uint32_t max = mem - ptr < COMMAND_LINE_SIZE - 1 ? mem - ptr
						    : COMMAND_LINE_SIZE - 1;
	const char *line = gpa_to_virt(gpa(ptr));
	size_t len = 0;
	while (len < max && line[len] != '\0')
		len++;
	/* Each argument arrives followed by a space (spec §1.1, §13). */
	while (len > 0 && line[len - 1] == ' ')
		len--;
	memcpy(bootparams_cmdline_buf, line, len);
	bootparams_cmdline_buf[len] = '\0';
}

uint32_t bootparams_mem_bytes(void)
{
	const struct e820entry *e = &bootparams.e820_map[0];

	if (e->type != E820_RAM || e->addr != 0)
		return 0;
	if (e->size > 0xFFFFF000u)
		return 0xFFFFF000u;
	return (uint32_t)e->size & ~(uint32_t)(PAGE_SIZE - 1);
}

const char *bootparams_cmdline(void)
{
	return bootparams_cmdline_buf;
}

bool bootparams_initrd(gpa_t *start, uint32_t *size)
{
	/* Linux ignores the initrd fields unless type_of_loader is set. */
	if (bootparams.type_of_loader == 0 || bootparams.ramdisk_size == 0)
		return false;
	*start = gpa(bootparams.ramdisk_image);
	*size = bootparams.ramdisk_size;
	return true;
}

const struct boot_params *bootparams_get(void)
{
	return &bootparams;
}
