/*
 * tests/boot/guest_user.c: ring 3 and the system-call gate, as a Linux
 * guest with user space needs them (spec §1.5, §3.1, §4.4, §4.5, §4.8,
 * §4.9, §4.13).
 *
 * A program runs at ring 3 (CS 0x73, SS/DS 0x7B, GDT entries 14/15 with
 * DPL 3) from user pages at 0x08048000 in an address space of its own, and
 * comes back through `int $0x80`:
 *
 *  - write(1, ...) reaches the console; exit() returns to the kernel.
 *  - 0x80 as a DPL-3 trap gate is direct (§4.5): with virtual interrupts
 *    off, the handler still sees EFLAGS.IF = 1 in the frame and
 *    irq_enabled = 0 (a host-built frame would have IF = 0), CS 0x73, the
 *    user's SS:ESP pushed, and the frame ends exactly at the SET_STACK top.
 *    Arguments arrive in registers, the result goes back in %eax, all other
 *    registers survive. `int $0x80` from ring 1 works too, without a stack
 *    switch (Linux's kernel_execve() does that).
 *  - 0x80 as an interrupt gate, or not installed: #GP with error code
 *    0x402, reflected (§4.5 quirk), with IF = 0 in the frame.
 *  - ring-3 int3 through a DPL-3 interrupt gate: #GP(3*8+2 = 0x1a) at the
 *    int3; through a DPL-3 trap gate: delivered directly, EIP after it.
 *  - the exceptions Linux installs as trap gates (divide error, into,
 *    ud2, a not-present segment with its error code) are delivered
 *    directly from ring 3 too.
 *  - ring 3 can't make hypercalls: `int $0x1f` is #GP(0xfa) (§3.1); a
 *    stray sysenter faults (§4.13); rdtsc works (no CR4.TSD, §12).
 *  - virtual interrupts (the timer) are delivered while the guest is in
 *    ring 3, on the SET_STACK stack, and the program goes on afterwards;
 *    a program that spins without ever exiting keeps getting ticks
 *    (kernel/trap.c flushes the async ring on the way back to ring 3).
 */
#include "user_test.h"

#define SYS_PROBE 200         /* records its frame, returns PROBE_RESULT */
#define SYS_UNUSED 255        /* never registered: -ENOSYS */
#define PROBE_RESULT 0x600DF00D
#define PROBE_ESP_DROP 12     /* the probe program moves its ESP down */
#define EXIT_INT3 0x33        /* exit code after the int3 */
#define EXIT_RDTSC 0x7D5C
#define TIMER_TICKS 3         /* timer interrupts u_spin waits for */
#define KILLED_GP 0x70D       /* user_kill() code of our #GP handler */
#define KILLED_DIRECT 0xD1EC7 /* user_kill() code of on_direct() */
#define EXIT_INTO 0x44        /* exit code after into */

/*
 * The user programs. Each ends in exit(); u_exit exits with %esi.
 */
