/*
 * host/arch/pic.h: the two 8259 interrupt controllers QEMU's PC has. Hardware
 * IRQ n arrives on vector 32 + n (the same range the guests' virtual IRQs
 * use, but on the host's side of the switch; the two never meet).
 * docs/host-design.md "Hardware interrupts" says how shared PCI lines are
 * kept from sticking.
 */
#ifndef LGREF_HOST_PIC_H
#define LGREF_HOST_PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_VECTOR_BASE 32
#define PIC_IRQ_TIMER 0
#define PIC_IRQ_COM1 4

/* Remap to 32..47, everything masked, every line edge-triggered. */
void pic_init(void);

/* Let line irq through (an ISA line: edge-triggered), or stop it. */
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);

/* Host command line "pic=edge": pic_unmask_level() leaves lines
 * edge-triggered, so that only the core's rounds over the devices keep a
 * shared line from sticking (scripts/irq_shared_load.py tests both). */
void pic_keep_edge(void);

/* Let PCI line irq through in level mode (ELCR). False if the line
 * stays edge-triggered (0, 1, 2, 8 and 13 must; or a chipset without an
 * ELCR). */
bool pic_unmask_level(unsigned irq);

/* The ELCR as the firmware left it, and as it is now (bit n: line n is
 * level-triggered). */
uint16_t pic_firmware_elcr(void);
uint16_t pic_level_lines(void);

/* An interrupt on line irq arrived: false if it is a spurious IRQ 7 or
 * 15, which must not be handled or acknowledged (pic_begin() has done
 * what such an interrupt needs). */
bool pic_begin(unsigned irq);

/* End of interrupt for line irq (after pic_begin() said true). */
void pic_eoi(unsigned irq);

#endif
