/*
 * include/lguest/bootparam.h: the boot half of the lguest ABI, as shipped
 * in Linux 2.6.23. The few fields of the Linux "zero page" (boot_params)
 * that the Launcher fills in, the e820 memory-map entry, where the command
 * line goes, and how the entry point is found. See docs/abi.md §1 and §10.
 *
 * struct boot_params below is a view of the whole 4096-byte page that
 * names only the fields this ABI uses; the gaps are explicit padding and
 * stay zero. The BOOT_PARAMS_* offsets are for assembly and for code that
 * pokes the page byte-wise; each is tied to offsetof by a static assert.
 * Self-contained (<stdint.h>, <stddef.h>) and usable from assembly.
 */
#ifndef LGUEST_BOOTPARAM_H
#define LGUEST_BOOTPARAM_H

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#endif

/* The zero page sits at guest-physical 0; ESI holds 0 at guest entry. */
#define PARAM_SIZE 4096         /* bytes of zero page the guest copies */
#define COMMAND_LINE_SIZE 2048  /* most command-line bytes it copies */
#define LGUEST_CMDLINE_ADDR 0x1000 /* gpa of the NUL-terminated line */

/* Zero-page offsets of the fields the Launcher writes (docs/abi.md §1.3). */
#define BOOT_PARAMS_E820_ENTRIES 0x1E8     /* u8: 1 */
#define BOOT_PARAMS_TYPE_OF_LOADER 0x210   /* u8: 0xFF only with an initrd */
#define BOOT_PARAMS_RAMDISK_IMAGE 0x218    /* u32: initrd gpa */
#define BOOT_PARAMS_RAMDISK_SIZE 0x21C     /* u32: initrd page-rounded len */
#define BOOT_PARAMS_CMD_LINE_PTR 0x228     /* u32: LGUEST_CMDLINE_ADDR */
#define BOOT_PARAMS_HARDWARE_SUBARCH 0x23C /* u32: 1, unused by 2.6.23 */
#define BOOT_PARAMS_E820_MAP 0x2D0         /* struct e820entry[] */

#define E820_RAM 1                 /* e820 type: usable RAM */
#define E820ENTRY_SIZEOF 20
#define LGUEST_E820_NR_ENTRIES 1   /* the Launcher writes one entry */
#define BOOT_LOADER_TYPE_UNKNOWN 0xFF /* type_of_loader with an initrd */
#define LGUEST_HARDWARE_SUBARCH 1  /* "guest type" value for lguest */

/* Kernel image (docs/abi.md §1.4). */
#define LGUEST_BZIMAGE_LOAD_ADDR 0x00100000 /* gpa of the gunzipped kernel */
#define LGUEST_ENTRY_SIGNATURE "GenuineLguest" /* entry = just after it */
#define LGUEST_ENTRY_SIGNATURE_LEN 13          /* no NUL in the image */

/*
 * History only (docs/abi.md §11): register magic from the pre-merge patch
 * series. The 2.6.23 release does not use it; entry registers are zero.
 */
#define LGUEST_MAGIC_EBP 0x4C687970
#define LGUEST_MAGIC_EDI 0x652D4D65
#define LGUEST_MAGIC_ESI 0xFFFFFFFF

#ifndef __ASSEMBLER__

/* One e820 memory-map entry: a defined 20-byte packed layout. */
struct e820entry {
	uint64_t addr; /* launcher: start of the range (0) */
	uint64_t size; /* launcher: length in bytes (mem) */
	uint32_t type; /* launcher: E820_RAM */
} __attribute__((packed));
_Static_assert(sizeof(struct e820entry) == 20, "lguest abi: e820entry");
_Static_assert(offsetof(struct e820entry, addr) == 0,
	       "lguest abi: e820entry.addr");
_Static_assert(offsetof(struct e820entry, size) == 8,
	       "lguest abi: e820entry.size");
_Static_assert(offsetof(struct e820entry, type) == 16,
	       "lguest abi: e820entry.type");
_Static_assert(E820ENTRY_SIZEOF == sizeof(struct e820entry), "size macro");

/*
 * The zero page. Linux names the 0x1F1.. fields "hdr.<name>"; they are
 * flattened here. Only map entry 0 is part of this ABI: the guest reads
 * no other, so the rest of the page after it is padding.
 */
