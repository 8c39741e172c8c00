/*
 * tests/unit/exit_names_test.c: the names host/rules/exit_names.c gives trap and
 * hypercall numbers, for the --verbose trace and the flight recorder: each
 * hypercall its specification name, the exceptions Intel's, host IRQs,
 * the switcher's 256 and every number out of range something non-NULL.
 */
#include <string.h>

#include <lguest/lguest.h>

#include "check.h"
#include "rules/exit_names.h"

#define NAMED(got, want) CHECK(strcmp((got), (want)) == 0)

static void test_hcall_names(void)
{
	NAMED(exit_hcall_name(LHCALL_FLUSH_ASYNC), "FLUSH_ASYNC");
	NAMED(exit_hcall_name(LHCALL_LGUEST_INIT), "LGUEST_INIT");
	NAMED(exit_hcall_name(LHCALL_CRASH), "CRASH");
	NAMED(exit_hcall_name(LHCALL_LOAD_GDT), "LOAD_GDT");
	NAMED(exit_hcall_name(LHCALL_NEW_PGTABLE), "NEW_PGTABLE");
	NAMED(exit_hcall_name(LHCALL_FLUSH_TLB), "FLUSH_TLB");
	NAMED(exit_hcall_name(LHCALL_LOAD_IDT_ENTRY), "LOAD_IDT_ENTRY");
	NAMED(exit_hcall_name(LHCALL_SET_STACK), "SET_STACK");
	NAMED(exit_hcall_name(LHCALL_TS), "TS");
	NAMED(exit_hcall_name(LHCALL_SET_CLOCKEVENT), "SET_CLOCKEVENT");
	NAMED(exit_hcall_name(LHCALL_HALT), "HALT");
	NAMED(exit_hcall_name(11), "unassigned");
	NAMED(exit_hcall_name(LHCALL_BIND_DMA), "BIND_DMA");
	NAMED(exit_hcall_name(13), "SEND_DMA");
	NAMED(exit_hcall_name(LHCALL_SET_PTE), "SET_PTE");
	NAMED(exit_hcall_name(LHCALL_SET_PMD), "SET_PMD");
	NAMED(exit_hcall_name(LHCALL_LOAD_TLS), "LOAD_TLS");
	NAMED(exit_hcall_name(LHCALL_NR), "unknown");
	NAMED(exit_hcall_name(0xFFFFFFFFu), "unknown");
}

static void test_trap_names(void)
{
	NAMED(exit_trap_name(0), "divide error");
	NAMED(exit_trap_name(6), "invalid opcode");
	NAMED(exit_trap_name(7), "device not available");
	NAMED(exit_trap_name(13), "general protection");
	NAMED(exit_trap_name(14), "page fault");
	NAMED(exit_trap_name(LGUEST_TRAP_ENTRY), "hypercall");
	NAMED(exit_trap_name(15), "reserved exception");
	NAMED(exit_trap_name(30), "reserved exception");
	NAMED(exit_trap_name(32), "host interrupt");
	NAMED(exit_trap_name(47), "host interrupt");
	NAMED(exit_trap_name(48), "interrupt");
	NAMED(exit_trap_name(0x80), "system call");
	NAMED(exit_trap_name(256), "entering the guest");
	NAMED(exit_trap_name(0xFFFFFFFFu), "interrupt");
	for (unsigned t = 0; t < 300; t++)
		CHECK(exit_trap_name(t) && exit_trap_name(t)[0]);
}

int main(void)
{
	RUN(test_hcall_names);
	RUN(test_trap_names);
	return CHECK_DONE();
}
