/*
 * host/arch/pic.h: the two 8259 interrupt controllers QEMU's PC has. Hardware
 * IRQ n arrives on vector 32 + n (the same range the guests' virtual IRQs
 * use, but on the host's side of the switch; the two never meet).
 */
#ifndef LGREF_HOST_PIC_H
#define LGREF_HOST_PIC_H

#define PIC_VECTOR_BASE 32
#define PIC_IRQ_TIMER 0
#define PIC_IRQ_COM1 4

void pic_init(void);		/* remap to 32..47, everything masked */
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);

#endif