struct boot_params {
	uint8_t pad_000[0x1E8];     /* nobody: zero */
	uint8_t e820_entries;       /* launcher: LGUEST_E820_NR_ENTRIES */
	uint8_t pad_1e9[0x210 - 0x1E9]; /* nobody: zero */
	uint8_t type_of_loader;     /* launcher: 0xFF with an initrd, else 0 */
	uint8_t pad_211[0x218 - 0x211]; /* nobody: zero (loadflags etc.) */
	uint32_t ramdisk_image;     /* launcher: initrd gpa, or 0 */
	uint32_t ramdisk_size;      /* launcher: initrd length, or 0 */
	uint8_t pad_220[0x228 - 0x220]; /* nobody: zero */
	uint32_t cmd_line_ptr;      /* launcher: LGUEST_CMDLINE_ADDR */
	uint8_t pad_22c[0x23C - 0x22C]; /* nobody: zero */
	uint32_t hardware_subarch;  /* launcher: LGUEST_HARDWARE_SUBARCH */
	uint8_t pad_240[0x2D0 - 0x240]; /* nobody: zero */
	struct e820entry e820_map[1]; /* launcher: all of guest RAM */
	uint8_t pad_2e4[PARAM_SIZE - 0x2E4]; /* nobody: zero */
};
_Static_assert(sizeof(struct boot_params) == 4096, "lguest abi: boot_params");
_Static_assert(offsetof(struct boot_params, pad_000) == 0x000, "pad");
_Static_assert(offsetof(struct boot_params, e820_entries) == 0x1E8,
	       "lguest abi: e820_entries");
_Static_assert(offsetof(struct boot_params, pad_1e9) == 0x1E9, "pad");
_Static_assert(offsetof(struct boot_params, type_of_loader) == 0x210,
	       "lguest abi: hdr.type_of_loader");
_Static_assert(offsetof(struct boot_params, pad_211) == 0x211, "pad");
_Static_assert(offsetof(struct boot_params, ramdisk_image) == 0x218,
	       "lguest abi: hdr.ramdisk_image");
_Static_assert(offsetof(struct boot_params, ramdisk_size) == 0x21C,
	       "lguest abi: hdr.ramdisk_size");
_Static_assert(offsetof(struct boot_params, pad_220) == 0x220, "pad");
_Static_assert(offsetof(struct boot_params, cmd_line_ptr) == 0x228,
	       "lguest abi: hdr.cmd_line_ptr");
_Static_assert(offsetof(struct boot_params, pad_22c) == 0x22C, "pad");
_Static_assert(offsetof(struct boot_params, hardware_subarch) == 0x23C,
	       "lguest abi: hardware_subarch");
_Static_assert(offsetof(struct boot_params, pad_240) == 0x240, "pad");
_Static_assert(offsetof(struct boot_params, e820_map) == 0x2D0,
	       "lguest abi: e820_map");
_Static_assert(offsetof(struct boot_params, pad_2e4) == 0x2E4, "pad");

/* The assembly offsets above must be the compiler's offsets. */
_Static_assert(BOOT_PARAMS_E820_ENTRIES ==
	       offsetof(struct boot_params, e820_entries), "asm offset");
_Static_assert(BOOT_PARAMS_TYPE_OF_LOADER ==
	       offsetof(struct boot_params, type_of_loader), "asm offset");
_Static_assert(BOOT_PARAMS_RAMDISK_IMAGE ==
	       offsetof(struct boot_params, ramdisk_image), "asm offset");
_Static_assert(BOOT_PARAMS_RAMDISK_SIZE ==
	       offsetof(struct boot_params, ramdisk_size), "asm offset");
_Static_assert(BOOT_PARAMS_CMD_LINE_PTR ==
	       offsetof(struct boot_params, cmd_line_ptr), "asm offset");
_Static_assert(BOOT_PARAMS_HARDWARE_SUBARCH ==
	       offsetof(struct boot_params, hardware_subarch), "asm offset");
_Static_assert(BOOT_PARAMS_E820_MAP == offsetof(struct boot_params, e820_map),
	       "asm offset");
_Static_assert(PARAM_SIZE == sizeof(struct boot_params), "asm offset");
_Static_assert(sizeof(LGUEST_ENTRY_SIGNATURE) - 1 == LGUEST_ENTRY_SIGNATURE_LEN,
	       "signature length");
_Static_assert(LGUEST_CMDLINE_ADDR == PARAM_SIZE,
	       "command line follows the zero page");

#endif /* !__ASSEMBLER__ */

#endif /* LGUEST_BOOTPARAM_H */
