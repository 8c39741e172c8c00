/*
 * kernel/main.c: kernel_start(), the guest's C entry, called by
 * boot/entry.S on the boot stack. It brings the pieces up in the order
 * they depend on each other and hands over to the program (app_main).
 * Each step lives in its own file; this one only sets the order.
 */
#include <stdio.h>
#include <string.h>

#include "../drivers/bus.h"
#include "../drivers/timer.h"
#include "app.h"
#include "bootparams.h"
#include "clock.h"
#include "heap.h"
#include "irq.h"
#include "kprintf.h"
#include "lguest.h"
#include "lguest_data.h"
#include "palloc.h"
#include "power.h"
#include "segments.h"
#include "trap.h"
#include "vm.h"


__attribute__((noreturn)) void
kernel_start(const struct boot_params *zero_page);

/*G:020 C at last. The launcher loaded our file but did not clear our BSS
 * (spec §1.3: the tail of the last file page holds whatever followed in
 * the file), so that comes first; the boot stack lies outside the BSS, so
 * we can do it from C. Then we copy the zero page and the command line,
 * which sit in low memory we will want to reuse. :*/
void kernel_start(const struct boot_params *zero_page)
{
	memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
	bootparams_copy(zero_page);
	lguest_init(app_before_init);
	clock_init();
/*:*/

	/*G:050 From here on we may print: console output needs nothing but
	 * LGUEST_INIT (kernel/early_console.c). We say hello, and what the
	 * launcher put on our command line. :*/
	kprintf("lgref guest " LGREF_VERSION
		": a guest kernel for the Linux 2.6.23 lguest ABI\n");
	kprintf("guest id %u, command line: \"%s\"\n",
		(unsigned)lguest_data.guestid, bootparams_cmdline());
	/*:*/

	/* The CPU state the host keeps for us: GDT and IDT. From now on a
	 * fault ends in our panic message rather than an "unhandled trap". */
	segments_init();
	trap_init();

	/* Memory: our own page tables, then the stack the host pins in
	 * them, then the heap newlib's malloc uses. */
	vm_init();
	segments_set_stack();
	heap_init();
	kprintf("memory: %lu KiB of RAM, %lu KiB free\n",
		(unsigned long)vm_ram_bytes() / 1024,
		(unsigned long)palloc_free_count() * (PAGE_SIZE / 1024));

	/* The tick, then interrupts on: the first tick arrives soon after. */
	timer_init();
	if (clock_tsc_khz())
		kprintf("clock: TSC at %lu kHz\n", (unsigned long)clock_tsc_khz());
	else
		kprintf("clock: host time (no TSC frequency from the host)\n");
	irq_enable();

	bus_init();
	bus_print();

	app_main();

	fflush(stdout);
	poweroff();
}
