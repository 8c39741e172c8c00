/*
 * host/arch/qemu_exit.c: the host's one way out. See qemu_exit.h.
 */
#include "arch/log.h"
#include "arch/qemu_exit.h"
#include "arch/x86.h"

void qemu_exit(uint32_t value)
{
	log_flush();		/* lines kept since the start (log.c) */
	outl(QEMU_EXIT_PORT, value);
	cpu_halt_forever();	/* no debug-exit device: stop here */
}
