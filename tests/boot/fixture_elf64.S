/*
 * tests/boot/fixture_elf64.S: a 64-bit ELF executable with the lguest
 * signature in it, for host_load_elf64.expect: the host must refuse it
 * as not ELFCLASS32 before looking any further. Built with gcc -m64 by
 * the Makefile; never run.
 */
	.text
	.globl _start
_start:
	.ascii "GenuineLguest"
	hlt
	.section .note.GNU-stack, "", @progbits
