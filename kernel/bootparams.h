/*
 * kernel/bootparams.h: what the launcher told us at boot, in the zero page
 * and the command line (spec §1.2), kept in kernel variables.
 */
#ifndef LGREF_KERNEL_BOOTPARAMS_H
#define LGREF_KERNEL_BOOTPARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include <lguest/bootparam.h>

#include "mm.h"

/*
 * Copy the zero page (PARAM_SIZE bytes at `zero_page`) and the command
 * line it points to (at most COMMAND_LINE_SIZE - 1 bytes) into the kernel.
 * Call once, after the BSS is cleared, while the launcher's mapping of all
 * RAM is still in place.
 */
void bootparams_copy(const struct boot_params *zero_page);

/* RAM size in bytes: e820 entry 0 (the only one the launcher writes).
 * Also the gpa of the device page (spec §7). 0 if the entry is missing. */
uint32_t bootparams_mem_bytes(void);

/* The command line, with the launcher's trailing space removed. */
const char *bootparams_cmdline(void);

/* Where the initrd is, if the launcher loaded one. */
bool bootparams_initrd(gpa_t *start, uint32_t *size);

/* Our copy of the whole zero page, for fields the helpers above don't
 * interpret (type_of_loader, the raw ramdisk fields, ...). */
const struct boot_params *bootparams_get(void);

#endif
