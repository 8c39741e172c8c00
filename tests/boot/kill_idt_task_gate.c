/*
 * tests/boot/kill_idt_task_gate.c: LOAD_IDT_ENTRY accepts only 32-bit
 * interrupt (0xE) and trap (0xF) gates; a present gate of any other type,
 * here a task gate (5), kills the guest ("bad IDT type", spec §4.7). We use
 * vector 3 (breakpoint), which the host does not ignore.
 */
#include <stdio.h>

#include "../../kernel/app.h"
#include "../../kernel/x86.h"

#define TASK_GATE_TYPE 0x5
#define TASK_GATE_VECTOR 3

void app_main(void)
{
	struct x86_desc gate = x86_gate(0, TASK_GATE_TYPE, GUEST_PL);

	printf("TEST kill_idt_task_gate START\n");
	printf("loading a present task gate (type 5) at vector %d: "
	       "lo=0x%08lx hi=0x%08lx\n",
	       TASK_GATE_VECTOR, (unsigned long)gate.lo, (unsigned long)gate.hi);
	fflush(stdout);
	hcall(LHCALL_LOAD_IDT_ENTRY, TASK_GATE_VECTOR, gate.lo, gate.hi);
	printf("FAIL %s:%d: a task gate was accepted\n", __FILE__, __LINE__);
	fflush(stdout);
}
