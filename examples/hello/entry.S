/*
 * examples/hello/entry.S: the first instructions of the minimal guest
 * (docs/guest-guide.md, step 1).
 *
 * The launcher does not use the ELF entry point. It loads our segments,
 * then searches them for the 13 bytes "GenuineLguest" and starts us at
 * the VIRTUAL address just after them (docs/abi.md §1.4). The host enters
 * at ring 1 with paging on and all of RAM mapped at page_offset, but with
 * ESP = 0: we have no stack yet. ESI holds the guest-physical address of
 * the zero page, which is 0 (§1.6). Three jobs, then C.
 */
	.section .text.entry, "ax"	/* hello.ld puts this first */
	.ascii	"GenuineLguest"		/* no NUL: our entry is the next byte */
	.globl	hello_entry
hello_entry:
	/* 1. Clear the BSS. The launcher maps the file's bytes and leaves the
	 *    rest of the last page as the file had it: BSS is NOT zero
	 *    (§1.4). rep stosb needs no stack, and leaves ESI alone. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	cld
	rep stosb

	/* 2. A stack: the one reserved below, now zeroed. */
	movl	$hello_stack_top, %esp
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */

	/* 3. C, with the zero page's guest-physical address as argument. */
	pushl	%esi
	call	hello_main		/* hello.c; it never returns */
1:	jmp	1b			/* hlt would fault at ring 1 */

/* 4 KiB of stack. In .bss: it takes no room in the file. */
	.section .bss
	.balign	16
hello_stack:
	.skip	4096
hello_stack_top:
