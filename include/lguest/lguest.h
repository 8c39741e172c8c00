/*
 * include/lguest/lguest.h: the Guest <-> Host half of the lguest ABI, as
 * shipped in Linux 2.6.23 (release, not -rc1). Hypercall numbers and their
 * register convention, struct lguest_data with its async hypercall ring,
 * and the constants both sides must agree on for interrupts, traps,
 * segments, stacks, time and paging. See docs/abi.md §2-§5 and §10.
 *
 * Devices, DMA and the Launcher live in launcher.h; the zero page and boot
 * constants in bootparam.h. Only <stdint.h> and <stddef.h> are used, so the
 * guest, the host and the native unit tests all compile this same file.
 * Assembly may include it too: the C-only parts sit under __ASSEMBLER__,
 * and every constant is a plain literal that gas can parse.
 *
 * There is no version handshake in 2.6.23, so a layout slip is silent at run
 * time. The _Static_asserts below each struct, and
 * tests/unit/abi_layout_test.c against docs/abi-layout.tsv, are the guard.
 */
/*P:010 Welcome to lgref, a clean-room lguest of Linux 2.6.23. Three parties
 * meet in this header: a Guest kernel running in ring 1, which cannot touch
 * the hardware and asks for everything with "int $0x1F" (a hypercall); the
 * Host, which runs in ring 0, switches worlds and shadows the Guest's page
 * tables; and the Launcher, which builds the Guest's memory and serves its
 * devices. lgref's host.elf is Host and Launcher in one bare-metal kernel,
 * and its guest.elf is a small kernel of its own, not Linux.
 *
 * The tour reads in this order: G, the guest from its first instruction to
 * its echo prompt; D, its drivers on the lguest bus; S, the world switch;
 * H, the host from power-on to its run loop. `make tour T=H` prints one
 * part. Every number is a step; the contract they all obey is below and in
 * docs/abi.md. :*/

#ifndef LGUEST_LGUEST_H
#define LGUEST_LGUEST_H

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#endif

#define LGUEST_PAGE_SIZE 4096 /* every "page" in this ABI is 4 KiB */

/*
 * Hypercalls (docs/abi.md §3). The guest executes "int $LGUEST_TRAP_ENTRY"
 * at ring 1 with the call number in %eax and arguments in %edx, %ebx, %ecx
 * (in that order). Only LHCALL_BIND_DMA returns a value (in %eax).
 */
#define LGUEST_TRAP_ENTRY 0x1F /* hypercall vector; host gate has DPL 1 */

#define LHCALL_FLUSH_ASYNC 0     /* no-op: the exit drains the async ring */
#define LHCALL_LGUEST_INIT 1     /* edx = gpa of struct lguest_data */
#define LHCALL_CRASH 2           /* edx = gpa of a 128-byte message */
#define LHCALL_LOAD_GDT 3        /* edx = gpa of table, ebx = entries */
#define LHCALL_NEW_PGTABLE 4     /* edx = gpa of page directory */
#define LHCALL_FLUSH_TLB 5       /* edx = 0 user only, else everything */
#define LHCALL_LOAD_IDT_ENTRY 6  /* edx = vector, ebx/ecx = gate lo/hi */
#define LHCALL_SET_STACK 7       /* edx = ss, ebx = esp top, ecx = pages */
#define LHCALL_TS 8              /* edx = virtual CR0.TS (0 or 8) */
#define LHCALL_SET_CLOCKEVENT 9  /* edx = delta ns, 0 = stop */
#define LHCALL_HALT 10           /* sleep until an interrupt can come */
#define LHCALL_UNASSIGNED_11 11  /* no call in the release: host kills */
#define LHCALL_BIND_DMA 12       /* edx key, ebx array, ecx count<<8|irq */
#define LHCALL_SEND_DMA 13       /* edx = key, ebx = gpa of lguest_dma */
#define LHCALL_SET_PTE 14        /* edx = pgdir gpa, ebx = va, ecx = pte */
#define LHCALL_SET_PMD 15        /* edx = pgdir gpa, ebx = index */
#define LHCALL_LOAD_TLS 16       /* edx = gpa of 3 descriptors */
#define LHCALL_NR 17             /* calls >= this are killed */

/*
 * History only (docs/abi.md §11): numbers that meant something in earlier
 * versions. Never issue them against a 2.6.23 release host.
 */
#define LHCALL_GET_WALLCLOCK 11 /* 2.6.23-rc1 only; killed in release */
#define LHCALL_TIMER_READ 9     /* pre-merge series; now SET_CLOCKEVENT */

