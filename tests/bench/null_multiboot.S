/*
 * tests/bench/null_multiboot.S: the smallest multiboot kernel that leaves
 * QEMU. `make bench` times it as the floor of QEMU start-up, so the host's
 * boot timeline can be read against it.
 */
#define ASM_FILE 1
#include <multiboot.h>

	.section .multiboot, "a"
	.align 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_PAGE_ALIGN
	.long -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_PAGE_ALIGN)

	.text
	.globl host_entry
host_entry:
	movw $0xf4, %dx		/* isa-debug-exit */
	movl $0x10, %eax	/* same status as a powered-off host */
	outl %eax, %dx
1:	hlt
	jmp 1b

	/* One word of data: host/arch/linker.ld aligns .data to a page (the
	 * exit path's data page), and an empty data segment with that
	 * alignment is a LOAD of size 0, which QEMU's ELF loader refuses
	 * ("Error while fetching elf kernel from rom"). */
	.data
	.long 0
