/*
 * kernel/app.h: the contract between the kernel and its one program.
 * The program is apps/ (the echo prompt apps/shell.c and the tools it
 * runs), or a boot test tests/boot/<name>.c linked in its place. It may
 * use newlib's stdio (printf, read on fd 0) and the kernel services
 * declared in the headers included below. The kernel needs nothing of it
 * but these two functions, which only kernel/main.c calls: no file of
 * the core (boot/ kernel/ drivers/ lib/) includes anything from apps/.
 */
#ifndef LGREF_KERNEL_APP_H
#define LGREF_KERNEL_APP_H

#include "../drivers/bus.h"
#include "../drivers/console.h"
#include "../drivers/timer.h"
#include "clock.h"
#include "hcall.h"
#include "kprintf.h"
#include "lguest_data.h"
#include "mm.h"
#include "power.h"
#include "trap.h"
#include "vm.h"

/*
 * The program. Called once the kernel is up: traps, memory, clock and
 * timer, the bus and the console driver. Returning powers the guest off.
 */
void app_main(void);

/*
 * Optional (weak): called just before LHCALL_LGUEST_INIT (main.c hands it
 * to lguest_init()), with nothing set up yet but BSS, boot parameters and
 * lguest_data. No hypercall is allowed here -- which is exactly what a
 * boot test may want to break.
 */
void app_before_init(void) __attribute__((weak));

#endif
