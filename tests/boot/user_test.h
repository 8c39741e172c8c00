/*
 * tests/boot/user_test.h: what the ring-3 boot tests share: CHECK macros
 * that print "FAIL <file>:<line>: <expr>" (the runner fails on ^FAIL), the
 * user address-space layout, and a helper that builds a space with a
 * program's code and a stack.
 *
 * User programs are position-independent assembly blobs written in each
 * test between two labels; they are copied to USER_TEXT, so they can use
 * absolute user addresses and relative jumps, but nothing of the kernel.
 */
#ifndef LGREF_TESTS_BOOT_USER_TEST_H
#define LGREF_TESTS_BOOT_USER_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../kernel/app.h"
#include "../../kernel/palloc.h"
#include "../../kernel/segments.h"
#include "../../kernel/user.h"
#include "../../kernel/uvm.h"
#include "../../kernel/x86.h"
#include "boot_check.h"

/* Where things live in a test's user address space (Linux-like). No
 * integer suffixes: the user programs' assembly uses these too. */
#define USER_TEXT 0x08048000       /* the program, read-only */
#define USER_DATA 0x0804C000       /* one read/write data page */
#define USER_STACK_PAGE 0xBFFFF000 /* one stack page, just below */
#define USER_STACK_TOP 0xC0000000  /* PAGE_OFFSET */

/* For the user programs' assembly: stringify a macro's value. */
#define S_(x) X86_STR(x)

/* The user address of `label` in a blob copied to USER_TEXT. */
#define USER_ADDR(blob_start, label) \
	(USER_TEXT + (uint32_t)((label) - (blob_start)))

/*
 * A fresh address space with the blob [start, end) at USER_TEXT (user,
 * read-only), a zeroed data page at USER_DATA and a zeroed stack page
 * under USER_STACK_TOP (user, writable). Returns the data page's kernel
 * address. The space is not switched to.
 */
static inline void *user_space_new(struct uvm *as, const char *start,
				   const char *end)
{
	size_t len = (size_t)(end - start);

	if (len > PAGE_SIZE || uvm_create(as) != 0)
		panic("user_space_new: blob of %u bytes or out of memory",
		      (unsigned)len);
	memcpy(uvm_map_new(as, USER_TEXT, 0), start, len);
	uvm_map_new(as, USER_STACK_PAGE, X86_PTE_RW);
	return uvm_map_new(as, USER_DATA, X86_PTE_RW);
}

/* Run the program at user address `eip` on the standard stack, with
 * %esi and %edi preset (the tests' programs take arguments there). */
static inline int user_call(uint32_t eip, uint32_t esi, uint32_t edi)
{
	struct user_regs r;

	user_regs_init(&r, eip, USER_STACK_TOP);
	r.esi = esi;
	r.edi = edi;
	return user_run(&r);
}

#endif
