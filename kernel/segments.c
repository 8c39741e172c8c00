/*
 * kernel/segments.c: our GDT and our ring-1 stack, as far as the host
 * needs to know them. We can't execute lgdt or write a TSS at ring 1, so
 * the host keeps the real ones and we send it copies.
 */
#include <stdint.h>

#include <lguest/lguest.h>

#include "hcall.h"
#include "mm.h"
#include "segments.h"
#include "x86.h"

/*
 * Linux's layout, trimmed to what we use: flat 4 GiB kernel code and data
 * at 12 and 13, DPL 1, the very descriptors the host started us with, and
 * flat 4 GiB user code and data at 14 and 15, DPL 3, for ring 3
 * (kernel/user.c). TLS entries 6-8 come later, from LOAD_TLS. The host
 * ignores whatever we put at its own entries (10, 11, 16, 31) and sets the
 * "accessed" bit everywhere itself. Initialised data, so it lands in the
 * image's data segment.
 */
static struct x86_desc segments_gdt[GDT_ENTRIES] = {
	[GDT_ENTRY_KERNEL_CS] = {LGUEST_GDT_FLAT_LO, LGUEST_GDT_KERNEL_CS_HI},
	[GDT_ENTRY_KERNEL_DS] = {LGUEST_GDT_FLAT_LO, LGUEST_GDT_KERNEL_DS_HI},
	[GDT_ENTRY_USER_CS] = {LGUEST_GDT_FLAT_LO, X86_GDT_USER_CS_HI},
	[GDT_ENTRY_USER_DS] = {LGUEST_GDT_FLAT_LO, X86_GDT_USER_DS_HI},
};

/*G:060 Our own GDT. We are already running on the host's copy of entries
 * 12 and 13 (CS 0x61, DS 0x69); handing over a full table of 32 entries
 * is what a guest does, and it is the same as the one we have. :*/
void segments_init(void)
{
	hcall(LHCALL_LOAD_GDT, gpa_val(virt_to_gpa(segments_gdt)), GDT_ENTRIES,
	      0);
}
/*:*/

/*G:130 SET_STACK names the stack the host (and the CPU, for direct traps)
 * switches to when a trap arrives from ring 3: selector 0x69 with RPL 1,
 * the top of the stack, and how many pages below the top the host must
 * keep mapped so that delivering a trap can never fault. Until a program
 * enters ring 3 (kernel/user.c moves it to a stack of its own) nothing
 * uses it, but a guest tells the host anyway, and the pinning is a good
 * test of our page tables. :*/
void segments_set_stack(void)
{
	hcall(LHCALL_SET_STACK, LGUEST_KERNEL_DS,
	      (uint32_t)(uintptr_t)boot_stack_top, BOOT_STACK_PINNED_PAGES);
}
/*:*/

/*G:240 Thread-local storage: three GDT entries (6, 7, 8) that user code
 * reaches through %fs or %gs. We can't write the GDT, so LOAD_TLS hands the
 * host all three descriptors at once. One trap: the host reloads every
 * segment register each time it re-enters us, and a register still holding
 * a selector whose entry has just become unusable would make that reload
 * fail, which kills us. So, like Linux, we clear %gs (and %fs, which we
 * don't use either) first; a trap frame's saved user selectors are loaded
 * again, from the new entries, on the way back to ring 3. :*/
void segments_load_tls(const struct x86_desc tls[GDT_ENTRY_TLS_ENTRIES])
{
	x86_set_fs(0);
	x86_set_gs(0);
	hcall(LHCALL_LOAD_TLS, gpa_val(virt_to_gpa(tls)), 0, 0);
}
/*:*/
