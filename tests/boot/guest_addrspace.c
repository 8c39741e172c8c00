/*
 * tests/boot/guest_addrspace.c: many user address spaces, as Linux's
 * processes have, on a host that caches only 4 shadow page directories
 * (spec §4.9, §5.1, §5.2).
 *
 * Six page directories share the kernel half (copied directory entries,
 * as Linux does) and the program's text page; each maps its own frame at
 * the same user address USER_DATA, holding a marker for that directory.
 * We switch among them (NEW_PGTABLE, then SET_STACK as Linux does) 24
 * times, in an order that makes the host recycle its shadows, and run a
 * ring-3 program in each that reads USER_DATA: it must always see the
 * current directory's frame -- a recycled shadow must not keep the user
 * mappings of the directory it served before. The kernel reads the same
 * address at ring 1 too. Along the way the mappings change, each change
 * reported the way Linux reports it:
 *
 *  - SET_PTE in the current space (a shadowed translation must go);
 *  - SET_PTE for another space's directory, with Accessed and Dirty set
 *    so the host may install it at once: it must apply it to that
 *    directory's shadow if it has one, and nowhere else;
 *  - SET_PMD after removing a whole page table (the next access must
 *    fault, and a new table must be used after that);
 *  - PTE rewritten silently, then FLUSH_TLB(0);
 *  - FLUSH_TLB(1) (everything), after which all spaces still work.
 *
 * In every space ring 3 also reads a page of the kernel's text, which
 * must fault. A host keeps a shadow's kernel half when it recycles it, and
 * the Launcher mapped every page User (spec §1.5, §5.2): the shadow that
 * served the Launcher's directory while the kernel started held kernel
 * text mapped User, until kernel/vm.c began to flush every shadow after
 * leaving it (4 of these 24 reads succeeded before).
 */
#include "user_test.h"

#define NSPACES 6
#define MARKER(k) (0xA5500000u | (k))
#define EXTRA_VA 0x20000ABC /* a second 4 MiB region, for SET_PMD */
#define KILLED_SEGV 0x5E6

__asm__(".pushsection .text.user_blob, \"ax\"\n"
	"user_blob_start:\n"
	/* exit(*(esi)) */
	"u_read:\n"
	"	movl (%esi), %ebx\n"
	"	movl $" S_(SYS_EXIT) ", %eax\n"
	"	int $0x80\n"
	"	ud2\n"
	"user_blob_end:\n"
	".popsection\n");

extern const char user_blob_start[], user_blob_end[], u_read[];

static struct uvm spaces[NSPACES];
static uint32_t expected[NSPACES];
static uint32_t fault_cr2;
static unsigned faults;
static unsigned kernel_reads_faulted;

/* The order of the switches: every directory, then orders that keep
 * evicting the shadow about to be needed again. */
static const uint8_t sequence[] = {
	0, 1, 2, 3, 4, 5,
	0, 5, 2, 4, 1, 3,
	5, 4, 3, 2, 1, 0,
	1, 0, 1, 4, 5, 0,
};

static bool on_page_fault(struct trap_frame *f)
{
	if (!trap_from_user(f))
		return false;
	faults++;
	fault_cr2 = lguest_data.cr2;
	user_kill(KILLED_SEGV);
}

/* A new frame holding `marker`, mapped at `va` in `as` (SET_PTE). */
static void map_marker(struct uvm *as, uint32_t va, uint32_t marker)
{
	uint32_t *page = uvm_map_new(as, va, X86_PTE_RW);

	page[(va & 0xFFF) / 4] = marker;
}

static int read_in(struct uvm *as, uint32_t va)
{
	(void)as;
	return user_call(USER_ADDR(user_blob_start, u_read), va, 0);
}

/* Switch to space k and read USER_DATA from ring 3 and ring 1. */
static uint32_t visit(unsigned k)
{
	uvm_switch(&spaces[k]);
	uint32_t user = (uint32_t)read_in(&spaces[k], USER_DATA);
	uint32_t kernel = *(volatile uint32_t *)USER_DATA;
	CHECK_EQ(user, expected[k]);
	CHECK_EQ(kernel, expected[k]);
	CHECK(*uvm_pte(&spaces[k], USER_DATA) & X86_PTE_ACCESSED);
	uint32_t text = (uint32_t)(uintptr_t)_kernel_start;
	bool hidden = read_in(&spaces[k], text) == KILLED_SEGV &&
		      fault_cr2 == text;
	CHECK(hidden);
	kernel_reads_faulted += hidden;
	return user;
}

