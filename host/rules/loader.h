/*
 * host/rules/loader.h: the Launcher's boot work (docs/abi.md §1.1-§1.4, §7.4).
 *
 * Given a zeroed host buffer for one guest, an ELF32 vmlinux, an optional
 * initrd and the guest command line, build guest-physical memory exactly
 * as the 2.6.23 Launcher did: kernel segments at p_paddr, zero page and
 * command line, initrd at the top of RAM, initial page tables below it,
 * the device descriptor page at "mem" and device pages above it. The
 * result holds what LHREQ_INITIALIZE needs (pfnlimit, pgdir, entry,
 * page_offset). No file I/O, no allocation, no hardware access.
 */
#ifndef LGREF_HOST_LOADER_H
#define LGREF_HOST_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include <lguest/launcher.h>

#include "rules/gmem.h"

/* Devices from options; the loader appends the console after them. */
#define LOADER_MAX_DEVICES (LGUEST_MAX_DEVICES - 1)

/* Where the zero page and the longest command line end (0x1800). */
#define LOADER_LOW_RESERVED (0x1000 + 2048)

/* One device from the options, in option order. */
struct loader_device {
	uint16_t type;      /* LGUEST_DEVICE_T_NET or _BLOCK; never 0 */
	uint16_t features;  /* descriptor features, as given */
	uint16_t num_pages; /* zeroed pages of device memory, may be 0 */
};

struct loader_result {
	uint32_t entry;        /* virtual EIP: just after "GenuineLguest" */
	uint32_t page_offset;  /* p_vaddr - p_paddr of every PT_LOAD */
	uint32_t pgdir;        /* gpa of the initial page directory */
	uint32_t pte_gpa;      /* gpa of the first initial PTE page */
	uint32_t pte_pages;    /* PTE pages, just below pgdir */
	uint32_t mapped_pages; /* pages mapped at page_offset */
	uint32_t pfnlimit;     /* first pfn above the last device page */
	uint32_t device_page;  /* gpa of the descriptor page (= mem) */
	unsigned ndevices;     /* descriptors written, console included */
	uint32_t device_pfn[LGUEST_MAX_DEVICES]; /* by index; 0 = no pages */
	uint32_t initrd_gpa;   /* 0 without an initrd */
	uint32_t initrd_len;   /* page-rounded (ramdisk_size); 0 without */
	uint32_t kernel_start; /* lowest PT_LOAD p_paddr */
	uint32_t kernel_end;   /* highest PT_LOAD p_paddr + p_memsz */
};

/*
 * Bytes of zeroed host memory a guest with mem_bytes of RAM and these
 * devices needs: RAM, the descriptor page and every device page, i.e.
 * pfnlimit * 4096. Returns 0 if that passes 4 GiB or SIZE_MAX.
 */
size_t loader_memory_needed(uint32_t mem_bytes,
			    const struct loader_device *devs, unsigned ndevs);

/*
 * Build the guest. g->base must point at loader_memory_needed() bytes,
 * zeroed or left to gmem to zero on first use (g->scrubbed), and
 * g->ram_bytes must be mem (a positive multiple of 4096); this sets
 * g->pfnlimit. initrd may be NULL (no initrd; with a non-NULL initrd
 * of length 0 the zero page still announces an empty one, as the Launcher
 * did). cmdline may be NULL ("") and must be shorter than 2048 bytes.
 * At most LOADER_MAX_DEVICES devices. Returns 0 and fills *out, or -1
 * with one line in err naming the check, the segment index and the values
 * (guest memory is then partly written and must not be run).
 *
 * ELF rules (the 2.6.23 Launcher's, plus stricter ones marked *): ELF32,
 * little-endian*, ET_EXEC, EM_386, e_phentsize 32, e_phnum 1..2048, the
 * headers and every PT_LOAD's file bytes inside the file, p_filesz <=
 * p_memsz*, p_paddr + p_memsz <= mem*, p_paddr and p_offset multiples of
 * 4096 (the Launcher's fixed-address mmap needs both), p_filesz > 0 (an
 * empty mmap fails, §13), no segment below LOADER_LOW_RESERVED*, one
 * page_offset for all segments, page_offset below 0xFFC00000 (§9.1) and a
 * multiple of 4 MiB* (else the initial page tables map the wrong pages),
 * and a "GenuineLguest" signature in the loaded bytes.
 */
int loader_build(struct gmem *g, const uint8_t *image, size_t image_len,
		 const uint8_t *initrd, size_t initrd_len, const char *cmdline,
		 const struct loader_device *devs, unsigned ndevs,
		 struct loader_result *out, char *err, size_t errlen);

#endif
