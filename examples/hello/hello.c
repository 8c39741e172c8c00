/*
 * examples/hello/hello.c: the smallest guest that does something under
 * an lguest host, written against include/lguest/ alone: no C library,
 * no lgref kernel. docs/guest-guide.md walks it step by step.
 *
 * entry.S gave us a stack and a clean BSS. Here we read the zero page,
 * introduce ourselves to the host (LHCALL_LGUEST_INIT), print two lines
 * on the console (SEND_DMA to key 0), and power off (LHCALL_CRASH with
 * "Power down"). No interrupts, no page tables of our own, no devices:
 * the console needs none of them.
 */
#include <lguest/bootparam.h>
#include <lguest/launcher.h>
#include <lguest/lguest.h>

/* Step 2: addresses. The launcher's page tables map guest-physical
 * address x at virtual page_offset + x, and page_offset is what hello.ld
 * linked us at: its symbol hello_page_offset has that value as address.
 * Hypercalls and DMA speak guest-physical addresses (docs/abi.md §3.3). */
extern const char hello_page_offset[];
#define PAGE_OFFSET ((uint32_t)(uintptr_t)hello_page_offset)

static uint32_t gpa(const void *p)
{
	return (uint32_t)(uintptr_t)p - PAGE_OFFSET;
}

static const void *gpa_to_ptr(uint32_t gpa)
{
	return (const void *)(uintptr_t)(gpa + PAGE_OFFSET);
}

/* Step 3: a hypercall is "int $0x1F" at ring 1, the call number in %eax
 * and up to three arguments in %edx, %ebx, %ecx (docs/abi.md §3.1). The
 * host does the work before the instruction "returns". */
static void hcall(uint32_t call, uint32_t arg1, uint32_t arg2, uint32_t arg3)
{
	__asm__ volatile("int %[vector]"
			 : "+a"(call)
			 : [vector] "i"(LGUEST_TRAP_ENTRY), "d"(arg1),
			   "b"(arg2), "c"(arg3)
			 : "memory");
}

/* Shared with the host from LGUEST_INIT on. It must stay where it is:
 * the host finds it by guest-physical address (docs/abi.md §2). */
static struct lguest_data lguest_data;

/* Step 5: the console. One struct lguest_dma lists up to 16 sections
 * (guest-physical address, length); a length of 0 ends the list. Sent
 * to key 0, it goes to the launcher, which writes the bytes out and
 * stores how many in used_len before the hypercall returns (§8.1). We
 * send one section of at most 256 bytes at a time, as Linux did. (The
 * launcher does not mind a section that crosses a page; guest-to-guest
 * DMA would, §6.2. Our strings are short and aligned, so they don't.) */
static struct lguest_dma console_dma __attribute__((aligned(128)));

static void console_write(const char *s, uint32_t len)
{
	while (len > 0) {
		uint32_t n = len < LGUEST_CONSOLE_OUT_MAX ? len
							  : LGUEST_CONSOLE_OUT_MAX;
		console_dma.used_len = 0;
		console_dma.addr[0] = gpa(s);
		console_dma.len[0] = (uint16_t)n;
		console_dma.len[1] = 0; /* end of the section list */
		hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY,
		      gpa(&console_dma), 0);
		s += n;
		len -= n;
	}
}

static uint32_t length(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Step 6: the host reads exactly 128 bytes of a CRASH message, however
 * short it is (docs/abi.md §3.2), so it travels in a buffer that long.
 * Initialised, it also gives the data segment its file bytes (hello.ld). */
static char power_down[LGUEST_CRASH_MSG_LEN] = "Power down";

static const char hello[] __attribute__((aligned(64))) =
	"hello from a minimal lguest guest\n";

void hello_main(uint32_t zero_page_gpa) __attribute__((noreturn));

void hello_main(uint32_t zero_page_gpa)
{
	/* Step 2: the zero page (docs/abi.md §1.3) holds, among others, the
	 * address of the command line the launcher wrote at 0x1000. */
	const uint8_t *zero_page = gpa_to_ptr(zero_page_gpa);
	const char *cmdline =
		gpa_to_ptr(*(const uint32_t *)(zero_page +
					       BOOT_PARAMS_CMD_LINE_PTR));

	/* Step 4: LGUEST_INIT must be our first hypercall (§1.7). The host
	 * takes every ring slot not marked free for a queued call, so all
	 * 64 status bytes become 0xFF first; virtual interrupts stay off,
	 * and the no-interrupt window (read only now) is empty. */
	for (unsigned i = 0; i < LHCALL_RING_SIZE; i++)
		lguest_data.hcall_status[i] = LHCALL_STATUS_FREE;
	lguest_data.irq_enabled = LGUEST_IRQ_ENABLED_OFF;
	lguest_data.noirq_start = 0;
	lguest_data.noirq_end = 0;
	hcall(LHCALL_LGUEST_INIT, gpa(&lguest_data), 0, 0);

	/* Step 5: say hello, and what the launcher put on our command line
	 * (each argument followed by one space, §1.2). */
	console_write(hello, sizeof(hello) - 1);
	console_write("command line: ", 14);
	console_write(cmdline, length(cmdline));
	console_write("\n", 1);

	/* Step 6: power off. There is no power-off call in 2.6.23: a guest
	 * "crashes" with the message "Power down", which the host takes as
	 * an orderly end. It never runs us again. */
	hcall(LHCALL_CRASH, gpa(power_down), 0, 0);
	for (;;)
		;
}
