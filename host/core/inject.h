/*
 * host/core/inject.h: the core's side of fault injection (host/core/inject.c;
 * what devices see of it is at the end of host/core/device.h). For tests
 * only: the host word inject= turns it on (docs/host-design.md "Fault
 * injection"); without it nothing here changes what a guest sees.
 */
#ifndef LGREF_HOST_INJECT_H
#define LGREF_HOST_INJECT_H

#include <stdbool.h>

#include "core/guest.h"

/* Start-up, after the clock, before the devices: read inject= from the
 * host's command line and say on the log what will be injected, one line
 * per mode (or why nothing will: a bad value). */
void inject_init(const char *cmdline);

/* The host is about to leave: one line per mode that was on, with what
 * it did. */
void inject_report(void);

/* irq-delay or irq-coalesce is on. */
extern bool inject_irqs_on;

/* guest_raise_irq() of a device IRQ (not the timer's) while
 * inject_irqs_on: true if the IRQ is held back (it will be made pending
 * later, by inject_poll() or a later event), false to raise it now. */
bool inject_irq_hold(struct guest *g, unsigned irq);

/* Every exit and every turn of the scheduler (devices_poll()): release
 * the held IRQs and the held guest-to-guest frame whose time has come,
 * and arm the alarm for the next. Cheap when nothing is held. */
void inject_poll(void);

#endif