/* BIND_DMA packs its third argument: ecx = (count << 8) | irq. */
#define LHCALL_BIND_DMA_IRQ_MASK 0xFF     /* bits 0-7: irq, 0 = unbind */
#define LHCALL_BIND_DMA_COUNT_SHIFT 8     /* bits 8-23: array length */
#define LHCALL_BIND_DMA_COUNT_MASK 0xFFFF /* after the shift */

/* Async hypercall ring in lguest_data (docs/abi.md §2.2). */
#define LHCALL_RING_SIZE 64        /* slots in hcall_status[] and hcalls[] */
#define LHCALL_STATUS_FREE 0xFF    /* host: slot done / free for the guest */
#define LHCALL_STATUS_PENDING 0x00 /* guest: slot holds a call to run */

/* Virtual interrupts (docs/abi.md §4.1-§4.3). */
#define LGUEST_IRQS 32              /* virtual IRQ lines 0..31 */
#define FIRST_EXTERNAL_VECTOR 0x20  /* IRQ n arrives on vector 0x20 + n */
#define LGUEST_TIMER_IRQ 0          /* SET_CLOCKEVENT raises IRQ 0 */
#define SYSCALL_VECTOR 0x80         /* must be a DPL-3 trap gate */
#define LGUEST_IRQ_ENABLED_ON 0x200 /* irq_enabled value: interrupts on */
#define LGUEST_IRQ_ENABLED_OFF 0    /* irq_enabled value: interrupts off */

/* Guest kernel ring and the CPU state at entry (docs/abi.md §1.6). */
#define GUEST_PL 1                    /* guest kernel runs at CPL 1 */
#define LGUEST_INITIAL_EFLAGS 0x202   /* bit 1 and real IF, IOPL 0 */

/* GDT layout (docs/abi.md §4.8). */
#define GDT_ENTRIES 32
#define GDT_ENTRY_TLS_MIN 6          /* LOAD_TLS fills entries 6, 7, 8 */
#define GDT_ENTRY_TLS_MAX 8
#define GDT_ENTRY_TLS_ENTRIES 3
#define GDT_ENTRY_SWITCHER_CS 10     /* host-owned: Switcher code, DPL 0 */
#define GDT_ENTRY_SWITCHER_DS 11     /* host-owned: Switcher data, DPL 0 */
#define GDT_ENTRY_KERNEL_CS 12       /* guest kernel code, DPL 1 */
#define GDT_ENTRY_KERNEL_DS 13       /* guest kernel data, DPL 1 */
#define GDT_ENTRY_USER_CS 14         /* guest user code (Linux's choice) */
#define GDT_ENTRY_USER_DS 15         /* guest user data (Linux's choice) */
#define GDT_ENTRY_TSS 16             /* host-owned: host per-CPU TSS */
#define GDT_ENTRY_DOUBLEFAULT_TSS 31 /* host-owned: double-fault TSS */
/* Bit n set = GDT entry n is the host's; the guest's copy is ignored. */
#define GDT_HOST_OWNED_MASK 0x80010C00 /* entries 10, 11, 16, 31 */

#define LGUEST_SWITCHER_CS 0x50 /* GDT 10, RPL 0 */
#define LGUEST_SWITCHER_DS 0x58 /* GDT 11, RPL 0 */
#define LGUEST_KERNEL_CS 0x61   /* GDT 12, RPL 1: guest CS at entry */
#define LGUEST_KERNEL_DS 0x69   /* GDT 13, RPL 1: guest DS/ES/SS */
#define LGUEST_USER_CS 0x73     /* GDT 14, RPL 3 */
#define LGUEST_USER_DS 0x7B     /* GDT 15, RPL 3 */

/* Initial entries 12/13 (flat 4 GiB, DPL 1) as (low word, high word). */
#define LGUEST_GDT_FLAT_LO 0x0000FFFF
#define LGUEST_GDT_KERNEL_CS_HI 0x00CFBB00
#define LGUEST_GDT_KERNEL_DS_HI 0x00CFB300
/* Fix-ups the host applies to every guest-owned entry (high word). */
#define LGUEST_GDT_ACCESSED 0x00000100 /* always set */
#define LGUEST_GDT_DPL_MASK 0x00006000 /* DPL 0 becomes DPL 1 */
#define LGUEST_GDT_DPL1 0x00002000

