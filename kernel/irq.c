/*
 * kernel/irq.c: the virtual-IRQ dispatch table, line masking through
 * lguest_data.blocked_interrupts, and the idle wait. The entry stubs and
 * the iret replacement are in kernel/trapentry.S; exceptions are
 * kernel/trap.c's.
 */
#include <stddef.h>

#include "hcall.h"
#include "irq.h"
#include "kprintf.h"
#include "../lib/hot.h"

GUEST_HOT_DATA static irq_handler_t irq_handlers[LGUEST_IRQS];
static unsigned irq_spurious[LGUEST_IRQS];

int irq_register(unsigned irq, irq_handler_t handler)
{
	if (irq >= LGUEST_IRQS || handler == NULL || irq_handlers[irq])
		return -1;
	uint32_t flags = irq_save();
	irq_handlers[irq] = handler;
	/* Takes effect at our next exit; anything pending then arrives. */
	lguest_data.blocked_interrupts &= ~(1u << irq);
	irq_restore(flags);
	return 0;
}

void irq_unregister(unsigned irq)
{
	if (irq >= LGUEST_IRQS)
		return;
	uint32_t flags = irq_save();
	lguest_data.blocked_interrupts |= 1u << irq;
	irq_handlers[irq] = NULL;
	irq_restore(flags);
}

/*G:150 An interrupt has arrived: the host found IRQ n pending and not
 * blocked, saw we had interrupts enabled, and pushed an interrupt frame on
 * our stack, just as the CPU would. Because we installed an interrupt gate,
 * it also set irq_enabled to 0, so nothing can nest on top of us. The stub
 * in trapentry.S saved the registers and brought us here. :*/
GUEST_HOT_TEXT
void irq_dispatch(unsigned irq)
{
	irq_handler_t handler = irq < LGUEST_IRQS ? irq_handlers[irq] : NULL;

	if (handler) {
		handler(irq);
		return;
	}
	/* A line nobody asked for: the pending bit is already gone, so just
	 * say so, once per line. */
	if (irq < LGUEST_IRQS && irq_spurious[irq]++ == 0)
		kprintf("irq: spurious interrupt on line %u\n", irq);
}
/*:*/

/*G:160 Idling. A real kernel would "sti; hlt"; we make LHCALL_HALT with
 * interrupts still disabled. The host checks for deliverable interrupts
 * before it puts us to sleep, and a halted guest counts as interruptible:
 * it writes 0x200 to irq_enabled and delivers. So an interrupt that slips
 * in between our "nothing to do" and the HALT cannot be lost. The handler's
 * iret replacement leaves irq_enabled on, hence the disable afterwards. :*/
GUEST_HOT_TEXT
void irq_wait(void)
{
	hcall(LHCALL_HALT, 0, 0, 0);
	irq_disable();
}
/*:*/
