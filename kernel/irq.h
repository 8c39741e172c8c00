/*
 * kernel/irq.h: virtual interrupts. Enabling and disabling is a store to
 * lguest_data.irq_enabled, never cli/sti (spec §1.5, §4.6); delivery goes
 * through the IDT to irq_dispatch(), which calls the handler registered
 * for that line. IRQ 0 is the timer, IRQ i + 1 the device at bus index i.
 */
#ifndef LGREF_KERNEL_IRQ_H
#define LGREF_KERNEL_IRQ_H

#include <stdint.h>

#include <lguest/lguest.h>

#include "lguest_data.h"

typedef void (*irq_handler_t)(unsigned irq);

/*
 * Only 0 or LGUEST_IRQ_ENABLED_ON (0x200) is ever stored: the 2.6.23 host
 * treats any non-zero value as "enabled" (spec §2.1 quirk).
 */
static inline void irq_disable(void)
{
	lguest_data.irq_enabled = LGUEST_IRQ_ENABLED_OFF;
}

static inline void irq_enable(void)
{
	lguest_data.irq_enabled = LGUEST_IRQ_ENABLED_ON;
}

/* Disable, returning the previous state for irq_restore(). */
static inline uint32_t irq_save(void)
{
	uint32_t flags = lguest_data.irq_enabled & LGUEST_IRQ_ENABLED_ON;

	irq_disable();
	return flags;
}

static inline void irq_restore(uint32_t flags)
{
	lguest_data.irq_enabled = flags & LGUEST_IRQ_ENABLED_ON;
}

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
