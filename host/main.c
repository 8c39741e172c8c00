/*
 * host/main.c: the host's C entry, and the one file that knows every
 * layer (docs/host-design.md "Layout"). It reads what the boot loader
 * handed over (multiboot info: memory map, command line, modules),
 * reports it on the diagnostic channel (COM2), sets up the CPU, memory,
 * clocks and devices, launches one guest per module, hands over to the
 * scheduler, and leaves QEMU with the status it returns.
 */
#include <multiboot.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/clock.h"
#include "arch/cpu.h"
#include "arch/log.h"
#include "arch/paging.h"
#include "arch/palloc.h"
#include "arch/pic.h"
#include "arch/qemu_exit.h"
#include "arch/serial.h"
#include "arch/x86.h"
#include "core/devices.h"
#include "core/fpu.h"
#include "core/guests.h"
#include "core/inject.h"
#include "core/respawn.h"
#include "core/timeline.h"
#include "prof/bench.h"
#include "prof/blkbench.h"
#include "rules/cmdline.h"


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

/* "exit=N" anywhere on the command line: leave at once (a test hook). */
static bool exit_status_from(const char *cmdline, uint32_t *status)
{
	const char *p = strstr(cmdline, "exit=");

	if (!p || (p != cmdline && p[-1] != ' '))
		return false;
	*status = (uint32_t)strtoul(p + 5, NULL, 0);
	return true;
}

/*H:040 Each multiboot module is a guest kernel; its string is that
 * guest's launcher command line (docs/abi.md §9.3). A module whose string
 * is just "initrd" is the initrd of the guest module before it. A guest
 * that cannot be loaded is reported and counted; the others still run.
 * Returns the number of guest modules that failed to load; *launched
 * gets the number that loaded. */
static unsigned launch_guests(const multiboot_info_t *mbi, unsigned *launched)
{
	unsigned failed = 0;

	*launched = 0;
	if (!(mbi->flags & MULTIBOOT_INFO_MODS) || mbi->mods_count == 0) {
		hlog("lgref host: no guest modules; nothing to run\n");
		return 0;
	}
	const multiboot_module_t *mods = (const void *)(uintptr_t)mbi->mods_addr;
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		const char *args = strip_loader_path(
			mbi, (const char *)(uintptr_t)mods[i].cmdline);
		if (strcmp(args, "initrd") == 0) {
			if (i == 0 || strcmp(strip_loader_path(mbi,
					(const char *)(uintptr_t)
					mods[i - 1].cmdline), "initrd") == 0) {
				hlog("lguest: module %u is an initrd, but no "
				     "guest module comes just before it (put "
				     "each guest's module before its initrd)\n",
				     (unsigned)i);
				failed++;
			}
			continue;
		}
		const uint8_t *initrd = NULL;
		size_t initrd_len = 0;
		if (i + 1 < mbi->mods_count &&
		    strcmp(strip_loader_path(mbi, (const char *)(uintptr_t)
						      mods[i + 1].cmdline),
			   "initrd") == 0) {
			initrd = (const uint8_t *)(uintptr_t)mods[i + 1].mod_start;
			initrd_len = mods[i + 1].mod_end - mods[i + 1].mod_start;
		}
		const uint8_t *image = (const uint8_t *)(uintptr_t)mods[i].mod_start;
		size_t image_len = mods[i].mod_end - mods[i].mod_start;
		int id = guest_launch(args, image, image_len, initrd, initrd_len);
		if (id < 0) {
			failed++;
			continue;
		}
		(*launched)++;
		respawn_keep((unsigned)id, args, image, image_len, initrd,
			     initrd_len);
	}
	return failed;
}

/* Every page the guests took must come back when they are gone, whether
 * they ran or failed to launch part way (a failed launch once left its
 * devices attached, issue 11), and nothing may have written a page after
 * it was given back. Said after the guests, on the diagnostic channel,
 * where the tests look for it. */
static void report_pages(size_t before)
{
	size_t now = palloc_free_pages(), kept_pages;
	unsigned kept = guests_kept(&kept_pages);
	char err[96];

	if (palloc_check_free_list(err, sizeof(err)))
		hlog("lgref host: the free page list is broken (%s): a page "
		     "was written after it was given back\n", err);
	else if (now == before)
		hlog("lgref host: %lu pages free, as before the guests\n",
		     (unsigned long)now);
	else if (kept && now < before)
		hlog("lgref host: %lu pages free, %lu fewer than before the "
		     "guests: kept for a stalled disk (%u guest%s, %lu pages "
		     "of guest memory and what goes with them)\n",
		     (unsigned long)now, (unsigned long)(before - now), kept,
		     kept == 1 ? "" : "s", (unsigned long)kept_pages);
	else if (now < before)
		hlog("lgref host: %lu pages free, %lu fewer than before the "
		     "guests (leak)\n", (unsigned long)now,
		     (unsigned long)(before - now));
	else
		hlog("lgref host: %lu pages free, %lu more than before the "
		     "guests (freed twice?)\n", (unsigned long)now,
		     (unsigned long)(now - before));
}

/* What the boot loader handed over, once its magic number is checked.
 * palloc_init() keeps the information and its strings out of the free
 * pages, so they last. */
static const multiboot_info_t *boot_info;
static const char *boot_cmdline;

/* The log's first lines: the banner and what the boot loader handed over.
 * Formatted only when the log is first written (log_first()), but still
 * the first lines: each new kind of conversion is vsnprintf code QEMU
 * translates the first time it runs, 100-500 us a line, which every
 * start paid before its first guest instruction. Without a checked
 * boot_info, the banner alone. */
