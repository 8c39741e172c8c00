/*
 * host/arch/x86.h: the host's only inline assembly: port I/O and a few
 * privileged instructions, as tiny static inline wrappers (xv6 style).
 * Hardware-defined layouts (descriptors, TSS, PTEs) live here too as they
 * are added. Everything else in host/ is plain C.
 */
#ifndef LGREF_HOST_X86_H
#define LGREF_HOST_X86_H

#include <stddef.h>
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;
	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void outw(uint16_t port, uint16_t value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t value;
	__asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void outl(uint16_t port, uint32_t value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t value;
	__asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

__attribute__((noreturn)) static inline void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* A full memory barrier: orders our ring writes against a device model
 * that runs in another host thread (virtio, host/backends/virtio_blk.c). */
static inline void mb(void)
{
	__asm__ volatile("lock; addl $0, (%%esp)" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Control registers. */
#define CR0_PE 0x00000001
#define CR0_TS 0x00000008
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PSE 0x00000010
#define CR4_PGE 0x00000080
#define CR4_OSFXSR 0x00000200

static inline uint32_t read_cr0(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void invlpg(uint32_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

#define MSR_IA32_SYSENTER_CS 0x174

/* Descriptor-table register image for lgdt/lidt. */
struct x86_dtr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_dtr) == 6, "lgdt/lidt operand");

static inline void lgdt(const struct x86_dtr *d)
{
	__asm__ volatile("lgdt %0" : : "m"(*d));
}

static inline void lidt(const struct x86_dtr *d)
{
	__asm__ volatile("lidt %0" : : "m"(*d));
}

static inline void ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel));
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* Wait for an interrupt with interrupts enabled, then disable them again. */
static inline void cpu_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

static inline void clts(void)
{
	__asm__ volatile("clts");
}

/* A 32-bit x86 TSS (hardware layout). Only esp0/ss0/esp1/ss1 and the I/O
 * map base matter to us. */
struct x86_tss {
	uint16_t back_link, pad0;
	uint32_t esp0;
	uint16_t ss0, pad1;
	uint32_t esp1;
	uint16_t ss1, pad2;
	uint32_t esp2;
	uint16_t ss2, pad3;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint16_t es, pad4, cs, pad5, ss, pad6, ds, pad7, fs, pad8, gs, pad9;
	uint16_t ldt, pad10;
	uint16_t trap, io_map_base;
};
_Static_assert(sizeof(struct x86_tss) == 104, "x86 TSS");
_Static_assert(offsetof(struct x86_tss, esp0) == 4, "x86 TSS");
_Static_assert(offsetof(struct x86_tss, esp1) == 12, "x86 TSS");
_Static_assert(offsetof(struct x86_tss, io_map_base) == 102, "x86 TSS");

/* Page-table entry bits (non-PAE). */
#define PTE_P 0x001
#define PTE_RW 0x002
#define PTE_U 0x004
#define PTE_PWT 0x008
#define PTE_PCD 0x010
#define PTE_A 0x020
#define PTE_D 0x040
#define PTE_PS 0x080
#define PTE_G 0x100
#define PTE_FRAME 0xFFFFF000u

/* Descriptor high-word bits. */
#define DESC_TYPE_TSS32 0x9
#define GATE_TYPE_INT32 0xE

#endif
