/*
 * kernel/irqflags.h: the virtual interrupt flag. Enabling and disabling
 * interrupts is a store to lguest_data.irq_enabled, never cli/sti (spec
 * §1.5, §4.6). Apart from the rest of kernel/irq.h because the hypercall
 * code needs the flag (the async ring is filled with interrupts off) and
 * irq.h's idle wait needs the hypercall: the flag sits below both.
 */
#ifndef LGREF_KERNEL_IRQFLAGS_H
#define LGREF_KERNEL_IRQFLAGS_H

#include <stdint.h>

#include <lguest/lguest.h>

#include "lguest_data.h"

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

#endif