static void report_boot_info(void)
{
	const multiboot_info_t *mbi = boot_info;

	hlog("lgref host " LGREF_VERSION ": bare-metal lguest host and launcher\n");
	if (!mbi)
		return;
	hlog("command line: \"%s\"\n", boot_cmdline);
	if (mbi->flags & MULTIBOOT_INFO_MEMORY)
		hlog("memory: %u KiB low, %u KiB high\n", mbi->mem_lower,
		     mbi->mem_upper);
	print_memory_map(mbi);
	if (mbi->flags & MULTIBOOT_INFO_BOOT_LOADER_NAME && mbi->boot_loader_name)
		hlog("boot loader: %s\n",
		     (const char *)(uintptr_t)mbi->boot_loader_name);
}

/* The start-up lines are written when the host first idles (usually once
 * the first guest waits for input, after its READY), or this long after
 * the clock is known if no guest ever lets it idle. */
#define LOG_DEFER_NS 1000000000ull

/*H:020 host_main() is where the host's C life begins. The boot loader gave
 * us a magic number, to prove it speaks Multiboot, and a pointer to what it
 * knows: the memory map, our command line and the modules (guest images).
 * Host diagnostics go to COM2: COM1 is the guests' console. :*/
void host_main(uint32_t magic, const multiboot_info_t *mbi)
{
	/* QEMU starts its TSC near 0 when it creates the machine, so this
	 * is the time since QEMU started (host/core/timeline.h). */
	uint64_t tsc_at_host_main = rdtsc();
	serial_init(SERIAL_COM1);
	log_init(SERIAL_COM2);
	log_defer(0);	/* the start-up lines wait (arch/log.c); deadline below */
	/* The CPU's control state first: QEMU keys its translations on
	 * bits that these set (CR4.OSFXSR, CR0's TS), so any code run
	 * before them (newlib's vsnprintf above all) would be translated
	 * twice. They need nothing from the boot loader. */
	cpu_init();
	paging_init();
	fpu_init();
	log_first(report_boot_info);	/* the banner, and what follows */
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		HOST_PANIC("not started by a multiboot loader (magic %#x)", magic);

	const char *cmdline = "";
	if ((mbi->flags & MULTIBOOT_INFO_CMDLINE) && mbi->cmdline)
		cmdline = strip_loader_path(
			mbi, (const char *)(uintptr_t)mbi->cmdline);
	boot_info = mbi;
	boot_cmdline = cmdline;

	uint32_t status;
	if (exit_status_from(cmdline, &status)) {
		hlog("exiting with status %#x\n", status);
		qemu_exit(status);
	}
	run_set_verbose(cmdline_has_word(cmdline, "verbose"));
	pic_init();
	palloc_init(mbi);
	clock_init();
	const char *cal = cmdline_value(cmdline, "tsccal");	/* a test hook */
	if (cal && cmdline_value_is(cal, "fit"))
		clock_calibrate_by(CLOCK_CAL_FIT);
	else if (cal && cmdline_value_is(cal, "twopoint"))
		clock_calibrate_by(CLOCK_CAL_TWO_POINT);
	else if (cal)
		hlog("tsccal=: expected fit or twopoint; the bursts are used\n");
	hlog("%u MiB free for guests\n",
	     (unsigned)(palloc_free_pages() / 256));
	inject_init(cmdline);	/* before the devices read their words */
	const char *pic = cmdline_value(cmdline, "pic");
	if (pic && cmdline_value_is(pic, "edge"))
		pic_keep_edge();
	devices_host_init(cmdline);
	if (pic_level_lines() || pic_firmware_elcr())
		hlog("PIC: level-triggered lines %#x (the firmware left "
		     "%#x)\n", pic_level_lines(), pic_firmware_elcr());
	pic_unmask(PIC_IRQ_TIMER);	/* host/arch/clock.h's alarm */
	log_defer(rdtsc() + clock_ns_to_tsc(LOG_DEFER_NS));
	clock_arm(log_flush_deadline);
	const char *bb = cmdline_value(cmdline, "blkbench");
	if (bb) {
		clock_calibrate_finish();
		blkbench_run((unsigned)strtoul(bb, NULL, 0));
	}
	timeline_on = cmdline_has_word(cmdline, "bench");
	unsigned launched;
	size_t pages_before = palloc_free_pages();
	respawn_ledger_start(pages_before);
	unsigned failed = launch_guests(mbi, &launched);
	if (failed && !launched) {
		report_pages(pages_before);
		hlog("lgref host: no guest could be loaded, exiting with "
		     "status %#x\n", HOST_EXIT_LOAD_FAILED);
		qemu_exit(HOST_EXIT_LOAD_FAILED);
	}
	clock_calibrate_finish();	/* over all the start-up work */
	hlog("TSC %u kHz\n", tsc_khz);
	timeline_mark("host_main", tsc_at_host_main);
	status = scheduler_run(failed);
	inject_report();
	report_pages(pages_before);
	timeline_print();	/* the marks of the start, kept until now */
	if (timeline_on)
		bench_host();	/* after the guests, so it skews no timeline */
	devices_host_exit();
	if (failed)
		hlog("lgref host: %u module%s could not be loaded (see "
		     "above)\n", failed, failed == 1 ? "" : "s");
	hlog("lgref host: no guest left, exiting with status %#x\n", status);
	qemu_exit(status);
}
