/*
 * host/arch/serial.h: the two 16550 UARTs the host talks through.
 * COM1 carries the guest console; COM2 (when wired by QEMU) carries host
 * diagnostics, so the two never mix (docs/host-design.md).
 */
#ifndef LGREF_HOST_SERIAL_H
#define LGREF_HOST_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#define SERIAL_COM1 0x3F8
#define SERIAL_COM2 0x2F8

/* Program 115200 8N1, FIFOs on, no UART interrupts yet. */
void serial_init(uint16_t port);

/* Write len bytes, polling the transmitter; never fails. */
void serial_write(uint16_t port, const void *bytes, size_t len);

/* Interrupt on received data (IRQ 4 for COM1 through the PIC). */
void serial_enable_rx_interrupt(uint16_t port);

/* Next received byte, or -1 if none is waiting. */
int serial_getc(uint16_t port);

#endif
