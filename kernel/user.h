/*
 * kernel/user.h: user mode. A program runs at ring 3 with the flat user
 * segments (CS 0x73, SS/DS 0x7B), in whatever address space is current
 * (kernel/uvm.h), until it makes the exit system call or a trap handler
 * gives up on it; then user_run() returns in the kernel. System calls use
 * Linux's i386 convention: `int $0x80` with the number in %eax, arguments
 * in %ebx, %ecx, %edx, the result back in %eax. The gate is a DPL-3 trap
 * gate, so the CPU delivers it straight to ring 1, on the stack named with
 * SET_STACK, without the host (spec §4.5, §4.9). Included by
 * kernel/trapentry.S too, hence the __ASSEMBLER__ guard.
 */
#ifndef LGREF_KERNEL_USER_H
#define LGREF_KERNEL_USER_H

/* struct user_context and struct user_regs, for trapentry.S. */
#define USER_CTX_EBX 0
#define USER_CTX_ESI 4
#define USER_CTX_EDI 8
#define USER_CTX_EBP 12
#define USER_CTX_ESP 16
#define USER_REGS_SIZE 52

/* Linux i386 system call numbers and error numbers (returned negated). */
#define SYS_EXIT 1
#define SYS_WRITE 4
#define USER_NR_SYSCALLS 256
#define USER_EBADF 9
#define USER_EFAULT 14
#define USER_ENOSYS 38

/* The stack traps from ring 3 arrive on: two pages (spec §4.9 maximum). */
#define USER_KSTACK_PAGES 2

#ifndef __ASSEMBLER__

#include <stdint.h>

#include "trap.h"

/* Where the kernel was when it entered user mode (trapentry.S). */
struct user_context {
	uint32_t ebx, esi, edi, ebp, esp;
};
_Static_assert(__builtin_offsetof(struct user_context, ebx) == USER_CTX_EBX,
	       "trapentry.S");
_Static_assert(__builtin_offsetof(struct user_context, esi) == USER_CTX_ESI,
	       "trapentry.S");
_Static_assert(__builtin_offsetof(struct user_context, edi) == USER_CTX_EDI,
	       "trapentry.S");
_Static_assert(__builtin_offsetof(struct user_context, ebp) == USER_CTX_EBP,
	       "trapentry.S");
_Static_assert(__builtin_offsetof(struct user_context, esp) == USER_CTX_ESP,
	       "trapentry.S");

/*
 * A program's registers on entry, in the order trapentry.S pops them:
 * pushal's image, then the iret frame to ring 3.
 */
struct user_regs {
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
	uint32_t eip, cs, eflags, esp, ss;
};
_Static_assert(sizeof(struct user_regs) == USER_REGS_SIZE, "trapentry.S");

/* A system call: arguments in f->ebx, f->ecx, f->edx; returns %eax. */
typedef int32_t (*syscall_fn)(struct trap_frame *f);

/*
 * Get ready for user mode: the system-call gate (a DPL-3 trap gate at
 * 0x80), exit and write, and the ring-1 stack for traps from ring 3
 * (SET_STACK). Call once, after the kernel is up.
 */
void user_init(void);

/* Tell the host again which stack traps from ring 3 use (SET_STACK), as
 * Linux does after every address-space switch (kernel/uvm.c). */
void user_set_stack(void);

/* The top of that stack: a frame from ring 3 ends exactly here. */
uint32_t user_kstack_top(void);

/* Registers for a program starting at `eip` with stack `esp`: user
 * segments, virtual interrupts on, everything else 0. */
void user_regs_init(struct user_regs *r, uint32_t eip, uint32_t esp);

/*
 * Run a program at ring 3 from `r` until it exits; returns its exit code
 * (or what user_kill() said). Not reentrant. The caller's virtual
 * interrupt state is restored on return.
 */
int user_run(const struct user_regs *r);

/*
 * End the running program from a trap handler or system call (on the
 * ring-1 stack): user_run() returns `code`. Never returns.
 */
__attribute__((noreturn)) void user_kill(int code);

/* Install `fn` as system call `nr` (< USER_NR_SYSCALLS). */
void syscall_register(unsigned nr, syscall_fn fn);

/* trapentry.S */
int user_enter(struct user_context *ctx, const struct user_regs *regs);
__attribute__((noreturn)) void user_return(const struct user_context *ctx,
					   int code);

#endif /* !__ASSEMBLER__ */

#endif
