/*
 * host/arch/entry.S: the first instructions of the host.
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
	call host_trap			/* host/arch/cpu.c */
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

/*
 * uint64_t bench_ring1_int_iret(uint32_t n): the raw cost of a trap from
 * ring 1 to ring 0 and back, for `make bench`. We drop to ring 1 on the
 * host's flat DPL-1 segments (GDT 12 and 13), time n `int $0x40` whose
 * ring-0 handler is a bare iret, and come back through `int $0x41`. The
 * caller has mapped a Switcher region whose TSS.esp0 is a spare page.
 * Returns TSC ticks for the n round trips.
 */
	.text
	.globl bench_ring1_int_iret
bench_ring1_int_iret:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl 20(%esp), %ecx		/* n */
	movl %esp, bench_saved_esp
	pushl $0x69			/* ss: GDT 13, RPL 1 */
	pushl $bench_ring1_stack_top
	pushfl
	pushl $0x61			/* cs: GDT 12, RPL 1 */
	pushl $bench_ring1_loop
	iret
bench_ring1_loop:
	movl $0x69, %eax		/* %ds was nulled on the way out */
	movl %eax, %ds
	movl %eax, %es
	rdtsc
	movl %eax, %esi
	movl %edx, %edi
1:	int $0x40
	decl %ecx
	jnz 1b
	rdtsc
	subl %esi, %eax
	sbbl %edi, %edx
	int $0x41			/* home, with the count in edx:eax */

	.globl bench_iret_stub
bench_iret_stub:
	iret

	.globl bench_return_stub
bench_return_stub:
	movl $0x58, %ebx
	movl %ebx, %ds
	movl %ebx, %es
	movl %ebx, %ss
	movl bench_saved_esp, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	.data
	.align 4
bench_saved_esp:
	.long 0
	.bss
	.align 16
	.space 4096
bench_ring1_stack_top:
