/*
 * tests/boot/guest_pagefault.c: page faults the host must reflect to the
 * guest, from ring 3 and from ring 1 on user memory, and the guest fixing
 * them up and retrying, as Linux's demand paging and copy-on-write do
 * (spec §4.4, §4.5 "14 (page fault)", §5.1, §5.2, §12 CR0.WP).
 *
 *  - ring 3 writes an address with no page table: #PF with error code
 *    user|write (bit 0 clear: not present), lguest_data.cr2 = the exact
 *    address, frame on the SET_STACK stack with the user's SS:ESP, EIP at
 *    the faulting instruction. The handler maps a page (SET_PTE) and
 *    returns; the write is retried and succeeds. Then ring 3 reads a
 *    missing page of the same table: error code user|read.
 *  - the host keeps Accessed/Dirty in our PTEs: A after a read, D only
 *    after a write (the first write to a read-faulted page faults again).
 *  - copy-on-write: ring 3 writes a read-only user page: error code has
 *    write and user (bit 0 is the host's shadow's business, not checked);
 *    the handler copies the frame, maps the copy writable, and the write
 *    lands in the copy while the original is untouched.
 *  - ring 1 (the kernel) writes a read-only user page: it faults too (the
 *    host runs with CR0.WP), error code write without user; same fix-up.
 *    Ring 1 reading a missing user page: error code 0; fixed likewise.
 *  - ring 3 reads and writes a kernel page (no U bit in the directory
 *    entry), reads the Switcher at 0xFFC00000, and reads a user-half page
 *    whose PTE lacks the U bit: reflected #PF with the user bit, which
 *    the guest answers by killing the program.
 */
#include "user_test.h"

#define DEMAND_VA 0x40000010   /* no page table here at first */
#define DEMAND2_VA 0x40001020  /* same table, no PTE */
#define COW_VA 0x50000008      /* read-only user page */
#define KCOW_VA 0x50001010     /* read-only user page the kernel writes */
#define KDEMAND_VA 0x60000018  /* missing page the kernel reads */
#define SUPER_VA 0x50002014    /* user half, but a supervisor-only PTE */
#define KERNEL_VA 0xC0100000   /* kernel text: present, not user */
#define SWITCHER_VA 0xFFC00000 /* the host's */
#define KILLED_SEGV 0x5E6      /* user_kill() code for an unfixable fault */

__asm__(".pushsection .text.user_blob, \"ax\"\n"
	"user_blob_start:\n"
	"u_exit:\n"
	"	movl $" S_(SYS_EXIT) ", %eax\n"
	"	int $0x80\n"
	"	ud2\n"
	/* *(esi) = edi; exit(*(esi)) */
	"u_write:\n"
	"u_write_at:\n"
	"	movl %edi, (%esi)\n"
	"	movl (%esi), %ebx\n"
	"	jmp u_exit\n"
	/* exit(*(esi)) */
	"u_read:\n"
	"u_read_at:\n"
	"	movl (%esi), %ebx\n"
	"	jmp u_exit\n"
	/* copy-on-write: data[0] = *(esi); *(esi) = edi; data[1] = *(esi) */
	"u_cow:\n"
	"	movl (%esi), %eax\n"
	"	movl %eax, " S_(USER_DATA) "\n"
	"u_cow_at:\n"
	"	movl %edi, (%esi)\n"
	"	movl (%esi), %ebx\n"
	"	movl %ebx, " S_(USER_DATA) " + 4\n"
	"	jmp u_exit\n"
	"user_blob_end:\n"
	".popsection\n");

extern const char user_blob_start[], user_blob_end[], u_write[],
	u_write_at[], u_read[], u_read_at[], u_cow[], u_cow_at[];

#define UA(label) USER_ADDR(user_blob_start, label)

/* What the page-fault handler does with the next fault. */
enum pf_action { PF_MAP_FILL, PF_COW, PF_KILL };

struct pf_seen {
	unsigned count;
	uint32_t err, cr2, eip, cs, user_esp, user_ss, frame_end;
};