/* IDT entries the guest loads (docs/abi.md §4.7). */
#define LGUEST_IDT_STORED_VECTORS 64 /* vectors 0..63 stored, plus 0x80 */
/* Bit v set = vector v (< 32) is silently ignored by LOAD_IDT_ENTRY. */
#define LGUEST_IDT_IGNORED_MASK 0x80008104 /* vectors 2, 8, 15, 31 */
/* Bit v set = vector v (< 32) is never a direct trap; vectors >= 32
 * other than SYSCALL_VECTOR are never direct either. */
#define LGUEST_IDT_NEVER_DIRECT_MASK 0x80006080 /* vectors 7, 13, 14, 31 */
#define LGUEST_IDT_PRESENT 0x00008000   /* gate high word: P bit */
#define LGUEST_IDT_TYPE_SHIFT 8         /* gate high word: type, 4 bits */
#define LGUEST_IDT_TYPE_MASK 0xF
#define LGUEST_IDT_TYPE_INTERRUPT 0xE   /* clears irq_enabled on entry */
#define LGUEST_IDT_TYPE_TRAP 0xF        /* leaves irq_enabled alone */
#define LGUEST_IDT_GATE_HI_MASK 0xFFFFEF00 /* stored high word = hi & this */

/* Bit v set = exception v pushes an error code (8, 10-14, 17). */
#define LGUEST_ERRCODE_VECTORS 0x00027D00
#define LGUEST_TRAP_HAS_ERRCODE(v) \
	((v) < 32 && ((LGUEST_ERRCODE_VECTORS >> (v)) & 1))

/* SET_STACK, CRASH (docs/abi.md §3.2, §4.9). */
#define LGUEST_STACK_MAX_PAGES 2   /* SET_STACK page count above kills */
#define LGUEST_CRASH_MSG_LEN 128   /* host reads exactly this many bytes */

/* Clock events, guest side (docs/abi.md §4.11). */
#define LG_CLOCK_MIN_DELTA 100        /* ns; the guest refuses less */
#define LG_CLOCK_MAX_DELTA 0xFFFFFFFF /* ns; about 4.29 s */

/* Host limits and the Switcher (docs/abi.md §5.3, §9.1). */
#define MAX_LGUEST_GUESTS 16           /* guestid is 0..15 */
#define LGUEST_RESERVE_MEM 0x00400000  /* reserve_mem value: top 4 MiB */
#define LGUEST_SWITCHER_ADDR 0xFFC00000 /* first Switcher virtual address */
#define LGUEST_SWITCHER_PDE_INDEX 1023  /* its page-directory slot */
#define LGUEST_SHADOW_PGDIRS 4         /* shadow page directories cached */

/* Page-table rules the host enforces (docs/abi.md §5.1). */
#define LGUEST_PDE_ALLOWED_FLAGS 0x067   /* P, RW, U, A, D only */
#define LGUEST_PTE_FORBIDDEN_FLAGS 0x088 /* PWT (0x008), PSE/PAT (0x080) */
#define LGUEST_PTE_STRIPPED_FLAGS 0x100  /* Global: dropped in the shadow */

/* Offsets of struct lguest_data for assembly; tied to offsetof below. */
#define LGUEST_DATA_IRQ_ENABLED 0
#define LGUEST_DATA_BLOCKED_INTERRUPTS 4
#define LGUEST_DATA_CR2 8
#define LGUEST_DATA_TIME 12
#define LGUEST_DATA_TIME_TV_SEC 12
#define LGUEST_DATA_TIME_TV_NSEC 16
#define LGUEST_DATA_HCALL_STATUS 20
#define LGUEST_DATA_HCALLS 84
#define LGUEST_DATA_RESERVE_MEM 1108
#define LGUEST_DATA_GUESTID 1112
#define LGUEST_DATA_TSC_KHZ 1116
#define LGUEST_DATA_NOIRQ_START 1120
#define LGUEST_DATA_NOIRQ_END 1124
#define LGUEST_DATA_SIZEOF 1128

/* Offsets of struct hcall_ring for assembly. */
#define HCALL_RING_EAX 0
#define HCALL_RING_EDX 4
#define HCALL_RING_EBX 8
#define HCALL_RING_ECX 12
#define HCALL_RING_SIZEOF 16

#ifndef __ASSEMBLER__

/* The i386 struct timespec: both halves are 32-bit signed. */
struct lguest_timespec {
	int32_t tv_sec;  /* host: seconds since 1970-01-01 UTC */
	int32_t tv_nsec; /* host: nanoseconds, 0..999999999 */
};
_Static_assert(sizeof(struct lguest_timespec) == 8, "lguest abi: timespec");
_Static_assert(offsetof(struct lguest_timespec, tv_sec) == 0,
	       "lguest abi: timespec.tv_sec");
_Static_assert(offsetof(struct lguest_timespec, tv_nsec) == 4,
	       "lguest abi: timespec.tv_nsec");

/* One queued hypercall: the four registers a synchronous call would use. */
struct hcall_ring {
	uint32_t eax; /* guest: call number */
	uint32_t edx; /* guest: argument 1 */
	uint32_t ebx; /* guest: argument 2 */
	uint32_t ecx; /* guest: argument 3 */
};
_Static_assert(sizeof(struct hcall_ring) == 16, "lguest abi: hcall_ring");
_Static_assert(offsetof(struct hcall_ring, eax) == 0, "lguest abi: eax");
_Static_assert(offsetof(struct hcall_ring, edx) == 4, "lguest abi: edx");
_Static_assert(offsetof(struct hcall_ring, ebx) == 8, "lguest abi: ebx");
_Static_assert(offsetof(struct hcall_ring, ecx) == 12, "lguest abi: ecx");

/*
 * The page the guest shares with the host (docs/abi.md §2). It lives
 * anywhere in guest RAM at a fixed guest-physical address, given to the
 * host by LHCALL_LGUEST_INIT; the host always reaches it by that address.
 */
struct lguest_data {
	uint32_t irq_enabled;        /* guest (host on gate entry/unhalt):
				      * LGUEST_IRQ_ENABLED_ON or _OFF */
	uint32_t blocked_interrupts; /* guest: bit n set = IRQ n masked */
	uint32_t cr2;                /* host: address of the last reflected
				      * page fault */
	struct lguest_timespec time; /* host: wall clock, refreshed at INIT
				      * and on each interrupt check */
	uint8_t hcall_status[LHCALL_RING_SIZE]; /* guest writes PENDING,
						 * host writes FREE */
	struct hcall_ring hcalls[LHCALL_RING_SIZE]; /* guest: queued calls */
	uint32_t reserve_mem;        /* host (at INIT): LGUEST_RESERVE_MEM */
	uint16_t guestid;            /* host (at INIT): 0..15 */
	uint16_t pad0;               /* nobody: padding, write 0 */
	uint32_t tsc_khz;            /* host (at INIT): TSC kHz, 0 = no TSC */
	uint32_t noirq_start;        /* guest (before INIT): first address of
				      * the no-interrupt window */
	uint32_t noirq_end;          /* guest (before INIT): end, exclusive */
};
_Static_assert(sizeof(struct lguest_data) == 1128, "lguest abi: lguest_data");
_Static_assert(offsetof(struct lguest_data, irq_enabled) == 0,
	       "lguest abi: irq_enabled");
_Static_assert(offsetof(struct lguest_data, blocked_interrupts) == 4,
	       "lguest abi: blocked_interrupts");
_Static_assert(offsetof(struct lguest_data, cr2) == 8, "lguest abi: cr2");
_Static_assert(offsetof(struct lguest_data, time) == 12, "lguest abi: time");
_Static_assert(offsetof(struct lguest_data, time.tv_sec) == 12,
	       "lguest abi: time.tv_sec");
_Static_assert(offsetof(struct lguest_data, time.tv_nsec) == 16,
	       "lguest abi: time.tv_nsec");
_Static_assert(offsetof(struct lguest_data, hcall_status) == 20,
	       "lguest abi: hcall_status");
_Static_assert(offsetof(struct lguest_data, hcalls) == 84,
	       "lguest abi: hcalls");
_Static_assert(offsetof(struct lguest_data, reserve_mem) == 1108,
	       "lguest abi: reserve_mem");
_Static_assert(offsetof(struct lguest_data, guestid) == 1112,
	       "lguest abi: guestid");
_Static_assert(offsetof(struct lguest_data, pad0) == 1114,
	       "lguest abi: pad0");
_Static_assert(offsetof(struct lguest_data, tsc_khz) == 1116,
	       "lguest abi: tsc_khz");
_Static_assert(offsetof(struct lguest_data, noirq_start) == 1120,
	       "lguest abi: noirq_start");
_Static_assert(offsetof(struct lguest_data, noirq_end) == 1124,
	       "lguest abi: noirq_end");

/* The assembly offsets above must be the compiler's offsets. */
_Static_assert(LGUEST_DATA_IRQ_ENABLED ==
	       offsetof(struct lguest_data, irq_enabled), "asm offset");
_Static_assert(LGUEST_DATA_BLOCKED_INTERRUPTS ==
	       offsetof(struct lguest_data, blocked_interrupts), "asm offset");