__asm__(".pushsection .text.user_blob, \"ax\"\n"
	"user_blob_start:\n"
	"u_exit:\n"
	"	movl %esi, %ebx\n"
	"	movl $" S_(SYS_EXIT) ", %eax\n"
	"u_exit_int:\n"
	"	int $0x80\n"
	"	ud2\n"

	"u_hello:\n"
	"	movl $" S_(SYS_WRITE) ", %eax\n"
	"	movl $1, %ebx\n"
	"	movl $(" S_(USER_TEXT) " + (u_msg - user_blob_start)), %ecx\n"
	"	movl $(u_msg_end - u_msg), %edx\n"
	"	int $0x80\n"
	"	movl %eax, %ebx\n"
	"	movl $" S_(SYS_EXIT) ", %eax\n"
	"	int $0x80\n"
	"	ud2\n"
	"u_msg:	.ascii \"hello from ring 3\\n\"\n"
	"u_msg_end:\n"

	/* write() with a kernel pointer: -EFAULT */
	"u_write_bad:\n"
	"	movl $" S_(SYS_WRITE) ", %eax\n"
	"	movl $1, %ebx\n"
	"	movl $" S_(PAGE_OFFSET) ", %ecx\n"
	"	movl $16, %edx\n"
	"	int $0x80\n"
	"	movl %eax, %esi\n"
	"	jmp u_exit\n"

	/* an unknown system call: -ENOSYS */
	"u_nosys:\n"
	"	movl $" S_(SYS_UNUSED) ", %eax\n"
	"	int $0x80\n"
	"	movl %eax, %esi\n"
	"	jmp u_exit\n"

	/* the probe: known registers in, check they all survive */
	"u_probe:\n"
	"	movl $0x11111111, %ebx\n"
	"	movl $0x22222222, %ecx\n"
	"	movl $0x33333333, %edx\n"
	"	movl $0x44444444, %esi\n"
	"	movl $0x55555555, %edi\n"
	"	movl $0x66666666, %ebp\n"
	"	subl $" S_(PROBE_ESP_DROP) ", %esp\n"
	"	movl $" S_(SYS_PROBE) ", %eax\n"
	"	int $0x80\n"
	"u_probe_ret:\n"
	"	cmpl $0x11111111, %ebx\n"
	"	jne 1f\n"
	"	cmpl $0x22222222, %ecx\n"
	"	jne 1f\n"
	"	cmpl $0x33333333, %edx\n"
	"	jne 1f\n"
	"	cmpl $0x44444444, %esi\n"
	"	jne 1f\n"
	"	cmpl $0x55555555, %edi\n"
	"	jne 1f\n"
	"	cmpl $0x66666666, %ebp\n"
	"	jne 1f\n"
	"	cmpl $(" S_(USER_STACK_TOP) " - " S_(PROBE_ESP_DROP) "), %esp\n"
	"	jne 1f\n"
	"	movl %eax, %esi\n"
	"	jmp u_exit\n"
	"1:	movl $-1, %esi\n"
	"	jmp u_exit\n"

	"u_int3:\n"
	"u_int3_at:\n"
	"	int3\n"
	"u_int3_after:\n"
	"	movl $" S_(EXIT_INT3) ", %esi\n"
	"	jmp u_exit\n"

	"u_hcall:\n"
	"u_hcall_at:\n"
	"	int $0x1f\n"
	"	movl $0, %esi\n"
	"	jmp u_exit\n"

	"u_sysenter:\n"
	"u_sysenter_at:\n"
	"	sysenter\n"
	"	movl $0, %esi\n"
	"	jmp u_exit\n"

	/* two rdtsc readings; exit(EXIT_RDTSC) if time went forwards */
	"u_rdtsc:\n"
	"	rdtsc\n"
	"	movl %eax, %esi\n"
	"	movl %edx, %edi\n"
	"	rdtsc\n"
	"	subl %esi, %eax\n"
	"	sbbl %edi, %edx\n"
	"	movl $0, %esi\n"
	"	jb u_exit\n"
	"	orl %edx, %eax\n"
	"	jz u_exit\n"
	"	movl $" S_(EXIT_RDTSC) ", %esi\n"
	"	jmp u_exit\n"

	/* spin until the kernel's timer hook has counted TIMER_TICKS
	 * interrupts taken in ring 3; exit(count) */
	"u_spin:\n"
	"1:	movl " S_(USER_DATA) ", %esi\n"
	"	cmpl $" S_(TIMER_TICKS) ", %esi\n"
	"	jb 1b\n"
	"	jmp u_exit\n"

	/* Exceptions Linux takes through trap gates. */
	"u_div0:\n"
	"	xorl %ecx, %ecx\n"
	"	movl $1, %eax\n"
	"	xorl %edx, %edx\n"
	"u_div0_at:\n"
	"	divl %ecx\n"
	"	jmp u_exit\n"
	"u_into:\n"
	"	movl $0x7fffffff, %eax\n"
	"	addl $1, %eax\n"            /* sets OF */
	"	into\n"
	"u_into_after:\n"
	"	movl $" S_(EXIT_INTO) ", %esi\n"
	"	jmp u_exit\n"
	"u_ud2:\n"
	"u_ud2_at:\n"
	"	ud2\n"
	"u_np:\n"
	"	movl $0x3b, %eax\n"
	"u_np_at:\n"
	"	movl %eax, %fs\n"
	"	jmp u_exit\n"
	"user_blob_end:\n"
	".popsection\n");

