/*
 * tests/boot/guest_kernel_hidden.c: ring 3 never reaches the kernel's
 * pages, whichever of the host's shadow directories serves the address
 * space (spec §5.1, §5.2).
 *
 * The host keeps the kernel half of a shadow directory when it recycles the
 * directory for another address space: the kernel half is the same in
 * every guest directory. It is not the same as the Launcher's, whose
 * entries are Present, Writable and User (spec §1.5), and the shadow that
 * served the Launcher's directory while the kernel started holds kernel
 * pages mapped User. We make six address spaces, so that every one of the
 * four shadows, that one included, is recycled for them, and in each a
 * ring-3 program reads a kernel text page and a kernel data page, both
 * used while the kernel ran on the Launcher's directory: every read must
 * fault. (Before kernel/vm.c flushed every shadow after leaving the
 * Launcher's directory, 4 of the 36 reads of the text page succeeded.)
 */
#include "user_test.h"

#define NSPACES 6
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
static uint32_t fault_cr2;
static unsigned faults;

static bool on_page_fault(struct trap_frame *f)
{
	if (!trap_from_user(f))
		return false;
	faults++;
	fault_cr2 = lguest_data.cr2;
	user_kill(KILLED_SEGV);
}

/* Read `va` from ring 3 in the current space: true if it faulted there. */
static bool user_read_faults(uint32_t va)
{
	unsigned before = faults;
	int code = user_call(USER_ADDR(user_blob_start, u_read), va, 0);

	return code == KILLED_SEGV && faults == before + 1 && fault_cr2 == va;
}

void app_main(void)
{
	uint32_t text = (uint32_t)(uintptr_t)_kernel_start;
	uint32_t data = (uint32_t)(uintptr_t)&fault_cr2 & ~0xFFFu;
	unsigned hidden = 0, tries = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TEST guest_kernel_hidden START\n");
	user_init();
	trap_set_handler(TRAP_PF, on_page_fault);
	user_space_new(&spaces[0], user_blob_start, user_blob_end);
	gpa_t code = gpa(*uvm_pte(&spaces[0], USER_TEXT) & X86_PTE_FRAME_MASK);
	for (unsigned k = 1; k < NSPACES; k++) {
		if (uvm_create(&spaces[k]) != 0)
			panic("out of memory");
		uvm_map(&spaces[k], USER_TEXT, code, 0);
		uvm_map_new(&spaces[k], USER_STACK_PAGE, X86_PTE_RW);
	}
	for (unsigned round = 0; round < 3; round++) {
		for (unsigned k = 0; k < NSPACES; k++) {
			uvm_switch(&spaces[k]);
			bool t = user_read_faults(text);
			bool s = user_read_faults(data);
			CHECK(t);
			CHECK(s);
			hidden += t + s;
			tries += 2;
			if (!t || !s)
				printf("space %u, round %u: ring 3 read the "
				       "kernel's %s\n", k, round,
				       !t ? "text" : "data");
		}
	}
	printf("%u of %u ring-3 reads of kernel pages faulted\n", hidden,
	       tries);
	uvm_switch(NULL);
	test_finish("guest_kernel_hidden");
}
