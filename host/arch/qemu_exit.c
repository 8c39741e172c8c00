/*
 * host/arch/qemu_exit.c: the host's one way out. See qemu_exit.h.
 */
#include "arch/qemu_exit.h"
#include "arch/x86.h"

void (*qemu_exit_first)(void);

void qemu_exit(uint32_t value)
{
	if (qemu_exit_first)
		qemu_exit_first();
	outl(QEMU_EXIT_PORT, value);
	cpu_halt_forever();	/* no debug-exit device: stop here */
}
