/*
 * kernel/user.c: running code at ring 3, and the system calls it makes.
 * Entering and leaving ring 3 is assembly (kernel/trapentry.S); address
 * spaces are kernel/uvm.c's. What is left here: the ring-1 stack traps
 * from user mode arrive on, the system-call gate and table, and two
 * system calls, exit and write.
 */
#include <stddef.h>
#include <string.h>

#include <lguest/lguest.h>

#include "early_console.h"
#include "hcall.h"
#include "irq.h"
#include "mm.h"
#include "trap.h"
#include "user.h"
#include "x86.h"

/* Copied through the kernel on its way to the console: the console sends
 * guest-physical addresses, which a user pointer is not. */
#define USER_WRITE_CHUNK 256

/*
 * The ring-1 stack for traps from ring 3, in the BSS so that it lies in
 * the linear map (the host pushes reflected frames at esp - PAGE_OFFSET,
 * spec §4.4), page-aligned so SET_STACK pins exactly its two pages.
 */
static uint8_t user_kstack[USER_KSTACK_PAGES * PAGE_SIZE]
	__attribute__((aligned(PAGE_SIZE)));

static syscall_fn user_syscalls[USER_NR_SYSCALLS];
static struct user_context user_ctx;
static bool user_running;

uint32_t user_kstack_top(void)
{
	return (uint32_t)(uintptr_t)(user_kstack + sizeof(user_kstack));
}

void user_set_stack(void)
{
	hcall(LHCALL_SET_STACK, LGUEST_KERNEL_DS, user_kstack_top(),
	      USER_KSTACK_PAGES);
}

void user_regs_init(struct user_regs *r, uint32_t eip, uint32_t esp)
{
	memset(r, 0, sizeof(*r));
	r->eip = eip;
	r->cs = LGUEST_USER_CS;
	r->eflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;
	r->esp = esp;
	r->ss = LGUEST_USER_DS;
}

int user_run(const struct user_regs *r)
{
	/* The way into ring 3 sets irq_enabled from r->eflags; ours comes
	 * back when the program is done. */
	uint32_t flags = irq_save();

	if (user_running)
		panic("user: user_run() is not reentrant");
	user_running = true;
	hcall_flush_pending(); /* see trap_dispatch() */
	int code = user_enter(&user_ctx, r);
	user_running = false;
	irq_restore(flags);
	return code;
}

void user_kill(int code)
{
	if (!user_running)
		panic("user: user_kill(%d) with no program running", code);
	user_return(&user_ctx, code);
}

void syscall_register(unsigned nr, syscall_fn fn)
{
	if (nr >= USER_NR_SYSCALLS)
		panic("user: no system call %u", nr);
	user_syscalls[nr] = fn;
}

static int32_t sys_exit(struct trap_frame *f)
{
	if (!trap_from_user(f))
		return -USER_ENOSYS; /* the kernel has nothing to exit to */
	user_kill((int)f->ebx);
}

/* Is [addr, addr + len) all below PAGE_OFFSET (Linux's access_ok())? */
static bool user_range_ok(uint32_t addr, uint32_t len)
{
	return addr < PAGE_OFFSET && len <= PAGE_OFFSET - addr;
}

/* write(fd, buf, len) to the console, for fd 1 and 2. The bytes are read
 * through the current page tables, so an unmapped buffer faults here
 * (with no fix-up, that is a panic unless someone handles #PF). */
static int32_t sys_write(struct trap_frame *f)
{
	uint32_t fd = f->ebx, buf = f->ecx, len = f->edx;
	char chunk[USER_WRITE_CHUNK];

	if (fd != 1 && fd != 2)
		return -USER_EBADF;
	if (!user_range_ok(buf, len) || len > INT32_MAX)
		return -USER_EFAULT;
	for (uint32_t done = 0; done < len;) {
		uint32_t n = len - done < sizeof(chunk) ? len - done
							: sizeof(chunk);
		memcpy(chunk, (const void *)(uintptr_t)(buf + done), n);
		early_console_write(chunk, n);
		done += n;
	}
	return (int32_t)len;
}

/*G:230 A system call. We arrive through the trap gate with the user's
 * registers saved in the frame: the number in %eax, arguments in %ebx,
 * %ecx and %edx, Linux-style. Since the gate is a trap gate, the host did
 * not touch irq_enabled, and the CPU pushed EFLAGS with the real IF, which
 * is always 1 in a guest -- so the way out turns virtual interrupts on,
 * just what a return to user mode should do anyway. :*/
static bool user_syscall(struct trap_frame *f)
{
	syscall_fn fn = f->eax < USER_NR_SYSCALLS ? user_syscalls[f->eax]
						   : NULL;

	f->eax = fn ? (uint32_t)fn(f) : (uint32_t)-USER_ENOSYS;
	return true;
}
/*:*/

/*G:200 User mode. The host runs our kernel at ring 1 and leaves ring 3 to
 * our programs, as Linux does. To get there we need three things from the
 * host. User segments: GDT entries 14 and 15 with DPL 3, loaded with the
 * rest of our GDT (kernel/segments.c). A stack for traps from ring 3: the
 * CPU (and the host, for the traps it reflects) switches to the stack we
 * name with SET_STACK, like TSS.esp0 on a native kernel. And a door back
 * in: `int $0x80`, which must be a DPL-3 *trap* gate -- only then does the
 * host let the CPU deliver it straight to our ring-1 handler without an
 * exit; any other 0x80 gate makes `int $0x80` a general-protection fault
 * (spec §4.5). :*/
void user_init(void)
{
	syscall_register(SYS_EXIT, sys_exit);
	syscall_register(SYS_WRITE, sys_write);
	trap_set_handler(SYSCALL_VECTOR, user_syscall);
	trap_set_gate(SYSCALL_VECTOR, LGUEST_IDT_TYPE_TRAP, 3);
	user_set_stack();
}
/*:*/
