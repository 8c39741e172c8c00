/*
 * tests/boot/guest_portio.c: port I/O from the guest kernel is tolerated
 * and emulated as "nothing there" (spec §4.5 "13 (general protection)",
 * §12), as Linux's drivers probing for legacy hardware need.
 *
 * At ring 1 with IOPL 0 every in/out raises #GP(0); the host looks at the
 * opcode at EIP (>= PAGE_OFFSET) and emulates it: OUT is dropped; IN with
 * an odd opcode (in/inl/inw, 0xE5/0xED) sets EAX to 0xFFFFFFFF; the quirk:
 * IN with an even opcode (inb, 0xE4/0xEC) ORs 0xFFFF into EAX, or
 * 0xFFFF0000 behind a 0x66 prefix. EIP then moves past the instruction
 * (imm8 forms are 2 bytes, dx forms 1, plus the prefix). We check the
 * exact EAX for each form from a known starting value, that EDX survives,
 * and that OUT really goes nowhere: one writes 0 to port 0xF4, QEMU's
 * isa-debug-exit, which would end the run with the wrong status.
 *
 * What is not port I/O is reflected as #GP: cli and hlt at ring 1
 * (error 0), a load of the host's ring-0 data selector 0x58 (error 0x58);
 * and port I/O from ring 3 is not emulated (EIP below PAGE_OFFSET): #GP(0)
 * to the guest.
 */
#include "user_test.h"

#define EAX_IN 0x12345678u
#define KILLED_GP 0x70D

/* Each helper: uint32_t f(uint32_t eax, uint32_t edx), returns EAX after
 * one I/O instruction; the EDX check is folded in by returning through
 * io_edx_out. */
__asm__(".text\n"
	".macro IO_FN name, insn:vararg\n"
	"\\name:\n"
	"	movl 4(%esp), %eax\n"
	"	movl 8(%esp), %edx\n"
	"	\\insn\n"
	"	movl %edx, io_edx_out\n"
	"	ret\n"
	".endm\n"
	"IO_FN io_inb_imm, inb $0x60, %al\n"     /* E4 60 */
	"IO_FN io_inb_dx, inb %dx, %al\n"        /* EC */
	"IO_FN io_inl_imm, inl $0x60, %eax\n"    /* E5 60 */
	"IO_FN io_inl_dx, inl %dx, %eax\n"       /* ED */
	"IO_FN io_inw_imm, inw $0x60, %ax\n"     /* 66 E5 60 */
	"IO_FN io_inw_dx, inw %dx, %ax\n"        /* 66 ED */
	"IO_FN io_inb_imm_66, .byte 0x66, 0xE4, 0x60\n" /* 66 E4 60 */
	"IO_FN io_inb_dx_66, .byte 0x66, 0xEC\n" /* 66 EC */
	"IO_FN io_outb_imm, outb %al, $0x80\n"   /* E6 80 */
	"IO_FN io_outb_dx, outb %al, %dx\n"      /* EE */
	"IO_FN io_outl_imm, outl %eax, $0x80\n"  /* E7 80 */
	"IO_FN io_outl_dx, outl %eax, %dx\n"     /* EF */
	"IO_FN io_outw_dx, outw %ax, %dx\n"      /* 66 EF */
	/* Not port I/O: each is followed by its resume label. */
	"gp_cli:\n"
	"gp_cli_at:\n"
	"	cli\n"
	"gp_cli_next:\n"
	"	ret\n"
	"gp_hlt:\n"
	"gp_hlt_at:\n"
	"	hlt\n"
	"gp_hlt_next:\n"
	"	ret\n"
	"gp_ds:\n"
	"	movl $0x58, %eax\n"
	"gp_ds_at:\n"
	"	movl %eax, %ds\n"
	"gp_ds_next:\n"
	"	ret\n"

	".pushsection .text.user_blob, \"ax\"\n"
	"user_blob_start:\n"
	"u_inb:\n"
	"u_inb_at:\n"
	"	inb $0x60, %al\n"
	"	movl $0, %ebx\n"
	"	movl $" S_(SYS_EXIT) ", %eax\n"
	"	int $0x80\n"
	"user_blob_end:\n"
	".popsection\n");

typedef uint32_t io_fn(uint32_t eax, uint32_t edx);
extern io_fn io_inb_imm, io_inb_dx, io_inl_imm, io_inl_dx, io_inw_imm,
	io_inw_dx, io_inb_imm_66, io_inb_dx_66, io_outb_imm, io_outb_dx,
	io_outl_imm, io_outl_dx, io_outw_dx;
extern void gp_cli(void), gp_hlt(void), gp_ds(void);
extern const char gp_cli_at[], gp_cli_next[], gp_hlt_at[], gp_hlt_next[],
	gp_ds_at[], gp_ds_next[];
extern const char user_blob_start[], user_blob_end[], u_inb[], u_inb_at[];
uint32_t io_edx_out;

