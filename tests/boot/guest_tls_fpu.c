/*
 * tests/boot/guest_tls_fpu.c: thread-local storage and the lazy FPU, the
 * two pieces of per-task CPU state a Linux guest switches for its
 * processes (spec §4.8 LOAD_TLS, §4.10 TS, §4.5 vector 7).
 *
 * TLS: LOAD_TLS puts three DPL-3 data descriptors in GDT entries 6-8, with
 * bases in a user page. Ring 3 loads %gs with 0x33 and 0x43, %fs with 0x3b
 * (entry * 8 + 3) and reads through them. A system call then replaces all
 * three (the kernel clears %fs/%gs first, as Linux does); the return to
 * ring 3 reloads the user's selectors from the new entries, and the reads
 * see the new bases. Then an entry given with DPL 0: the host raises it to
 * DPL 1 (§4.8), so ring 1 can use it (selector 0x31) and ring 3 can't
 * (#GP with the selector, 0x30, as error code).
 *
 * Lazy FPU: with virtual TS set (LHCALL_TS(8)), the first x87 or SSE
 * instruction, in ring 1 or ring 3, raises #NM; it is reflected to our
 * handler (vector 7 is never direct), which makes LHCALL_TS(0) and
 * returns; the instruction is retried and the arithmetic comes out right,
 * with the x87 registers loaded before the trap intact. Linux's
 * math_state_restore() is reproduced too: fxsave one task's state, run
 * another, set TS; the #NM handler clears TS and fxrstor's the first
 * task's state. With TS clear, FPU use never traps, across hypercalls.
 */
#include "user_test.h"

#define SYS_SET_TLS 243 /* set_thread_area's number; here: load TLS set 1 */
#define KILLED_GP 0x70D
#define TLS_SEL(entry, rpl) ((entry) * 8 + (rpl))

/* Data page layout for the TLS program: results, then the TLS areas. */
#define TLS_AREA(set, i) (0x100 + (set) * 0x300 + (i) * 0x100)
#define TLS_VALUE(set, i) (0x71500006u + (set) * 0x10000u + (i))
#define FPU_IN 0xF00 /* two ints for the ring-3 x87 program, then result */

