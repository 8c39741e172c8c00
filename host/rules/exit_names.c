/*
 * host/rules/exit_names.c: the names of traps and hypercalls (see exit_names.h).
 * The exception names are Intel's (SDM vol. 3, table 6-1); the hypercall
 * names are the specification's, as include/lguest/lguest.h spells them.
 */
#include <lguest/lguest.h>

#include "rules/exit_names.h"

#define EXIT_IRQ_BASE 32	/* host/arch/pic.h PIC_VECTOR_BASE */
#define EXIT_IRQ_COUNT 16
#define EXIT_SYSCALL 0x80
#define EXIT_ENTERING_GUEST 256	/* host/arch/switcher.h TRAP_ENTERING_GUEST */

static const char *const trap_names[] = {
	[0] = "divide error",
	[1] = "debug",
	[2] = "NMI",
	[3] = "breakpoint",
	[4] = "overflow",
	[5] = "BOUND range exceeded",
	[6] = "invalid opcode",
	[7] = "device not available",
	[8] = "double fault",
	[9] = "coprocessor segment overrun",
	[10] = "invalid TSS",
	[11] = "segment not present",
	[12] = "stack fault",
	[13] = "general protection",
	[14] = "page fault",
	[15] = "reserved exception",
	[16] = "x87 FPU error",
	[17] = "alignment check",
	[18] = "machine check",
	[19] = "SIMD floating point",
	[20] = "virtualization exception",
	[21] = "control protection",
	[LGUEST_TRAP_ENTRY] = "hypercall",
};

static const char *const hcall_names[LHCALL_NR] = {
	[LHCALL_FLUSH_ASYNC] = "FLUSH_ASYNC",
	[LHCALL_LGUEST_INIT] = "LGUEST_INIT",
	[LHCALL_CRASH] = "CRASH",
	[LHCALL_LOAD_GDT] = "LOAD_GDT",
	[LHCALL_NEW_PGTABLE] = "NEW_PGTABLE",
	[LHCALL_FLUSH_TLB] = "FLUSH_TLB",
	[LHCALL_LOAD_IDT_ENTRY] = "LOAD_IDT_ENTRY",
	[LHCALL_SET_STACK] = "SET_STACK",
	[LHCALL_TS] = "TS",
	[LHCALL_SET_CLOCKEVENT] = "SET_CLOCKEVENT",
	[LHCALL_HALT] = "HALT",
	[LHCALL_UNASSIGNED_11] = "unassigned",
	[LHCALL_BIND_DMA] = "BIND_DMA",
	[LHCALL_SEND_DMA] = "SEND_DMA",
	[LHCALL_SET_PTE] = "SET_PTE",
	[LHCALL_SET_PMD] = "SET_PMD",
	[LHCALL_LOAD_TLS] = "LOAD_TLS",
};

const char *exit_trap_name(unsigned trap)
{
	if (trap < sizeof(trap_names) / sizeof(trap_names[0]) &&
	    trap_names[trap])
		return trap_names[trap];
	if (trap < 32)
		return "reserved exception";
	if (trap >= EXIT_IRQ_BASE && trap < EXIT_IRQ_BASE + EXIT_IRQ_COUNT)
		return "host interrupt";
	if (trap == EXIT_SYSCALL)
		return "system call";
	if (trap == EXIT_ENTERING_GUEST)
		return "entering the guest";
	return "interrupt";
}

const char *exit_hcall_name(unsigned call)
{
	return call < LHCALL_NR ? hcall_names[call] : "unknown";
}