/* Mapping changes, made while in space `k` at step `step`. */
static void change(unsigned step, unsigned k)
{
	if (step == 6) {
		/* SET_PTE on the current space, whose translation the host
		 * has just used. */
		expected[k] = 0xB0000000u | k;
		map_marker(&spaces[k], USER_DATA, expected[k]);
		uint32_t v = (uint32_t)read_in(&spaces[k], USER_DATA);
		CHECK_EQ(v, expected[k]);
		printf("SET_PTE in the current space %u: read 0x%08lx\n", k,
		       (unsigned long)v);
		/* SET_PTE for space 5, not current but visited last, so
		 * probably cached; the next step goes there. With Accessed
		 * and Dirty set, a host installs it at once -- in space 5's
		 * shadow only, not in ours. */
		uint32_t *page = palloc_page_zeroed();
		expected[5] = 0xB0000005u;
		page[0] = expected[5];
		uvm_set_pte(&spaces[5], USER_DATA,
			    gpa_val(virt_to_gpa(page)) | X86_PTE_PRESENT |
				    X86_PTE_USER | X86_PTE_RW |
				    X86_PTE_ACCESSED | X86_PTE_DIRTY);
		v = (uint32_t)read_in(&spaces[k], USER_DATA);
		CHECK_EQ(v, expected[k]);
		printf("SET_PTE for space 5 while in space %u: still read "
		       "0x%08lx here\n", k, (unsigned long)v);
	} else if (step == 9) {
		/* A whole page table goes: SET_PMD. */
		map_marker(&spaces[k], EXTRA_VA, 0xC0000001u);
		uint32_t before = (uint32_t)read_in(&spaces[k], EXTRA_VA);
		uvm_drop_table(&spaces[k], EXTRA_VA);
		faults = 0;
		int gone = read_in(&spaces[k], EXTRA_VA);
		CHECK_EQ(before, 0xC0000001u);
		CHECK_EQ(gone, KILLED_SEGV);
		CHECK_EQ(faults, 1);
		CHECK_EQ(fault_cr2, EXTRA_VA);
		map_marker(&spaces[k], EXTRA_VA, 0xC0000002u);
		uint32_t after = (uint32_t)read_in(&spaces[k], EXTRA_VA);
		CHECK_EQ(after, 0xC0000002u);
		printf("SET_PMD in space %u: read 0x%08lx, table dropped: #PF "
		       "cr2=0x%08lx, new table: read 0x%08lx\n",
		       k, (unsigned long)before, (unsigned long)fault_cr2,
		       (unsigned long)after);
	} else if (step == 12) {
		/* Rewrite the PTE silently, then FLUSH_TLB(0). */
		uint32_t *page = palloc_page_zeroed();
		expected[k] = 0xF0000000u | k;
		page[0] = expected[k];
		*uvm_pte(&spaces[k], USER_DATA) = gpa_val(virt_to_gpa(page)) |
			X86_PTE_PRESENT | X86_PTE_USER | X86_PTE_RW;
		uvm_flush();
		uint32_t v = (uint32_t)read_in(&spaces[k], USER_DATA);
		CHECK_EQ(v, expected[k]);
		printf("silent PTE change in space %u, FLUSH_TLB(0): read "
		       "0x%08lx\n", k, (unsigned long)v);
	} else if (step == 18) {
		hcall(LHCALL_FLUSH_TLB, 1, 0, 0);
		printf("FLUSH_TLB(1) in space %u\n", k);
	}
}

void app_main(void)
{
	char line[160];
	int len = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST guest_addrspace START\n");
	user_init();
	trap_set_handler(TRAP_PF, on_page_fault);

	/* Space 0 gets the program; the others share its text page. */
	user_space_new(&spaces[0], user_blob_start, user_blob_end);
	gpa_t text = gpa(*uvm_pte(&spaces[0], USER_TEXT) & X86_PTE_FRAME_MASK);
	for (unsigned k = 0; k < NSPACES; k++) {
		if (k > 0) {
			if (uvm_create(&spaces[k]) != 0)
				panic("out of memory");
			uvm_map(&spaces[k], USER_TEXT, text, 0);
			uvm_map_new(&spaces[k], USER_STACK_PAGE, X86_PTE_RW);
		}
		expected[k] = MARKER(k);
		map_marker(&spaces[k], USER_DATA, expected[k]);
	}
	printf("%d address spaces, one shared text page at 0x%08lx (gpa "
	       "0x%08lx), data at 0x%08lx\n", NSPACES,
	       (unsigned long)USER_TEXT, (unsigned long)gpa_val(text),
	       (unsigned long)USER_DATA);

	for (unsigned step = 0; step < sizeof(sequence); step++) {
		unsigned k = sequence[step];
		uint32_t v = visit(k);
		len += snprintf(line + len, sizeof(line) - (size_t)len, " %u=%08lx",
				k, (unsigned long)v);
		change(step, k);
		if (step % 6 == 5) {
			printf("round %u:%s\n", step / 6 + 1, line);
			len = 0;
		}
	}
	if (test_failures == 0)
		printf("%u switches among %d directories, every read saw its "
		       "own directory's frame\n", (unsigned)sizeof(sequence),
		       NSPACES);
	printf("%u of %u ring-3 reads of the kernel's text faulted\n",
	       kernel_reads_faulted, (unsigned)sizeof(sequence));

	uvm_switch(NULL);
	test_finish("guest_addrspace");
}
