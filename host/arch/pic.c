/*
 * host/arch/pic.c: 8259 PIC set-up (host/arch/pic.h): remap the two
 * controllers to vectors 32-47 (away from the CPU exceptions), mask
 * everything, and unmask on request; PCI lines in level mode through the
 * ELCR; the in-service register, to tell a spurious IRQ 7 or 15 from a
 * real one.
 */
#include "arch/pic.h"
#include "arch/x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define PIC_READ_ISR 0x0B	/* OCW3: the next command-port read is ISR */
#define ELCR1 0x4D0		/* edge/level control, IRQ 0-7 */
#define ELCR2 0x4D1		/* IRQ 8-15 */
#define PIC_CASCADE 2

/* Lines that must stay edge-triggered whatever the ELCR allows: the PIT,
 * the keyboard, the cascade, the RTC and the FPU. */
#define PIC_EDGE_ONLY ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 8) | \
		       (1u << 13))

static uint16_t masked = 0xFFFF;
static uint16_t firmware_elcr;
static bool keep_edge;

static void pic_write_mask(void)
{
	outb(PIC1_DATA, masked & 0xFF);
	outb(PIC2_DATA, masked >> 8);
}

static uint16_t read_elcr(void)
{
	return (uint16_t)(inb(ELCR1) | (inb(ELCR2) << 8));
}

void pic_init(void)
{
	firmware_elcr = read_elcr();
	outb(PIC1_CMD, 0x11);			/* ICW1: init, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, PIC_VECTOR_BASE);	/* ICW2: vector base */
	outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
	outb(PIC1_DATA, 0x04);			/* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01);			/* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	/* Every line edge-triggered until a driver says otherwise: what
	 * the firmware left there is no promise about our devices. */
	outb(ELCR1, 0);
	outb(ELCR2, 0);
	outb(PIC1_CMD, PIC_READ_ISR);		/* OCW3: reads give the ISR */
	outb(PIC2_CMD, PIC_READ_ISR);
	masked = 0xFFFF & ~(1u << PIC_CASCADE);	/* cascade line open */
	pic_write_mask();
}

void pic_keep_edge(void)
{
	keep_edge = true;
}

uint16_t pic_firmware_elcr(void)
{
	return firmware_elcr;
}

void pic_unmask(unsigned irq)
{
	masked &= (uint16_t)~(1u << irq);
	pic_write_mask();
}

void pic_mask(unsigned irq)
{
	masked |= (uint16_t)(1u << irq);
	pic_write_mask();
}

/*H:035 A PCI interrupt line is level-triggered and may be shared: it is
 * the OR of every device on it. In the 8259's edge mode an interrupt is
 * requested only when the line rises, so if one device raises it while
 * another still holds it high (between our reads of their ISRs), no edge
 * comes, the line never falls, and that line is deaf from then on. In
 * level mode the 8259 requests an interrupt for as long as the line is
 * high, so after our EOI a line someone still holds asks again. :*/
bool pic_unmask_level(unsigned irq)
{
	bool level = !keep_edge && irq < 16 && !((PIC_EDGE_ONLY >> irq) & 1);

	if (level) {
		uint16_t elcr = (uint16_t)(read_elcr() | (1u << irq));
		outb(ELCR1, elcr & 0xFF);
		outb(ELCR2, elcr >> 8);
	}
	pic_unmask(irq);
	return level && (read_elcr() >> irq) & 1;
}

uint16_t pic_level_lines(void)
{
	return read_elcr();
}

/* A spurious IRQ 7 or 15 is one the 8259 signalled and then found no
 * request for (the line fell before the CPU acknowledged it): it sets no
 * in-service bit, and an EOI for it would end some other interrupt in
 * service. For a spurious 15 the master did take the cascade line, so it
 * gets its EOI. */
bool pic_begin(unsigned irq)
{
	if (irq == 7 && !(inb(PIC1_CMD) & 0x80))
		return false;
	if (irq == 15 && !(inb(PIC2_CMD) & 0x80)) {
		outb(PIC1_CMD, PIC_EOI);
		return false;
	}
	return true;
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}