__asm__(".pushsection .text.user_blob, \"ax\"\n"
	"user_blob_start:\n"
	"u_exit:\n"
	"	movl $" S_(SYS_EXIT) ", %eax\n"
	"	int $0x80\n"
	"	ud2\n"

	/* Read through gs=0x33, fs=0x3b, gs=0x43; set_tls(); read through
	 * the same selectors again; exit(%gs). */
	"u_tls:\n"
	"	movl $0x33, %eax\n"
	"	movl %eax, %gs\n"
	"	movl %gs:0, %eax\n"
	"	movl %eax, " S_(USER_DATA) " + 0x00\n"
	"	movl $0x3b, %eax\n"
	"	movl %eax, %fs\n"
	"	movl %fs:0, %eax\n"
	"	movl %eax, " S_(USER_DATA) " + 0x04\n"
	"	movl $0x43, %eax\n"
	"	movl %eax, %gs\n"
	"	movl %gs:0, %eax\n"
	"	movl %eax, " S_(USER_DATA) " + 0x08\n"
	"	movl $" S_(SYS_SET_TLS) ", %eax\n"
	"	int $0x80\n"
	"	movl %gs:0, %eax\n"
	"	movl %eax, " S_(USER_DATA) " + 0x0c\n"
	"	movl %fs:0, %eax\n"
	"	movl %eax, " S_(USER_DATA) " + 0x10\n"
	"	movl $0x33, %eax\n"
	"	movl %eax, %gs\n"
	"	movl %gs:0, %eax\n"
	"	movl %eax, " S_(USER_DATA) " + 0x14\n"
	"	movl %gs, %ebx\n"
	"	jmp u_exit\n"

	/* Load %gs with 0x33 (entry 6 with DPL 1 by then): #GP. */
	"u_load_gs:\n"
	"	movl $0x33, %eax\n"
	"u_load_gs_at:\n"
	"	movl %eax, %gs\n"
	"	movl $0, %ebx\n"
	"	jmp u_exit\n"

	/* x87: in[0] * in[1] -> result; exit(result). */
	"u_x87:\n"
	"u_x87_at:\n"
	"	fninit\n"
	"	fildl " S_(USER_DATA) " + " S_(FPU_IN) "\n"
	"	fimull " S_(USER_DATA) " + " S_(FPU_IN) " + 4\n"
	"	fistpl " S_(USER_DATA) " + " S_(FPU_IN) " + 8\n"
	"	movl " S_(USER_DATA) " + " S_(FPU_IN) " + 8, %ebx\n"
	"	jmp u_exit\n"

	/* SSE2: esi + edi in an xmm register; exit(sum). */
	"u_sse:\n"
	"u_sse_at:\n"
	"	movd %esi, %xmm0\n"
	"	movd %edi, %xmm1\n"
	"	paddd %xmm1, %xmm0\n"
	"	movd %xmm0, %ebx\n"
	"	jmp u_exit\n"
	"user_blob_end:\n"
	".popsection\n"

	/* Ring-1 FPU helpers (cdecl). */
	".text\n"
	/* void fpu_load(const int32_t *v): fninit; st0 = *v */
	"fpu_load:\n"
	"	movl 4(%esp), %eax\n"
	"fpu_load_at:\n"
	"	fninit\n"
	"	fildl (%eax)\n"
	"	ret\n"
	/* void fpu_add_store(const int32_t *v, int32_t *out): *out = st0 + *v */
	"fpu_add_store:\n"
	"	movl 4(%esp), %eax\n"
	"	movl 8(%esp), %edx\n"
	"fpu_add_at:\n"
	"	fiaddl (%eax)\n"
	"	fistpl (%edx)\n"
	"	ret\n"
	/* uint32_t sse_add(uint32_t a, uint32_t b) */
	"sse_add:\n"
	"sse_add_at:\n"
	"	movd 4(%esp), %xmm0\n"
	"	movd 8(%esp), %xmm1\n"
	"	paddd %xmm1, %xmm0\n"
	"	movd %xmm0, %eax\n"
	"	ret\n"
	/* void fpu_fxsave(void *area), fpu_fxrstor(const void *area) */
	"fpu_fxsave:\n"
	"	movl 4(%esp), %eax\n"
	"	fxsave (%eax)\n"
	"	ret\n"
	"fpu_fxrstor:\n"
	"	movl 4(%esp), %eax\n"
	"	fxrstor (%eax)\n"
	"	ret\n");

extern const char user_blob_start[], user_blob_end[], u_tls[], u_load_gs[],
	u_load_gs_at[], u_x87[], u_x87_at[], u_sse[], u_sse_at[];
extern const char fpu_load_at[], fpu_add_at[], sse_add_at[];
void fpu_load(const int32_t *v);
void fpu_add_store(const int32_t *v, int32_t *out);
uint32_t sse_add(uint32_t a, uint32_t b);
void fpu_fxsave(void *area);
void fpu_fxrstor(const void *area);

#define UA(label) USER_ADDR(user_blob_start, label)

static volatile uint32_t *data; /* the user data page, kernel address */

/* ------------------------------------------------------------------ TLS */

static struct x86_desc tls[GDT_ENTRY_TLS_ENTRIES];
static uint32_t tls_gs_on_entry, tls_fs_on_entry;
static uint32_t kernel_tls_word = 0x6D1A6D1A;
static unsigned gp_count;
static uint32_t gp_err;

