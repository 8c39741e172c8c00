/*
 * tests/boot/lan_test.h: what the --sharenet boot tests share: finding the
 * LAN's page through the device page, and taking turns with the peer
 * guest through a phase word in the page's last four bytes, which no slot
 * covers (682 slots * 6 bytes = 4092).
 */
#ifndef LGREF_TESTS_BOOT_LAN_TEST_H
#define LGREF_TESTS_BOOT_LAN_TEST_H

#include <stdint.h>
#include <string.h>

#include <lguest/launcher.h>

#include "../../kernel/bootparams.h"
#include "../../kernel/hcall.h"
#include "../../kernel/irq.h"
#include "../../kernel/mm.h"
#include "../../kernel/vm.h"
#include "../../kernel/x86.h"

static volatile uint8_t *lan;	/* the shared page */
static uint32_t lan_gpa;
static uint16_t lan_features;	/* the device's: slot | NOCSUM */

/* Map the first network device's page; its descriptor index, or -1. */
static inline int lan_find(void)
{
	volatile struct lguest_device_desc *d =
		vm_map_io(gpa(bootparams_mem_bytes()), 1);

	for (unsigned i = 0; i < LGUEST_MAX_DEVICES; i++) {
		if (d[i].type != LGUEST_DEVICE_T_NET)
			continue;
		lan_gpa = d[i].pfn * 4096;
		lan_features = d[i].features;
		lan = vm_map_io(gpa(lan_gpa), 1);
		return (int)i;
	}
	return -1;
}

static inline volatile uint32_t *lan_phase(void)
{
	return (volatile uint32_t *)(lan + 4092);
}

static inline void lan_set_phase(uint32_t p)
{
	x86_barrier();
	*lan_phase() = p;
}

/* Sleep (timer ticks wake us; the peer runs meanwhile) until the phase
 * word reads `want`. */
static inline void lan_wait_phase(uint32_t want)
{
	uint32_t flags = irq_save();

	while (*lan_phase() != want)
		irq_wait();
	irq_restore(flags);
}

/* A guest that must be stopped from outside binds a receive array at an
 * unused slot's key, outside its own memory: a send there later gets it
 * killed (the host checks the receiver's array only then). Returns what
 * BIND_DMA did (1). */
#define LAN_POISON_KEY_OFFSET 2400	/* slot 600's key: no driver uses it */
static inline uint32_t lan_bind_poison(void)
{
	return hcall(LHCALL_BIND_DMA, lan_gpa + LAN_POISON_KEY_OFFSET,
		     bootparams_mem_bytes() + (64u << 20),
		     (1 << LHCALL_BIND_DMA_COUNT_SHIFT) | 20);
}

/* Kill the guest that bound the poison array: send it a frame. */
static inline void lan_send_poison(void)
{
	static struct lguest_dma tx __attribute__((aligned(128)));
	static uint8_t frame[64];

	memset(&tx, 0, sizeof(tx));
	memset(frame, 0x5A, sizeof(frame));
	tx.addr[0] = gpa_val(virt_to_gpa(frame));
	tx.len[0] = sizeof(frame);
	hcall(LHCALL_SEND_DMA, lan_gpa + LAN_POISON_KEY_OFFSET,
	      gpa_val(virt_to_gpa(&tx)), 0);
}

/* Sleep through n timer ticks (any interrupt counts as one). */
static inline void lan_sleep_ticks(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t flags = irq_save();
		irq_wait();
		irq_restore(flags);
	}
}

#endif
