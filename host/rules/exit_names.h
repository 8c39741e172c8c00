/*
 * host/rules/exit_names.h: names for the numbers an exit carries, so the host's
 * diagnostics say "page fault" and "SEND_DMA" rather than 14 and 13. One
 * table for the --verbose trace (host/core/run.c) and the flight recorder
 * (host/core/flight.c). Pure: no guest, no hardware, unit-tested natively.
 */
#ifndef LGREF_HOST_EXIT_NAMES_H
#define LGREF_HOST_EXIT_NAMES_H

/* The trap number of an exit (struct guest_regs.trapnum): a CPU exception
 * ("page fault"), the hypercall vector 0x1F ("hypercall"), a host IRQ
 * vector 32..47 ("host interrupt"), 0x80 ("system call"), 256 (the
 * switcher's "entering the guest"); any other vector is "interrupt".
 * Never NULL. */
const char *exit_trap_name(unsigned trap);

/* The name of hypercall `call` as docs/abi.md §3 has it, without the
 * LHCALL_ prefix ("SEND_DMA"); "unassigned" for 11 and "unknown" for
 * anything from LHCALL_NR on. Never NULL. */
const char *exit_hcall_name(unsigned call);

#endif
