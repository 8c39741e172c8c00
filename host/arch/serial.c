/*
 * host/arch/serial.c: polled output on a 16550 UART. QEMU's UART is fast and
 * never really busy, so polling the line-status register costs little and
 * keeps this file free of interrupt logic. Input is read here but buffered
 * and handed to a guest by host/dev/console.c.
 */
#include "arch/serial.h"
#include "arch/x86.h"

#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_DATA_READY 0x01
#define UART_LSR_THR_EMPTY 0x20

void serial_init(uint16_t port)
{
	outb(port + UART_IER, 0x00);	/* no interrupts */
	outb(port + UART_LCR, 0x80);	/* DLAB on: next two are divisor */
	outb(port + UART_DATA, 0x01);	/* 115200 baud, low byte */
	outb(port + UART_IER, 0x00);	/*   high byte */
	outb(port + UART_LCR, 0x03);	/* 8 data bits, no parity, 1 stop */
	outb(port + UART_FCR, 0xC7);	/* FIFOs on and cleared */
	outb(port + UART_MCR, 0x03);	/* DTR, RTS */
}

void serial_enable_rx_interrupt(uint16_t port)
{
	outb(port + UART_MCR, 0x0B);	/* DTR, RTS, OUT2 (IRQ line enable) */
	outb(port + UART_IER, 0x01);	/* received data available */
}

int serial_getc(uint16_t port)
{
	if (!(inb(port + UART_LSR) & UART_LSR_DATA_READY))
		return -1;
	return inb(port + UART_DATA);
}

void serial_write(uint16_t port, const void *bytes, size_t len)
{
	const uint8_t *p = bytes;

	for (size_t i = 0; i < len; i++) {
		while (!(inb(port + UART_LSR) & UART_LSR_THR_EMPTY))
			;
		outb(port + UART_DATA, p[i]);
	}
}
