/*
 * host/main.c: the host's C entry. It reads what the boot loader handed
 * over (multiboot info: memory map, command line, modules), reports it on
 * the log channel and, for now, leaves QEMU with the status asked for by
 * "exit=N" on its command line. Guest loading and the run loop hang off
 * this file as they are written.
 */
#include <multiboot.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "qemu_exit.h"
#include "serial.h"

#define HOST_VERSION "0.1"

static const char *memory_type_name(uint32_t type)
{
	switch (type) {
	case MULTIBOOT_MEMORY_AVAILABLE: return "available";
	case MULTIBOOT_MEMORY_RESERVED: return "reserved";
	case MULTIBOOT_MEMORY_ACPI_RECLAIMABLE: return "ACPI reclaimable";
	case MULTIBOOT_MEMORY_NVS: return "ACPI NVS";
	case MULTIBOOT_MEMORY_BADRAM: return "bad RAM";
	default: return "unknown";
	}
}

static void print_memory_map(const multiboot_info_t *mbi)
{
	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP)) {
		hlog("memory map: none from the boot loader\n");
		return;
	}
	hlog("memory map:\n");
	uint32_t offset = 0;
	while (offset + sizeof(uint32_t) <= mbi->mmap_length) {
		const multiboot_memory_map_t *e =
			(const void *)(uintptr_t)(mbi->mmap_addr + offset);
		/* nano printf has no %ll: the map fits 32 bits on i386
		 * except for entries above 4 GiB, printed as such. */
		uint64_t last = e->addr + e->len - 1;
		if (e->addr >> 32)
			hlog("  above 4 GiB: %s\n", memory_type_name(e->type));
		else
			hlog("  0x%08lx-0x%08lx %s\n", (unsigned long)e->addr,
			     (unsigned long)(last >> 32 ? 0xFFFFFFFF : last),
			     memory_type_name(e->type));
		offset += e->size + sizeof(e->size);
	}
}

/*
 * QEMU's multiboot loader starts every command line (the kernel's and each
 * module's) with the file's path; GRUB 2 does not. Drop QEMU's prefix so
 * both loaders hand the same arguments on (docs/host-design.md).
 */
static const char *strip_loader_path(const multiboot_info_t *mbi,
				     const char *cmdline)
{
	const char *loader = "";

	if ((mbi->flags & MULTIBOOT_INFO_BOOT_LOADER_NAME) && mbi->boot_loader_name)
		loader = (const char *)(uintptr_t)mbi->boot_loader_name;
	if (strncmp(loader, "qemu", 4) != 0)
		return cmdline;
	while (*cmdline && *cmdline != ' ')
		cmdline++;
	while (*cmdline == ' ')
		cmdline++;
	return cmdline;
}

/* "exit=N" anywhere on the command line picks the exit status. */
static uint32_t exit_status_from(const char *cmdline)
{
	const char *p = strstr(cmdline, "exit=");

	if (p && (p == cmdline || p[-1] == ' '))
		return (uint32_t)strtoul(p + 5, NULL, 0);
	return HOST_EXIT_POWERED_OFF;
}

/*H:020 host_main() is where the host's C life begins. The boot loader gave
 * us a magic number, to prove it speaks Multiboot, and a pointer to what it
 * knows: the memory map, our command line and the modules (guest images).
 * :*/
void host_main(uint32_t magic, const multiboot_info_t *mbi)
{
	log_init(SERIAL_COM1);
	hlog("lgref host " HOST_VERSION ": bare-metal lguest host and launcher\n");
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		HOST_PANIC("not started by a multiboot loader (magic %#x)", magic);

	const char *cmdline = "";
	if ((mbi->flags & MULTIBOOT_INFO_CMDLINE) && mbi->cmdline)
		cmdline = strip_loader_path(
			mbi, (const char *)(uintptr_t)mbi->cmdline);
	hlog("command line: \"%s\"\n", cmdline);
	if (mbi->flags & MULTIBOOT_INFO_MEMORY)
		hlog("memory: %u KiB low, %u KiB high\n", mbi->mem_lower,
		     mbi->mem_upper);
	print_memory_map(mbi);
	if (mbi->flags & MULTIBOOT_INFO_BOOT_LOADER_NAME && mbi->boot_loader_name)
		hlog("boot loader: %s\n",
		     (const char *)(uintptr_t)mbi->boot_loader_name);

	uint32_t status = exit_status_from(cmdline);
	hlog("exiting with status %#x\n", status);
	qemu_exit(status);
}
