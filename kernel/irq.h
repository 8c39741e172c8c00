/*
 * kernel/irq.h: virtual interrupts. Enabling and disabling them is
 * kernel/irqflags.h's (included here); delivery goes through the IDT to
 * irq_dispatch(), which calls the handler registered for that line. IRQ 0
 * is the timer, IRQ i + 1 the device at bus index i.
 */
#ifndef LGREF_KERNEL_IRQ_H
#define LGREF_KERNEL_IRQ_H

#include <lguest/lguest.h>

#include "irqflags.h" /* irq_enable/disable/save/restore() */

typedef void (*irq_handler_t)(unsigned irq);

/*
 * Route virtual IRQ `irq` (< LGUEST_IRQS) to `handler` and unblock the
 * line. The handler runs with interrupts disabled and must not sleep.
 * Returns 0, or -1 if the line is out of range or already taken.
 */
int irq_register(unsigned irq, irq_handler_t handler);

/* Block the line again and forget its handler. */
void irq_unregister(unsigned irq);

/* Called by the trap code for vectors 32..63 (kernel/trap.c). */
void irq_dispatch(unsigned irq);

/*
 * Sleep until an interrupt has been handled. Call with interrupts
 * disabled, having found nothing to do; returns with them disabled again.
 * The check-then-sleep race is closed by the host, which wakes a halted
 * guest even with irq_enabled == 0 (spec §4.3, §4.12).
 */
void irq_wait(void);

#endif
