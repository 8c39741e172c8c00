/*
 * kernel/power.c: power-off. lguest 2.6.23 has no power-off hypercall; a
 * guest that wants to stop "crashes" with the agreed message "Power down",
 * which the host and launcher treat as an orderly end (spec §3.2, §13).
 */
#include "lguest.h"
#include "power.h"

/*G:900 And so every journey ends: no ACPI, no power button, just one
 * last hypercall. We "crash" with the message "Power down", which the
 * host knows to mean an orderly shutdown. :*/
void poweroff(void)
{
	lguest_crash("Power down");
}
/*:*/
