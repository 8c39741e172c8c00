/*
 * host/arch/cpu.h: the host's own CPU tables (GDT, IDT, TSS) and the handler for
 * traps and interrupts that arrive while the host, not a guest, is running.
 */
#ifndef LGREF_HOST_CPU_H
#define LGREF_HOST_CPU_H

#include <stdint.h>

/* Load the host GDT (code 0x50, data 0x58 — the same selectors the guest's
 * GDT carries in its host-owned entries 10 and 11), the host IDT and the
 * TSS (which lives in the Switcher region), and turn SYSENTER off. */
void cpu_init(void);

/* The host-owned descriptors every guest GDT carries (entries 10, 11). */
uint64_t cpu_host_descriptor(unsigned index);

/* Build an i386 segment descriptor. */
uint64_t cpu_make_descriptor(uint32_t base, uint32_t limit, uint32_t access,
			     uint32_t flags);

/* Build an i386 interrupt/trap gate. */
uint64_t cpu_make_gate(uint32_t offset, uint16_t selector, unsigned type,
		       unsigned dpl);

/* Point a host IDT vector at a handler (host/prof/bench.c). */
void cpu_set_host_gate(unsigned vector, uint32_t handler, unsigned dpl);

/* Called for every hardware interrupt, whether it arrived while the host
 * or a guest ran (host/interrupts_host.c). */
void host_interrupt(unsigned vector);

#endif