static struct uvm as;
static enum pf_action pf_action;
static uint32_t pf_fill;       /* PF_MAP_FILL: the new page's words */
static uint32_t *pf_new_page;  /* the page the handler mapped */
static struct pf_seen pf;

static bool on_page_fault(struct trap_frame *f)
{
	uint32_t cr2 = lguest_data.cr2;
	uint32_t va = mm_page_down(cr2);

	pf.count++;
	pf.err = f->err;
	pf.cr2 = cr2;
	pf.eip = f->eip;
	pf.cs = f->cs & 0xFFFF;
	pf.user_esp = trap_from_user(f) ? f->user_esp : 0;
	pf.user_ss = trap_from_user(f) ? f->user_ss & 0xFFFF : 0;
	pf.frame_end = (uint32_t)(uintptr_t)(trap_from_user(f) ? &f->user_ss + 1
							    : &f->user_esp);
	if (cr2 >= PAGE_OFFSET || pf.count > 1) {
		if (trap_from_user(f))
			user_kill(KILLED_SEGV);
		return false; /* the kernel's own: panic */
	}
	switch (pf_action) {
	case PF_MAP_FILL:
		pf_new_page = uvm_map_new(&as, va, X86_PTE_RW);
		for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
			pf_new_page[i] = pf_fill;
		return true;
	case PF_COW: {
		uint32_t *pte = uvm_pte(&as, va);
		if (!pte || !(*pte & X86_PTE_PRESENT))
			return false;
		pf_new_page = palloc_page_zeroed();
		memcpy(pf_new_page, gpa_to_virt(gpa(*pte & X86_PTE_FRAME_MASK)),
		       PAGE_SIZE);
		uvm_map(&as, va, virt_to_gpa(pf_new_page), X86_PTE_RW);
		return true;
	}
	case PF_KILL:
		break;
	}
	if (trap_from_user(f))
		user_kill(KILLED_SEGV);
	return false;
}

static void pf_expect(enum pf_action action, uint32_t fill)
{
	memset(&pf, 0, sizeof(pf));
	pf_action = action;
	pf_fill = fill;
	pf_new_page = NULL;
}

/* The checks every reflected fault from ring 3 shares. */
static void check_user_frame(uint32_t cr2, uint32_t eip)
{
	CHECK_EQ(pf.count, 1);
	CHECK_EQ(pf.cr2, cr2);
	CHECK_EQ(pf.eip, eip);
	CHECK_EQ(pf.cs, LGUEST_USER_CS);
	CHECK_EQ(pf.user_ss, LGUEST_USER_DS);
	CHECK_EQ(pf.user_esp, USER_STACK_TOP);
	CHECK_EQ(pf.frame_end, user_kstack_top());
}

static uint32_t pte_ad(uint32_t va)
{
	uint32_t *pte = uvm_pte(&as, va);

	return pte ? *pte & (X86_PTE_ACCESSED | X86_PTE_DIRTY) : 0xFFFFFFFF;
}

