/*
 * tests/boot/soak_hostile.c: the hostile guest of `make soak` and of
 * tests/boot/respawn_hostile.expect. It is started with --respawn and
 * --sharenet as its first device, and each launch tries one attack of the
 * kill_* / attack_* family, chosen by its launch number (relaunch=N on
 * its command line, which the host adds to every re-launch; none on the
 * first), so that in a row of launches every attack comes round:
 *
 *   0 hcall_17      hypercall 17, past the last            killed
 *   1 pte_pfnlimit  SET_PTE of a frame far past pfnlimit   killed
 *   2 dma_key       SEND_DMA to the unaligned key 2        killed
 *   3 dma_wrap      a console DMA section that wraps 4 GiB killed
 *   4 ds_base       a %ds with a base at an exit           harmless: the
 *                   (attack_ds_base.c)                     host comes back;
 *                                                          we power off
 *   5 log_inject    newlines in a CRASH message            crashed, the
 *                                                          message escaped
 *   6 gdt_33        LOAD_GDT with 33 entries               killed
 *   7 data_straddle lguest_data across the LAN page        killed at
 *                   (before LGUEST_INIT)                   LGUEST_INIT
 *   8 stack_rpl0    SET_STACK with a ring-0 selector       killed
 *
 * Each launch prints "SOAKHOSTILE launch=N attack=NAME" first (but 7,
 * which dies before it can print), waits wait=MS milliseconds (default
 * 500; the soak's other guests work meanwhile), then attacks. Whatever
 * the host does must stop this launch alone: scripts/soak.py checks every
 * other guest's work, and the host's ledger of pages at every re-launch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/app.h"
#include "../../kernel/bootparams.h"
#include "../../kernel/irq.h"
#include "../../kernel/lguest.h"
#include "../../kernel/x86.h"
#include "boot_check.h"

#define ATTACKS 9
#define ATTACK_STRADDLE 7

static const char *const attack_names[ATTACKS] = {
	"hcall_17", "pte_pfnlimit", "dma_key", "dma_wrap", "ds_base",
	"log_inject", "gdt_33", "data_straddle", "stack_rpl0",
};

/* The value of word=N on our command line, or dflt. */
static unsigned attack_number(void)
{
	return cmdline_number("relaunch", 0) % ATTACKS;
}

/* 7: before LGUEST_INIT, which we make first, 8 bytes before the page
 * after the descriptor page: with --sharenet first, the LAN's page
 * (tests/boot/kill_lguest_data_straddle.c). */
void app_before_init(void)
{
	if (attack_number() == ATTACK_STRADDLE)
		hcall(LHCALL_LGUEST_INIT, bootparams_mem_bytes() + 4096 - 8,
		      0, 0);
}

static volatile uint8_t victim[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct lguest_dma dma __attribute__((aligned(128)));
static struct x86_desc big_gdt[GDT_ENTRIES + 1];
static struct x86_desc tls[GDT_ENTRY_TLS_ENTRIES];
static volatile uint32_t fake_cr3 __attribute__((aligned(4096)));
static char payload[] = "this must never be printed\n";

/* host/arch/switcher.h: SWITCHER_CPU + CPU_PAGE_HOST_CR3, as in
 * tests/boot/attack_ds_base.c. */
#define HOST_CR3_SLOT (LGUEST_SWITCHER_ADDR + 3 * 4096 + 2452)

static void attack_ds_base(void)
{
	uint32_t base = (uint32_t)(uintptr_t)&fake_cr3 - HOST_CR3_SLOT;
	uint32_t sel = GDT_ENTRY_TLS_MIN * 8 + 1;	/* RPL 1 */
	uint32_t call = LHCALL_TS;			/* not the null call */

	fake_cr3 = 0;
	tls[0] = x86_data_segment(base, 0xFFFFF, 1);
	hcall(LHCALL_LOAD_TLS, gpa_val(virt_to_gpa(tls)), 0, 0);
	__asm__ volatile("movl %1, %%ds\n\t"
			 "int $" X86_STR(LGUEST_TRAP_ENTRY) "\n\t"
			 "movl %2, %%ds\n\t"
			 : "+a"(call)
			 : "r"(sel), "r"((uint32_t)LGUEST_KERNEL_DS),
			   "d"(0), "b"(0), "c"(0)
			 : "memory");
	printf("SOAKHOSTILE ds_base: the host came back with its own cr3\n");
}

static void attack(unsigned n)
{
	switch (n) {
	case 0:
		hcall(LHCALL_NR, 0x1234, 0x5678, 0x9abc);
		break;
	case 1: {
		uint32_t va = (uint32_t)(uintptr_t)victim;
		victim[0] = 1;	/* now the host shadows this page */
		hcall(LHCALL_SET_PTE, gpa_val(vm_pgdir()), va,
		      0xFFFFFu << PAGE_SHIFT | X86_PTE_PRESENT | X86_PTE_RW |
		      X86_PTE_ACCESSED);
		break;
	}
	case 2:
		dma.used_len = 0;
		dma.addr[0] = gpa_val(virt_to_gpa(payload));
		dma.len[0] = (uint16_t)strlen(payload);
		dma.len[1] = 0;
		hcall(LHCALL_SEND_DMA, 2, gpa_val(virt_to_gpa(&dma)), 0);
		break;
	case 3:
		dma.used_len = 0;
		dma.addr[0] = 0xFFFFFFF0u;	/* + 32 wraps past 4 GiB */
		dma.len[0] = 32;
		dma.len[1] = 0;
		hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY,
		      gpa_val(virt_to_gpa(&dma)), 0);
		break;
	case 4:
		attack_ds_base();
		return;		/* harmless: the caller powers off */
	case 5:
		lguest_crash("soak\nSOAKFORGED guest 0: powered off\n"
			     "SOAKFORGED lgref host: no guest left");
	case 6:
		big_gdt[GDT_ENTRY_KERNEL_CS] = (struct x86_desc){
			LGUEST_GDT_FLAT_LO, LGUEST_GDT_KERNEL_CS_HI};
		big_gdt[GDT_ENTRY_KERNEL_DS] = (struct x86_desc){
			LGUEST_GDT_FLAT_LO, LGUEST_GDT_KERNEL_DS_HI};
		hcall(LHCALL_LOAD_GDT, gpa_val(virt_to_gpa(big_gdt)),
		      GDT_ENTRIES + 1, 0);
		break;
	case 8:
		hcall(LHCALL_SET_STACK, LGUEST_KERNEL_DS & ~3u,
		      (uint32_t)(uintptr_t)boot_stack_top, 1);
		break;
	}
	printf("SOAKHOSTILE FAIL attack %s was not stopped\n",
	       attack_names[n]);
}

void app_main(void)
{
	unsigned n = attack_number();
	uint64_t wait_ns = cmdline_number("wait", 500) * 1000000ull;

	printf("SOAKHOSTILE launch=%u attack=%s\n",
	       cmdline_number("relaunch", 0), attack_names[n]);
	fflush(stdout);
	uint64_t start = clock_now_ns();
	uint32_t flags = irq_save();
	while (clock_now_ns() - start < wait_ns)
		irq_wait();
	irq_restore(flags);
	attack(n);
	fflush(stdout);
}