static const struct {
	const char *name;
	io_fn *fn;
	uint32_t edx, want;
} io_cases[] = {
	{"inb $0x60 (E4)", io_inb_imm, 0, EAX_IN | 0xFFFF},
	{"inb %dx (EC)", io_inb_dx, 0x3F8, EAX_IN | 0xFFFF},
	{"inl $0x60 (E5)", io_inl_imm, 0, 0xFFFFFFFF},
	{"inl %dx (ED)", io_inl_dx, 0x3F8, 0xFFFFFFFF},
	{"inw $0x60 (66 E5)", io_inw_imm, 0, 0xFFFFFFFF},
	{"inw %dx (66 ED)", io_inw_dx, 0x3F8, 0xFFFFFFFF},
	{"66 E4 60", io_inb_imm_66, 0, EAX_IN | 0xFFFF0000},
	{"66 EC", io_inb_dx_66, 0x3F8, EAX_IN | 0xFFFF0000},
	{"outb $0x80 (E6)", io_outb_imm, 0, EAX_IN},
	{"outb %dx (EE) to 0xf4", io_outb_dx, 0xF4, EAX_IN},
	{"outl $0x80 (E7)", io_outl_imm, 0, EAX_IN},
	{"outl %dx (EF) to 0xf4", io_outl_dx, 0xF4, EAX_IN},
	{"outw %dx (66 EF) to 0xf4", io_outw_dx, 0xF4, EAX_IN},
};

/* What the #GP handler saw, and where it resumes a ring-1 fault. */
static unsigned gp_count;
static uint32_t gp_err, gp_eip, gp_cs;
static const struct {
	const char *at, *next;
} gp_resume[] = {
	{gp_cli_at, gp_cli_next},
	{gp_hlt_at, gp_hlt_next},
	{gp_ds_at, gp_ds_next},
};

static bool on_gp(struct trap_frame *f)
{
	gp_count++;
	gp_err = f->err;
	gp_eip = f->eip;
	gp_cs = f->cs & 0xFFFF;
	if (trap_from_user(f))
		user_kill(KILLED_GP);
	for (unsigned i = 0; i < sizeof(gp_resume) / sizeof(gp_resume[0]); i++) {
		if (f->eip == (uint32_t)(uintptr_t)gp_resume[i].at) {
			f->eip = (uint32_t)(uintptr_t)gp_resume[i].next;
			return true;
		}
	}
	return false; /* an unexpected #GP: panic */
}

static void test_io(void)
{
	unsigned ok = 0, n = sizeof(io_cases) / sizeof(io_cases[0]);

	for (unsigned i = 0; i < n; i++) {
		io_edx_out = 0;
		uint32_t eax = io_cases[i].fn(EAX_IN, io_cases[i].edx);
		x86_barrier();
		CHECK_EQ(eax, io_cases[i].want);
		CHECK_EQ(io_edx_out, io_cases[i].edx);
		ok += eax == io_cases[i].want && io_edx_out == io_cases[i].edx;
		printf("%s: eax 0x%08lx -> 0x%08lx\n", io_cases[i].name,
		       (unsigned long)EAX_IN, (unsigned long)eax);
	}
	CHECK_EQ(gp_count, 0);
	printf("port I/O at ring 1: %u of %u forms emulated as nothing there\n",
	       ok, n);
}

static void expect_gp(const char *what, void (*fn)(void), const char *at,
		      uint32_t err)
{
	gp_count = 0;
	fn();
	x86_barrier();
	CHECK_EQ(gp_count, 1);
	CHECK_EQ(gp_err, err);
	CHECK_EQ(gp_eip, (uint32_t)(uintptr_t)at);
	CHECK_EQ(gp_cs, LGUEST_KERNEL_CS);
	printf("%s at ring 1: #GP err=0x%02lx reflected, not emulated\n", what,
	       (unsigned long)gp_err);
}

void app_main(void)
{
	struct uvm as;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST guest_portio START\n");
	trap_set_handler(TRAP_GP, on_gp);
	test_io();
	expect_gp("cli", gp_cli, gp_cli_at, 0);
	expect_gp("hlt", gp_hlt, gp_hlt_at, 0);
	expect_gp("mov 0x58 to %ds", gp_ds, gp_ds_at, 0x58);

	/* From ring 3, the same inb is the program's own #GP. */
	user_init();
	user_space_new(&as, user_blob_start, user_blob_end);
	uvm_switch(&as);
	gp_count = 0;
	int code = user_call(USER_ADDR(user_blob_start, u_inb), 0, 0);
	x86_barrier();
	CHECK_EQ(code, KILLED_GP);
	CHECK_EQ(gp_count, 1);
	CHECK_EQ(gp_err, 0);
	CHECK_EQ(gp_eip, USER_ADDR(user_blob_start, u_inb_at));
	CHECK_EQ(gp_cs, LGUEST_USER_CS);
	printf("inb at ring 3: #GP err=0x%02lx cs=0x%04lx reflected, not "
	       "emulated\n", (unsigned long)gp_err, (unsigned long)gp_cs);
	uvm_switch(NULL);
	test_finish("guest_portio");
}