extern const char user_blob_start[], user_blob_end[], u_exit[], u_exit_int[],
	u_hello[], u_write_bad[], u_nosys[], u_probe[], u_probe_ret[],
	u_int3[], u_int3_at[], u_int3_after[], u_hcall[], u_hcall_at[],
	u_sysenter[], u_sysenter_at[], u_rdtsc[], u_spin[], u_div0[],
	u_div0_at[], u_into[], u_into_after[], u_ud2[], u_ud2_at[], u_np[],
	u_np_at[];

#define UA(label) USER_ADDR(user_blob_start, label)

/* What a handler saw, for app_main() to check afterwards. */
struct seen {
	unsigned count;
	uint32_t err, eip, cs, eflags, user_esp, user_ss;
	uint32_t frame_end;   /* just above the frame's last word */
	uint32_t irq_enabled; /* lguest_data.irq_enabled on entry */
	uint32_t ebx, ecx, edx;
};

static struct seen seen_probe, seen_bp, seen_gp, seen_timer, seen_direct;
static volatile uint32_t *user_data; /* the data page, kernel address */

static void record(struct seen *s, const struct trap_frame *f)
{
	s->count++;
	s->err = f->err;
	s->eip = f->eip;
	s->cs = f->cs & 0xFFFF;
	s->eflags = f->eflags;
	s->irq_enabled = lguest_data.irq_enabled;
	s->ebx = f->ebx;
	s->ecx = f->ecx;
	s->edx = f->edx;
	if (trap_from_user(f)) {
		s->user_esp = f->user_esp;
		s->user_ss = f->user_ss & 0xFFFF;
		s->frame_end = (uint32_t)(uintptr_t)(&f->user_ss + 1);
	} else {
		s->user_esp = s->user_ss = 0;
		s->frame_end = (uint32_t)(uintptr_t)&f->user_esp;
	}
}

static int32_t sys_probe(struct trap_frame *f)
{
	record(&seen_probe, f);
	return (int32_t)PROBE_RESULT;
}

static bool on_breakpoint(struct trap_frame *f)
{
	record(&seen_bp, f);
	return true; /* a trap: EIP is already past the int3 */
}

/* Exceptions through Linux's trap gates: resume after into (a trap),
 * kill the program for the faults. */
static bool on_direct(struct trap_frame *f)
{
	if (!trap_from_user(f))
		return false;
	record(&seen_direct, f);
	seen_direct.ecx = f->vector; /* which one */
	if (f->vector == 4)
		return true;
	user_kill(KILLED_DIRECT);
}

static bool on_gp(struct trap_frame *f)
{
	if (!trap_from_user(f))
		return false; /* not ours: panic */
	record(&seen_gp, f);
	user_kill(KILLED_GP);
}

/* The timer's vector: count the interrupts that found us in ring 3 (in
 * the program's data page), keeping the details of the first; then let
 * the timer driver have it (return false). */
static bool on_timer(struct trap_frame *f)
{
	if (trap_from_user(f)) {
		if (seen_timer.count == 0)
			record(&seen_timer, f);
		else
			seen_timer.count++;
		*user_data = seen_timer.count;
	}
	return false;
}

static struct user_regs regs_for(const char *label, bool irqs_on)
{
	struct user_regs r;

	user_regs_init(&r, UA(label), USER_STACK_TOP);
	if (!irqs_on)
		r.eflags &= ~X86_EFLAGS_IF;
	return r;
}