static void test_demand_paging(void)
{
	/* A user write where not even a page table exists. */
	pf_expect(PF_MAP_FILL, 0);
	int code = user_call(UA(u_write), DEMAND_VA, 0xA5A5A5A5);
	check_user_frame(DEMAND_VA, UA(u_write_at));
	CHECK_EQ(pf.err & 7, X86_PF_USER | X86_PF_WRITE);
	CHECK_EQ(code, 0xA5A5A5A5);
	CHECK(pf_new_page && pf_new_page[(DEMAND_VA & 0xFFF) / 4] == 0xA5A5A5A5);
	CHECK_EQ(pte_ad(DEMAND_VA), X86_PTE_ACCESSED | X86_PTE_DIRTY);
	printf("user write to unmapped 0x%08lx: #PF err=0x%lx cr2=0x%08lx "
	       "cs=0x%04lx; mapped, retried, read back 0x%08lx\n",
	       (unsigned long)DEMAND_VA, (unsigned long)pf.err,
	       (unsigned long)pf.cr2, (unsigned long)pf.cs,
	       (unsigned long)code);

	/* A user read of a missing page in that table. */
	pf_expect(PF_MAP_FILL, 0x5EED5EED);
	code = user_call(UA(u_read), DEMAND2_VA, 0);
	check_user_frame(DEMAND2_VA, UA(u_read_at));
	CHECK_EQ(pf.err & 7, X86_PF_USER);
	CHECK_EQ(code, 0x5EED5EED);
	CHECK_EQ(pte_ad(DEMAND2_VA), X86_PTE_ACCESSED);
	printf("user read of unmapped 0x%08lx: #PF err=0x%lx cr2=0x%08lx; "
	       "mapped, retried, read 0x%08lx\n",
	       (unsigned long)DEMAND2_VA, (unsigned long)pf.err,
	       (unsigned long)pf.cr2, (unsigned long)code);

	/* Now write it: no fault of ours, but the host sets Dirty. */
	pf_expect(PF_KILL, 0);
	code = user_call(UA(u_write), DEMAND2_VA, 0xD1D1D1D1);
	CHECK_EQ(pf.count, 0);
	CHECK_EQ(code, 0xD1D1D1D1);
	CHECK_EQ(pte_ad(DEMAND2_VA), X86_PTE_ACCESSED | X86_PTE_DIRTY);
	printf("guest PTE bits: A after a read, A|D after a write\n");
}

static void test_copy_on_write(void)
{
	uint32_t *original = palloc_page_zeroed();
	volatile uint32_t *data = gpa_to_virt(gpa(*uvm_pte(&as, USER_DATA) &
						  X86_PTE_FRAME_MASK));

	/* Ring 3 writes a read-only page it has just read. */
	original[(COW_VA & 0xFFF) / 4] = 0x11111111;
	uvm_map(&as, COW_VA, virt_to_gpa(original), 0);
	pf_expect(PF_COW, 0);
	int code = user_call(UA(u_cow), COW_VA, 0x22222222);
	check_user_frame(COW_VA, UA(u_cow_at));
	CHECK_EQ(pf.err & (X86_PF_USER | X86_PF_WRITE),
		 X86_PF_USER | X86_PF_WRITE);
	CHECK_EQ(data[0], 0x11111111);
	CHECK_EQ(data[1], 0x22222222);
	CHECK_EQ(code, 0x22222222);
	CHECK_EQ(original[(COW_VA & 0xFFF) / 4], 0x11111111);
	CHECK(pf_new_page && pf_new_page[(COW_VA & 0xFFF) / 4] == 0x22222222);
	printf("user write to read-only 0x%08lx: #PF err&6=0x%lx cr2=0x%08lx; "
	       "copied, retried: original 0x%08lx, copy 0x%08lx\n",
	       (unsigned long)COW_VA, (unsigned long)(pf.err & 6),
	       (unsigned long)pf.cr2,
	       (unsigned long)original[(COW_VA & 0xFFF) / 4],
	       (unsigned long)(pf_new_page ? pf_new_page[(COW_VA & 0xFFF) / 4]
					  : 0));

	/* Ring 1 writes a read-only user page (copy_to_user()). */
	uint32_t *original2 = palloc_page_zeroed();
	original2[(KCOW_VA & 0xFFF) / 4] = 0x33333333;
	uvm_map(&as, KCOW_VA, virt_to_gpa(original2), 0);
	pf_expect(PF_COW, 0);
	CHECK_EQ(*(volatile uint32_t *)KCOW_VA, 0x33333333); /* no fault */
	x86_barrier();
	CHECK_EQ(pf.count, 0);
	*(volatile uint32_t *)KCOW_VA = 0x44444444;
	x86_barrier(); /* the handler changed pf behind the compiler's back */
	CHECK_EQ(pf.count, 1);
	CHECK_EQ(pf.cr2, KCOW_VA);
	CHECK_EQ(pf.cs, LGUEST_KERNEL_CS);
	CHECK_EQ(pf.err & (X86_PF_USER | X86_PF_WRITE), X86_PF_WRITE);
	CHECK_EQ(*(volatile uint32_t *)KCOW_VA, 0x44444444);
	CHECK_EQ(original2[(KCOW_VA & 0xFFF) / 4], 0x33333333);
	printf("kernel write to read-only user 0x%08lx: #PF err&6=0x%lx "
	       "cs=0x%04lx; copied, retried: original 0x%08lx, copy 0x%08lx\n",
	       (unsigned long)KCOW_VA, (unsigned long)(pf.err & 6),
	       (unsigned long)pf.cs,
	       (unsigned long)original2[(KCOW_VA & 0xFFF) / 4],
	       (unsigned long)*(volatile uint32_t *)KCOW_VA);

	/* Ring 1 reads a missing user page (copy_from_user()). */
	pf_expect(PF_MAP_FILL, 0x77777777);
	uint32_t v = *(volatile uint32_t *)KDEMAND_VA;
	x86_barrier();
	CHECK_EQ(pf.count, 1);
	CHECK_EQ(pf.cr2, KDEMAND_VA);
	CHECK_EQ(pf.cs, LGUEST_KERNEL_CS);
	CHECK_EQ(pf.err & 7, 0);
	CHECK_EQ(v, 0x77777777);
	printf("kernel read of unmapped user 0x%08lx: #PF err=0x%lx; mapped, "
	       "retried, read 0x%08lx\n",
	       (unsigned long)KDEMAND_VA, (unsigned long)pf.err,
	       (unsigned long)v);
}