static void tls_fill(unsigned set)
{
	for (unsigned i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		tls[i] = x86_data_segment(USER_DATA + TLS_AREA(set, i),
					  0xFFFFF, 3);
}

static int32_t sys_set_tls(struct trap_frame *f)
{
	tls_gs_on_entry = x86_get_gs();
	tls_fs_on_entry = f->fs & 0xFFFF;
	tls_fill(1);
	segments_load_tls(tls);
	return 0;
}

static bool on_gp(struct trap_frame *f)
{
	if (!trap_from_user(f))
		return false;
	gp_count++;
	gp_err = f->err;
	user_kill(KILLED_GP);
}

static void test_tls(void)
{
	for (unsigned set = 0; set < 2; set++)
		for (unsigned i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
			data[TLS_AREA(set, i) / 4] = TLS_VALUE(set, i);
	tls_fill(0);
	segments_load_tls(tls);

	int code = user_call(UA(u_tls), 0, 0);
	CHECK_EQ(code, TLS_SEL(6, 3));
	CHECK_EQ(data[0], TLS_VALUE(0, 0));  /* gs 0x33 */
	CHECK_EQ(data[1], TLS_VALUE(0, 1));  /* fs 0x3b */
	CHECK_EQ(data[2], TLS_VALUE(0, 2));  /* gs 0x43 */
	CHECK_EQ(tls_gs_on_entry, TLS_SEL(8, 3));
	CHECK_EQ(tls_fs_on_entry, TLS_SEL(7, 3));
	CHECK_EQ(data[3], TLS_VALUE(1, 2));  /* gs 0x43, new entry 8 */
	CHECK_EQ(data[4], TLS_VALUE(1, 1));  /* fs 0x3b, new entry 7 */
	CHECK_EQ(data[5], TLS_VALUE(1, 0));  /* gs 0x33, new entry 6 */
	printf("TLS from ring 3: gs=0x33 -> 0x%08lx, fs=0x3b -> 0x%08lx, "
	       "gs=0x43 -> 0x%08lx\n", (unsigned long)data[0],
	       (unsigned long)data[1], (unsigned long)data[2]);
	printf("after LOAD_TLS in a system call (gs was 0x%02lx): gs=0x43 -> "
	       "0x%08lx, fs=0x3b -> 0x%08lx, gs=0x33 -> 0x%08lx\n",
	       (unsigned long)tls_gs_on_entry, (unsigned long)data[3],
	       (unsigned long)data[4], (unsigned long)data[5]);

	/* Entry 6 with DPL 0 becomes DPL 1: ring 1 may load it, ring 3 not. */
	tls[0] = x86_data_segment((uint32_t)(uintptr_t)&kernel_tls_word,
				  0xFFFFF, 0);
	segments_load_tls(tls);
	uint32_t v;
	x86_set_gs(TLS_SEL(6, 1));
	__asm__ volatile("movl %%gs:0, %0" : "=r"(v));
	x86_set_gs(0);
	CHECK_EQ(v, kernel_tls_word);
	code = user_call(UA(u_load_gs), 0, 0);
	x86_barrier();
	CHECK_EQ(code, KILLED_GP);
	CHECK_EQ(gp_count, 1);
	CHECK_EQ(gp_err, TLS_SEL(6, 0));
	printf("TLS entry with DPL 0: ring 1 reads 0x%08lx through 0x31; "
	       "ring 3 loading 0x33: #GP err=0x%02lx\n", (unsigned long)v,
	       (unsigned long)gp_err);
}

/* ------------------------------------------------------------------ FPU */

enum nm_action { NM_CLTS, NM_RESTORE };

static enum nm_action nm_action;
static unsigned nm_count;
static uint32_t nm_eip, nm_cs, nm_frame_end;
static uint8_t fpu_area[512] __attribute__((aligned(16)));

/*
 * The #NM handler, Linux's math_state_restore(): TS off (its clts), and
 * for NM_RESTORE also the interrupted task's saved state.
 */
static bool on_nm(struct trap_frame *f)
{
	nm_count++;
	nm_eip = f->eip;
	nm_cs = f->cs & 0xFFFF;
	nm_frame_end = (uint32_t)(uintptr_t)(trap_from_user(f) ? &f->user_ss + 1
							       : &f->user_esp);
	hcall(LHCALL_TS, 0, 0, 0);
	if (nm_action == NM_RESTORE)
		fpu_fxrstor(fpu_area);
	return true;
}

static void nm_expect(enum nm_action action)
{
	nm_action = action;
	nm_count = 0;
	nm_eip = nm_cs = 0;
}

static void test_fpu_ring1(void)
{
	static const int32_t k1000 = 1000, k234 = 234, k111 = 111, k222 = 222,
			     k999 = 999;
	int32_t out = 0;

	/* x87: load with TS clear, set TS, the next instruction traps. */
	nm_expect(NM_CLTS);
	hcall(LHCALL_TS, 0, 0, 0);
	fpu_load(&k1000);
	hcall(LHCALL_TS, 8, 0, 0);
	fpu_add_store(&k234, &out);
	x86_barrier();
	CHECK_EQ(out, 1234);
	CHECK_EQ(nm_count, 1);
	CHECK_EQ(nm_eip, (uint32_t)(uintptr_t)fpu_add_at);
	CHECK_EQ(nm_cs, LGUEST_KERNEL_CS);
	printf("ring 1 x87 with TS set: #NM at fiaddl, cs=0x%04lx, TS(0), "
	       "retried: 1000 + 234 = %ld\n", (unsigned long)nm_cs, (long)out);

	/* SSE2 likewise. */
	nm_expect(NM_CLTS);
	hcall(LHCALL_TS, 8, 0, 0);
	uint32_t sum = sse_add(40, 2);
	x86_barrier();
	CHECK_EQ(sum, 42);
	CHECK_EQ(nm_count, 1);
	CHECK_EQ(nm_eip, (uint32_t)(uintptr_t)sse_add_at);
	printf("ring 1 SSE2 with TS set: #NM at movd, retried: 40 + 2 = %lu\n",
	       (unsigned long)sum);

	/* Lazy switch: task A's state saved, task B runs, back to A with TS
	 * set; the handler restores A's registers. */
	fpu_load(&k111);
	fpu_fxsave(fpu_area);
	fpu_load(&k999);
	nm_expect(NM_RESTORE);
	hcall(LHCALL_TS, 8, 0, 0);
	out = 0;
	fpu_add_store(&k222, &out);
	x86_barrier();
	CHECK_EQ(out, 333);
	CHECK_EQ(nm_count, 1);
	printf("lazy FPU switch: #NM, TS(0) + fxrstor of the saved task: "
	       "111 + 222 = %ld\n", (long)out);
}

static void test_fpu_ring3(void)
{
	data[FPU_IN / 4] = 6;
	data[FPU_IN / 4 + 1] = 7;
	nm_expect(NM_CLTS);
	hcall(LHCALL_TS, 8, 0, 0);
	int code = user_call(UA(u_x87), 0, 0);
	CHECK_EQ(code, 42);
	CHECK_EQ(nm_count, 1);
	CHECK_EQ(nm_eip, UA(u_x87_at));
	CHECK_EQ(nm_cs, LGUEST_USER_CS);
	CHECK_EQ(nm_frame_end, user_kstack_top());
	printf("ring 3 x87 with TS set: #NM at fninit, cs=0x%04lx, TS(0), "
	       "retried: 6 * 7 = %d\n", (unsigned long)nm_cs, code);

	nm_expect(NM_CLTS);
	hcall(LHCALL_TS, 8, 0, 0);
	code = user_call(UA(u_sse), 40000, 2345);
	CHECK_EQ(code, 42345);
	CHECK_EQ(nm_count, 1);
	CHECK_EQ(nm_eip, UA(u_sse_at));
	CHECK_EQ(nm_cs, LGUEST_USER_CS);
	printf("ring 3 SSE2 with TS set: #NM at movd, retried: 40000 + 2345 = "
	       "%d\n", code);
}

static void test_fpu_no_ts(void)
{
	static const int32_t one = 1;
	int32_t out = 0;
	unsigned ok = 0;

	nm_expect(NM_CLTS);
	hcall(LHCALL_TS, 0, 0, 0);
	fpu_load(&one);
	for (int i = 0; i < 100; i++) {
		fpu_add_store(&one, &out); /* pops: reload */
		fpu_load(&out);
		ok += sse_add((uint32_t)i, 1) == (uint32_t)i + 1;
		hcall(LHCALL_TS, 0, 0, 0); /* an exit to the host each time */
		if (i % 10 == 0)
			ok += user_call(UA(u_sse), (uint32_t)i, 5) == i + 5;
	}
	fpu_add_store(&one, &out);
	x86_barrier();
	CHECK_EQ(out, 102);
	CHECK_EQ(ok, 110);
	CHECK_EQ(nm_count, 0);
	printf("TS clear: 100 rounds of x87/SSE2 in ring 1 and 3 with exits "
	       "in between: %u #NM, sum %ld\n", nm_count, (long)out);
}

void app_main(void)
{
	struct uvm as;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST guest_tls_fpu START\n");
	user_init();
	syscall_register(SYS_SET_TLS, sys_set_tls);
	trap_set_handler(TRAP_GP, on_gp);
	trap_set_handler(TRAP_NM, on_nm);
	data = user_space_new(&as, user_blob_start, user_blob_end);
	uvm_switch(&as);

	test_tls();
	test_fpu_ring1();
	test_fpu_ring3();
	test_fpu_no_ts();

	uvm_switch(NULL);
	test_finish("guest_tls_fpu");
}