/* Run `label` with virtual interrupts off; expect #GP with `err` at `at`. */
static void expect_gp(const char *what, const char *label, const char *at,
		      uint32_t err)
{
	struct user_regs r = regs_for(label, false);

	memset(&seen_gp, 0, sizeof(seen_gp));
	int code = user_run(&r);
	CHECK_EQ(code, KILLED_GP);
	CHECK_EQ(seen_gp.count, 1);
	CHECK_EQ(seen_gp.err, err);
	CHECK_EQ(seen_gp.eip, UA(at));
	CHECK_EQ(seen_gp.cs, LGUEST_USER_CS);
	CHECK_EQ(seen_gp.user_ss, LGUEST_USER_DS);
	CHECK_EQ(seen_gp.user_esp, USER_STACK_TOP);
	CHECK_EQ(seen_gp.frame_end, user_kstack_top());
	CHECK_EQ(seen_gp.eflags & X86_EFLAGS_IF, 0); /* reflected by the host */
	printf("%s: #GP err=0x%03lx cs=0x%04lx eflags.IF=%lu\n", what,
	       (unsigned long)seen_gp.err, (unsigned long)seen_gp.cs,
	       (unsigned long)((seen_gp.eflags >> 9) & 1));
}

static void test_hello(void)
{
	int code = user_call(UA(u_hello), 0, 0);

	CHECK_EQ(code, 18); /* strlen("hello from ring 3\n") */
	printf("write+exit from ring 3: exit code %d\n", code);
	CHECK_EQ(user_call(UA(u_write_bad), 0, 0), -USER_EFAULT);
	CHECK_EQ(user_call(UA(u_nosys), 0, 0), -USER_ENOSYS);
	CHECK_EQ(user_call(UA(u_exit), 0x1234, 0), 0x1234);
}

static void test_direct_syscall(void)
{
	struct user_regs r = regs_for(u_probe, false);

	int code = user_run(&r);
	CHECK_EQ(code, PROBE_RESULT);
	CHECK_EQ(seen_probe.count, 1);
	CHECK_EQ(seen_probe.cs, LGUEST_USER_CS);
	CHECK_EQ(seen_probe.user_ss, LGUEST_USER_DS);
	CHECK_EQ(seen_probe.user_esp, USER_STACK_TOP - PROBE_ESP_DROP);
	CHECK_EQ(seen_probe.eip, UA(u_probe_ret));
	CHECK_EQ(seen_probe.frame_end, user_kstack_top());
	CHECK_EQ(seen_probe.eflags & X86_EFLAGS_IF, X86_EFLAGS_IF);
	CHECK_EQ(seen_probe.irq_enabled, 0);
	CHECK_EQ(seen_probe.ebx, 0x11111111);
	CHECK_EQ(seen_probe.ecx, 0x22222222);
	CHECK_EQ(seen_probe.edx, 0x33333333);
	printf("int 0x80 direct: cs=0x%04lx ss=0x%04lx esp=0x%08lx "
	       "eflags.IF=%lu irq_enabled=%lu on the SET_STACK stack: %s\n",
	       (unsigned long)seen_probe.cs, (unsigned long)seen_probe.user_ss,
	       (unsigned long)seen_probe.user_esp,
	       (unsigned long)((seen_probe.eflags >> 9) & 1),
	       (unsigned long)seen_probe.irq_enabled,
	       seen_probe.frame_end == user_kstack_top() ? "yes" : "no");
	printf("syscall result 0x%08lx, registers preserved: %s\n",
	       (unsigned long)code, code == (int)PROBE_RESULT ? "yes" : "no");

	/* From ring 1: same gate, no stack switch, no host. */
	uint32_t eax = SYS_PROBE, here;
	memset(&seen_probe, 0, sizeof(seen_probe));
	__asm__ volatile("movl %%esp, %1\n\tint $0x80"
			 : "+a"(eax), "=&r"(here)
			 :
			 : "memory");
	CHECK_EQ(eax, PROBE_RESULT);
	CHECK_EQ(seen_probe.count, 1);
	CHECK_EQ(seen_probe.cs, LGUEST_KERNEL_CS);
	CHECK_EQ(seen_probe.frame_end, here);
	printf("int 0x80 from ring 1: cs=0x%04lx, frame on the same stack: %s\n",
	       (unsigned long)seen_probe.cs,
	       seen_probe.frame_end == here ? "yes" : "no");
}

