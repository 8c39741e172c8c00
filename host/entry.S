/*
 * host/entry.S: the first instructions of the host.
 *
 * GRUB or QEMU's multiboot loader jumps here in 32-bit protected mode with
 * paging off, EAX = the multiboot magic and EBX = the multiboot info
 * address (Multiboot v1). We only need a stack and a call into C: every
 * other piece of CPU set-up (GDT, IDT, TSS, paging) is done in C so it can
 * be read and tested there. The header constants come from Debian's
 * multiboot package (<multiboot/multiboot.h>), not from a copy of ours.
 */
#define ASM_FILE 1
#include <multiboot.h>

#define HOST_MB_FLAGS (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)

/*H:010 Power-on, as far as the host is concerned: the boot loader finds
 * this header in the first 8 KiB of host.elf, loads the ELF at 1 MiB and
 * jumps to host_entry. :*/
	.section .multiboot, "a"
	.align 4
multiboot_header:
	.long MULTIBOOT_HEADER_MAGIC
	.long HOST_MB_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + HOST_MB_FLAGS)

	.text
	.globl host_entry
host_entry:
	cli
	cld
	movl $host_boot_stack_top, %esp	/* first stack, in .bss */
	xorl %ebp, %ebp			/* terminate frame-pointer chain */
	pushl %ebx			/* multiboot info (physical) */
	pushl %eax			/* multiboot magic */
	call host_main			/* never returns */
1:	hlt
	jmp 1b

	.bss
	.align 16
host_boot_stack:
	.space 16384
host_boot_stack_top:

/*
 * The host's own interrupt stubs, used while the host (not a guest) runs:
 * exceptions are host bugs and panic; vectors 32-47 are the PIC's hardware
 * interrupts, handled in C and returned from. Same frame as the switcher's:
 * error code (or 0), vector, then the general registers.
 */
	.altmacro
.macro HOST_STUB vec
host_stub_\vec:
	.if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17)
	.else
	pushl $0
	.endif
	pushl $\vec
	jmp host_trap_common
.endm

	.text
host_trap_common:
	pushal
	pushl %esp			/* struct host_frame * */
	call host_trap			/* host/cpu.c */
	addl $4, %esp
	popal
	addl $8, %esp			/* vector and error code */
	iret

	.set vec, 0
	.rept 48
	HOST_STUB %vec
	.set vec, vec + 1
	.endr

.macro HOST_STUB_ADDR vec
	.long host_stub_\vec
.endm
	.section .rodata
	.align 4
	.globl host_stub_table
host_stub_table:
	.set vec, 0
	.rept 48
	HOST_STUB_ADDR %vec
	.set vec, vec + 1
	.endr
