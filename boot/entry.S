/*
 * boot/entry.S: the first instructions of the guest, for both ways it can
 * be started.
 *
 * Under an lguest host (the normal case) the launcher loads guest.elf at
 * the physical addresses in its program headers, ignores e_entry, and
 * scans the image for the 13 bytes "GenuineLguest": execution starts at
 * the virtual address just after them (spec §1.3). The host starts us at
 * ring 1 with paging on, only the PAGE_OFFSET mapping of RAM, ESP = 0 and
 * ESI = 0, the guest-physical address of the zero page (spec §1.5). So
 * the lguest entry loads a stack, turns ESI into a pointer and calls C.
 *
 * Someone may also boot guest.elf directly, with QEMU's -kernel or GRUB.
 * For them we carry a multiboot v1 header. It uses the "a.out kludge"
 * fields, so both loaders take the load and entry addresses from the
 * header (GRUB would otherwise insist that e_entry be a virtual address
 * inside a segment, and QEMU that it be physical). That path runs with
 * paging off at physical addresses, so it is a tiny stub that reaches its
 * data as symbol - PAGE_OFFSET and makes only relative jumps. It explains
 * on COM1 that this kernel needs an lguest host, then leaves QEMU through
 * the isa-debug-exit port with status 1 (QEMU exit code 3).
 *
 * Everything else (BSS, boot parameters, the hypercall handshake) is C:
 * kernel/main.c is the next stop.
 */
#define ASM_FILE 1
#include <multiboot.h>

#include "../kernel/layout.h"

#define MB_FLAGS MULTIBOOT_AOUT_KLUDGE	/* addresses come from the header */
#define PHYS(sym) ((sym) - PAGE_OFFSET)

/* The direct-boot stub's hardware: a 16550 UART and QEMU's exit device. */
#define COM1 0x3F8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THR_EMPTY 0x20
#define QEMU_EXIT_PORT 0xF4
#define DIRECT_BOOT_EXIT 0x01		/* QEMU exits with (1 << 1) | 1 = 3 */

/* linker.ld checks its own PAGE_OFFSET and PAGE_SIZE against these. */
	.globl	lgref_page_offset, lgref_page_size
	.set	lgref_page_offset, PAGE_OFFSET
	.set	lgref_page_size, PAGE_SIZE

/* .text.boot is the first thing in the image (linker.ld), so the multiboot
 * header is within the first 8 KiB of the file, as multiboot requires. */
	.section .text.boot, "ax"
	.balign	4
multiboot_header:
	.long	MULTIBOOT_HEADER_MAGIC
	.long	MB_FLAGS
	.long	-(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)	/* checksum */
	.long	PHYS(multiboot_header)	/* header_addr */
	.long	PHYS(_kernel_start)	/* load_addr: start of the image */
	.long	PHYS(_edata)		/* load_end_addr: end of file data */
	.long	PHYS(_end)		/* bss_end_addr: BSS and stack */
	.long	PHYS(multiboot_entry)	/* entry_addr */

/*G:010 Power-on, as far as the guest is concerned. The launcher has put
 * our ELF segments in guest memory at their physical addresses and searched
 * them for the bytes "GenuineLguest"; the host starts us right after them,
 * at ring 1, with paging on. Only one thing is mapped: all of RAM at
 * PAGE_OFFSET (0xC0000000) and up, where we are linked. We have no stack
 * (ESP is 0), so we load ours, and ESI holds the physical address of the
 * "zero page" of boot parameters (it is 0), which C wants as a pointer. :*/
	.ascii	"GenuineLguest"		/* no NUL: the entry follows at once */
	.globl	lguest_entry
lguest_entry:
	movl	$boot_stack_top, %esp	/* our stack, in the linear map */
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	cld
	leal	PAGE_OFFSET(%esi), %eax	/* zero page: gpa -> kernel pointer */
	pushl	%eax
	call	kernel_start		/* kernel/main.c; never returns */
1:	jmp	1b			/* (hlt would fault at ring 1) */
/*:*/

/*G:015 The other way in: a multiboot loader (QEMU -kernel, GRUB) jumped
 * here at physical address PHYS(multiboot_entry), paging off, ring 0. This
 * is not a machine we can run on, so say so on the first serial port and
 * leave. :*/
	.globl	multiboot_entry
multiboot_entry:
	cli
	cld
	/* COM1 to 115200 8N1 with FIFOs, as a BIOS or GRUB might not have. */
	.macro	COM1_OUT reg, value
	movw	$(COM1 + \reg), %dx
	movb	$\value, %al
	outb	%al, %dx
	.endm
	COM1_OUT UART_IER, 0x00		/* no UART interrupts */
	COM1_OUT UART_LCR, 0x80		/* DLAB: next two are the divisor */
	COM1_OUT UART_DATA, 0x01	/*   115200 baud */
	COM1_OUT UART_IER, 0x00
	COM1_OUT UART_LCR, 0x03		/* 8 bits, no parity, 1 stop bit */
	COM1_OUT UART_FCR, 0xC7		/* FIFOs on and cleared */
	COM1_OUT UART_MCR, 0x03		/* DTR, RTS */

	movl	$PHYS(direct_boot_message), %esi
2:	movb	(%esi), %cl		/* next byte; NUL ends the message */
	testb	%cl, %cl
	jz	4f
	movw	$(COM1 + UART_LSR), %dx
3:	inb	%dx, %al		/* poll until the transmitter is free */
	testb	$UART_LSR_THR_EMPTY, %al
	jz	3b
	movw	$(COM1 + UART_DATA), %dx
	movb	%cl, %al
	outb	%al, %dx
	incl	%esi
	jmp	2b

4:	movw	$QEMU_EXIT_PORT, %dx	/* QEMU: leave with status 3 */
	movl	$DIRECT_BOOT_EXIT, %eax
	outl	%eax, %dx
5:	hlt				/* elsewhere: stop here for good */
	jmp	5b
/*:*/

	.section .rodata
direct_boot_message:
	.ascii	"\r\nlgref: this is an lguest guest kernel "
	.ascii	"(Linux 2.6.23 lguest ABI).\r\n"
	.ascii	"lgref: it needs an lguest host and cannot run on bare "
	.ascii	"hardware.\r\n"
	.ascii	"lgref: boot it under lgref's host with: "
	.ascii	"tools/lguest 64 build/guest.elf\r\n"
	.byte	0

/* The launcher maps each segment from the file and refuses one with no
 * file content (spec §13), so the writable segment starts with this. */
	.section .data.first, "aw"
	.globl	lgref_ident
lgref_ident:
	.asciz	"lgref guest"

/* The boot stack, after the BSS so that clearing the BSS (in C, on this
 * stack) cannot wipe it. Below it, one page we leave unmapped (kernel/vm.c),
 * so an overflow faults instead of silently eating the BSS. */
	.section .stack, "aw", @nobits
	.balign	PAGE_SIZE
	.globl	boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip	PAGE_SIZE
boot_stack_bottom:
	.skip	BOOT_STACK_PAGES * PAGE_SIZE
boot_stack_top:
