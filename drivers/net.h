/*
 * drivers/net.h: lguest network devices (spec §8.3), the guest's network
 * interfaces. Each type-2 device on the bus becomes an interface named
 * net0, net1, ... in probe order, brought up at probe: eight receive
 * buffers bound at our slot's key, our MAC written into our slot of the
 * device page, and an IPv4 stack (lib/netstack.h) on top, configured from
 * the command line (lib/netcfg.h).
 *
 * The driver feeds the stack from its interrupt handler, so replies and
 * handlers (UDP ports, ping's echo handler) run there too. Anyone else
 * calling into an interface's stack must do so with interrupts disabled
 * (irq_save() ... irq_restore()).
 */
#ifndef LGREF_DRIVERS_NET_H
#define LGREF_DRIVERS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/netstack.h"
#include "bus.h"

struct net_if; /* one per network device; lives as long as the kernel */

/* Bus probe for a type-2 device (drivers/bus.c): bring the interface up.
 * Returns 0, or -1 (device FAILED). */
int net_probe(const struct bus_device *dev);

/* A one-line description of the interface at bus slot `index` for the
 * device list ("net0 02:00:00:00:00:00 slot 1 ip 10.0.0.1/24"), or "". */
void net_describe(unsigned index, char *out, size_t size);

/* Interfaces found, and the i-th (0-based, probe order); NULL past the
 * end. */
unsigned net_count(void);
struct net_if *net_get(unsigned i);

const char *net_name(const struct net_if *nif);   /* "net0" */
struct netstack *net_stack(struct net_if *nif);

/*
 * The interface to send to dst on: the first whose subnet holds dst,
 * else the first with a gateway, else the first. NULL if there is none.
 */
struct net_if *net_route(uint32_t dst);

/*
 * Take whatever the receive buffers hold now, as the interrupt handler
 * would (so with interrupts disabled, like any call into the stack).
 * True if any frame was taken. For a program that is about to halt for
 * a frame: the frame may be there already, its IRQ merely not delivered
 * yet (interrupts are off), and halting would cost an exit to learn it.
 * Nothing in the ABI depends on it: the IRQ still comes, and finds the
 * buffers empty.
 */
bool net_poll(struct net_if *nif);

/* Ask the LAN for every frame (the promiscuous bit in our slot), or not. */
void net_set_promisc(struct net_if *nif, bool on);

/* Print the device side: MAC, slot, key, IRQ, flags, the other used
 * slots of the page (peers), and the driver's counters. */
void net_print(const struct net_if *nif);

#endif