/* Ring 3 touches what is not its own: the program is killed. */
static void expect_segv(const char *what, const char *prog, const char *at,
			uint32_t addr, uint32_t err)
{
	pf_expect(PF_KILL, 0);
	int code = user_call(UA(prog), addr, 0x0BADBAD0);
	CHECK_EQ(code, KILLED_SEGV);
	check_user_frame(addr, UA(at));
	CHECK_EQ(pf.err & (X86_PF_USER | X86_PF_WRITE), err);
	printf("user %s 0x%08lx: #PF err&6=0x%lx cr2=0x%08lx cs=0x%04lx, "
	       "killed\n",
	       what, (unsigned long)addr, (unsigned long)(pf.err & 6),
	       (unsigned long)pf.cr2, (unsigned long)pf.cs);
}

void app_main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST guest_pagefault START\n");
	user_init();
	trap_set_handler(TRAP_PF, on_page_fault);
	user_space_new(&as, user_blob_start, user_blob_end);
	uvm_switch(&as);

	test_demand_paging();
	test_copy_on_write();
	expect_segv("read of kernel", u_read, u_read_at, KERNEL_VA,
		    X86_PF_USER);
	expect_segv("write to kernel", u_write, u_write_at, KERNEL_VA,
		    X86_PF_USER | X86_PF_WRITE);
	expect_segv("read of the Switcher at", u_read, u_read_at, SWITCHER_VA,
		    X86_PF_USER);

	/* A page in the user half whose PTE lacks the U bit (its directory
	 * entry has it): the kernel may read it, ring 3 may not. */
	uint32_t *super = palloc_page_zeroed();
	super[(SUPER_VA & 0xFFF) / 4] = 0x5E5E5E5E;
	uvm_set_pte(&as, SUPER_VA, gpa_val(virt_to_gpa(super)) |
				   X86_PTE_PRESENT | X86_PTE_RW);
	CHECK_EQ(*(volatile uint32_t *)SUPER_VA, 0x5E5E5E5E);
	expect_segv("read of a supervisor PTE at", u_read, u_read_at, SUPER_VA,
		    X86_PF_USER);
	CHECK(*(volatile uint32_t *)KERNEL_VA != 0x0BADBAD0);

	uvm_switch(NULL);
	test_finish("guest_pagefault");
}