_Static_assert(LGUEST_DATA_CR2 == offsetof(struct lguest_data, cr2),
	       "asm offset");
_Static_assert(LGUEST_DATA_TIME == offsetof(struct lguest_data, time),
	       "asm offset");
_Static_assert(LGUEST_DATA_TIME_TV_SEC ==
	       offsetof(struct lguest_data, time.tv_sec), "asm offset");
_Static_assert(LGUEST_DATA_TIME_TV_NSEC ==
	       offsetof(struct lguest_data, time.tv_nsec), "asm offset");
_Static_assert(LGUEST_DATA_HCALL_STATUS ==
	       offsetof(struct lguest_data, hcall_status), "asm offset");
_Static_assert(LGUEST_DATA_HCALLS == offsetof(struct lguest_data, hcalls),
	       "asm offset");
_Static_assert(LGUEST_DATA_RESERVE_MEM ==
	       offsetof(struct lguest_data, reserve_mem), "asm offset");
_Static_assert(LGUEST_DATA_GUESTID == offsetof(struct lguest_data, guestid),
	       "asm offset");
_Static_assert(LGUEST_DATA_TSC_KHZ == offsetof(struct lguest_data, tsc_khz),
	       "asm offset");
_Static_assert(LGUEST_DATA_NOIRQ_START ==
	       offsetof(struct lguest_data, noirq_start), "asm offset");
_Static_assert(LGUEST_DATA_NOIRQ_END ==
	       offsetof(struct lguest_data, noirq_end), "asm offset");
_Static_assert(LGUEST_DATA_SIZEOF == sizeof(struct lguest_data),
	       "asm offset");
_Static_assert(HCALL_RING_EAX == offsetof(struct hcall_ring, eax),
	       "asm offset");
_Static_assert(HCALL_RING_EDX == offsetof(struct hcall_ring, edx),
	       "asm offset");
_Static_assert(HCALL_RING_EBX == offsetof(struct hcall_ring, ebx),
	       "asm offset");
_Static_assert(HCALL_RING_ECX == offsetof(struct hcall_ring, ecx),
	       "asm offset");
_Static_assert(HCALL_RING_SIZEOF == sizeof(struct hcall_ring), "asm offset");

/* Bitmask constants must say what their comments say. */
_Static_assert(GDT_HOST_OWNED_MASK ==
	       ((1u << GDT_ENTRY_SWITCHER_CS) | (1u << GDT_ENTRY_SWITCHER_DS) |
		(1u << GDT_ENTRY_TSS) | (1u << GDT_ENTRY_DOUBLEFAULT_TSS)),
	       "host-owned GDT entries");
_Static_assert(LGUEST_IDT_IGNORED_MASK ==
	       ((1u << 2) | (1u << 8) | (1u << 15) | (1u << LGUEST_TRAP_ENTRY)),
	       "ignored IDT vectors");
_Static_assert(LGUEST_IDT_NEVER_DIRECT_MASK ==
	       ((1u << 7) | (1u << 13) | (1u << 14) | (1u << LGUEST_TRAP_ENTRY)),
	       "never-direct vectors");
_Static_assert(LGUEST_ERRCODE_VECTORS ==
	       ((1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) |
		(1u << 14) | (1u << 17)),
	       "error-code vectors");
_Static_assert(LGUEST_KERNEL_CS == (GDT_ENTRY_KERNEL_CS * 8 + GUEST_PL),
	       "kernel CS selector");
_Static_assert(LGUEST_KERNEL_DS == (GDT_ENTRY_KERNEL_DS * 8 + GUEST_PL),
	       "kernel DS selector");
_Static_assert(LGUEST_USER_CS == (GDT_ENTRY_USER_CS * 8 + 3), "user CS");
_Static_assert(LGUEST_USER_DS == (GDT_ENTRY_USER_DS * 8 + 3), "user DS");
_Static_assert(LGUEST_SWITCHER_CS == GDT_ENTRY_SWITCHER_CS * 8, "switcher CS");
_Static_assert(LGUEST_SWITCHER_DS == GDT_ENTRY_SWITCHER_DS * 8, "switcher DS");
_Static_assert(LGUEST_SWITCHER_ADDR ==
	       (uint32_t)LGUEST_SWITCHER_PDE_INDEX << 22, "switcher slot");
_Static_assert(LGUEST_SWITCHER_ADDR + (uint64_t)LGUEST_RESERVE_MEM ==
	       0x100000000ull, "switcher fills the top of the address space");

#endif /* !__ASSEMBLER__ */

#endif /* LGUEST_LGUEST_H */