static void test_gates(void)
{
	/* The system call through other kinds of 0x80 gate. */
	trap_set_gate(SYSCALL_VECTOR, LGUEST_IDT_TYPE_INTERRUPT, 3);
	expect_gp("int 0x80 via a DPL-3 interrupt gate", u_exit, u_exit_int,
		  SYSCALL_VECTOR * 8 + 2);
	trap_clear_gate(SYSCALL_VECTOR);
	expect_gp("int 0x80 with no gate", u_exit, u_exit_int,
		  SYSCALL_VECTOR * 8 + 2);
	trap_set_gate(SYSCALL_VECTOR, LGUEST_IDT_TYPE_TRAP, 3);
	CHECK_EQ(user_call(UA(u_exit), 0x80, 0), 0x80);

	/* int3 through a DPL-3 interrupt gate (what Linux installs) ... */
	trap_set_gate(TRAP_BP, LGUEST_IDT_TYPE_INTERRUPT, 3);
	expect_gp("int3 via a DPL-3 interrupt gate", u_int3, u_int3_at,
		  TRAP_BP * 8 + 2);
	CHECK_EQ(seen_bp.count, 0);

	/* ... and through a DPL-3 trap gate: direct. */
	trap_set_gate(TRAP_BP, LGUEST_IDT_TYPE_TRAP, 3);
	struct user_regs r = regs_for(u_int3, false);
	int code = user_run(&r);
	CHECK_EQ(code, EXIT_INT3);
	CHECK_EQ(seen_bp.count, 1);
	CHECK_EQ(seen_bp.eip, UA(u_int3_after));
	CHECK_EQ(seen_bp.cs, LGUEST_USER_CS);
	CHECK_EQ(seen_bp.user_ss, LGUEST_USER_DS);
	CHECK_EQ(seen_bp.frame_end, user_kstack_top());
	CHECK_EQ(seen_bp.eflags & X86_EFLAGS_IF, X86_EFLAGS_IF);
	CHECK_EQ(seen_bp.irq_enabled, 0);
	printf("int3 via a DPL-3 trap gate: direct, eip=int3+1: %s, "
	       "eflags.IF=%lu, exit code 0x%02x\n",
	       seen_bp.eip == UA(u_int3_after) ? "yes" : "no",
	       (unsigned long)((seen_bp.eflags >> 9) & 1), code);
	trap_set_gate(TRAP_BP, LGUEST_IDT_TYPE_INTERRUPT, GUEST_PL);

	/* No hypercalls from ring 3; no sysenter. */
	expect_gp("int 0x1f (hypercall) from ring 3", u_hcall, u_hcall_at,
		  LGUEST_TRAP_ENTRY * 8 + 2);
	expect_gp("sysenter from ring 3", u_sysenter, u_sysenter_at, 0);
	CHECK_EQ(user_call(UA(u_rdtsc), 0, 0), EXIT_RDTSC);
	printf("rdtsc from ring 3: works\n");
}

/*
 * Linux's exception gates (arch/i386 trap_init(): set_trap_gate() is DPL
 * 0, set_system_gate() DPL 3): trap gates, so the host lets the CPU
 * deliver them directly, error code and all. Run with virtual interrupts
 * off: IF = 1 in the frame then shows no host built it.
 */
static void expect_direct(const char *what, unsigned vector, const char *prog,
			  const char *at, int want_code, uint32_t err)
{
	struct user_regs r = regs_for(prog, false);

	memset(&seen_direct, 0, sizeof(seen_direct));
	int code = user_run(&r);
	CHECK_EQ(code, want_code);
	CHECK_EQ(seen_direct.count, 1);
	CHECK_EQ(seen_direct.ecx, vector);
	CHECK_EQ(seen_direct.err, err);
	CHECK_EQ(seen_direct.eip, UA(at));
	CHECK_EQ(seen_direct.cs, LGUEST_USER_CS);
	CHECK_EQ(seen_direct.user_ss, LGUEST_USER_DS);
	CHECK_EQ(seen_direct.frame_end, user_kstack_top());
	CHECK_EQ(seen_direct.eflags & X86_EFLAGS_IF, X86_EFLAGS_IF);
	CHECK_EQ(seen_direct.irq_enabled, 0);
	printf("%s (#%u) via a trap gate: direct, err=0x%02lx eflags.IF=%lu\n",
	       what, vector, (unsigned long)seen_direct.err,
	       (unsigned long)((seen_direct.eflags >> 9) & 1));
}

static void test_linux_trap_gates(void)
{
	static const struct {
		unsigned vector, dpl;
	} gates[] = {{0, 0}, {4, 3}, {6, 0}, {11, 0}};
	static struct x86_desc tls[GDT_ENTRY_TLS_ENTRIES];

	for (unsigned i = 0; i < sizeof(gates) / sizeof(gates[0]); i++) {
		trap_set_gate(gates[i].vector, LGUEST_IDT_TYPE_TRAP,
			      gates[i].dpl);
		trap_set_handler(gates[i].vector, on_direct);
	}
	/* TLS entry 7: a user data segment marked not present. */
	tls[1] = x86_data_segment(USER_DATA, 0xFFFFF, 3);
	tls[1].hi &= ~(X86_SEG_PRESENT << 8);
	segments_load_tls(tls);

	expect_direct("divide error", 0, u_div0, u_div0_at, KILLED_DIRECT, 0);
	expect_direct("into", 4, u_into, u_into_after, EXIT_INTO, 0);
	expect_direct("ud2", 6, u_ud2, u_ud2_at, KILLED_DIRECT, 0);
	expect_direct("not-present %fs load", 11, u_np, u_np_at,
		      KILLED_DIRECT, 7 * 8);

	for (unsigned i = 0; i < sizeof(gates) / sizeof(gates[0]); i++) {
		trap_set_gate(gates[i].vector, LGUEST_IDT_TYPE_INTERRUPT,
			      GUEST_PL);
		trap_set_handler(gates[i].vector, NULL);
	}
}

static void test_timer_in_ring3(void)
{
	*user_data = 0;
	int code = user_call(UA(u_spin), 0, 0);
	CHECK_EQ(code, TIMER_TICKS);
	CHECK_EQ(seen_timer.count, TIMER_TICKS);
	CHECK_EQ(seen_timer.cs, LGUEST_USER_CS);
	CHECK_EQ(seen_timer.user_ss, LGUEST_USER_DS);
	CHECK_EQ(seen_timer.user_esp, USER_STACK_TOP);
	CHECK_EQ(seen_timer.frame_end, user_kstack_top());
	CHECK_EQ(seen_timer.eflags & X86_EFLAGS_IF, X86_EFLAGS_IF);
	CHECK_EQ(seen_timer.irq_enabled, 0); /* an interrupt gate */
	printf("%u timer interrupts while spinning in ring 3: cs=0x%04lx "
	       "ss=0x%04lx on the SET_STACK stack: %s\n", seen_timer.count,
	       (unsigned long)seen_timer.cs, (unsigned long)seen_timer.user_ss,
	       seen_timer.frame_end == user_kstack_top() ? "yes" : "no");
}

void app_main(void)
{
	struct uvm as;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST guest_user START\n");
	user_init();
	syscall_register(SYS_PROBE, sys_probe);
	trap_set_handler(TRAP_BP, on_breakpoint);
	trap_set_handler(TRAP_GP, on_gp);
	trap_set_handler(FIRST_EXTERNAL_VECTOR + LGUEST_TIMER_IRQ, on_timer);
	user_data = user_space_new(&as, user_blob_start, user_blob_end);
	uvm_switch(&as);
	fflush(stdout);

	test_hello();
	test_direct_syscall();
	test_gates();
	test_linux_trap_gates();
	test_timer_in_ring3();

	uvm_switch(NULL);
	test_finish("guest_user");
}
