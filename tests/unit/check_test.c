/*
 * tests/unit/check_test.c: the hypercall argument rules in host/rules/check.c,
 * each with both sides of its boundary: IDT gates (§4.5, §4.7), GDT
 * fix-ups (§4.8), PDE/PTE rules (§5.1), SET_STACK (§4.9), DMA keys and
 * sections (§6.1, §6.2) and BIND_DMA's argument order (§3.2).
 */
#include <string.h>

#include "check.h"            /* the test framework (tests/unit/) */
#include "rules/check.h" /* the validators */

static char err[192];

/* A present gate: offset 0xC0101234, selector sel, type, DPL. */
static uint32_t gate_lo(uint32_t sel) { return (sel << 16) | 0x1234; }
static uint32_t gate_hi(unsigned type, unsigned dpl)
{
	return 0xC0100000 | 0x8000 | (dpl << 13) | (type << 8);
}

static void test_idt_ignored_vectors(void)
{
	uint32_t lo = 0xAAAA, hi = 0xBBBB;
	const unsigned ignored[] = { 2, 8, 15, 31, 64, 0x7F, 0x81, 255, 256,
				     0xFFFFFFFF };

	for (unsigned i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		/* Even a task gate (type 5) is ignored, not killed. */
		CHECK_EQ(check_idt_entry(ignored[i], gate_lo(0x10),
					 gate_hi(5, 0), &lo, &hi), IDT_IGNORE);
		CHECK_EQ(check_idt_entry(ignored[i], 0, 0, &lo, &hi),
			 IDT_IGNORE);
	}
	CHECK_EQ(lo, 0xAAAA); /* untouched */
	CHECK_EQ(hi, 0xBBBB);
	const unsigned stored[] = { 0, 1, 3, 7, 14, 16, 30, 32, 63, 0x80 };
	for (unsigned i = 0; i < sizeof(stored) / sizeof(stored[0]); i++)
		CHECK_EQ(check_idt_entry(stored[i], gate_lo(0x10),
					 gate_hi(0xE, 0), &lo, &hi), IDT_STORE);
}

static void test_idt_clear_kill_store(void)
{
	uint32_t lo = 1, hi = 1;

	/* Not present: cleared, whatever the type. */
	CHECK_EQ(check_idt_entry(3, 0x12345678, 0xC0100500, &lo, &hi),
		 IDT_CLEAR);
	CHECK_EQ(lo, 0);
	CHECK_EQ(hi, 0);
	/* Present types other than 0xE / 0xF kill. */
	for (unsigned t = 0; t < 16; t++) {
		int v = check_idt_entry(3, gate_lo(0x10), gate_hi(t, 3), &lo,
					&hi);
		CHECK_EQ(v, t == 0xE || t == 0xF ? IDT_STORE : IDT_KILL);
	}
	CHECK_EQ(idt_gate_type(gate_hi(0xC, 0)), 0xC);
	/* Stored form: selector 0x61, offset kept, DPL kept, bit 12 and
	 * the reserved byte cleared. */
	CHECK_EQ(check_idt_entry(0x80, 0x00101234, 0xC010FFFF, &lo, &hi),
		 IDT_STORE);
	CHECK_EQ(lo, 0x00611234);
	CHECK_EQ(hi, 0xC010EF00);
	CHECK_EQ(check_idt_entry(14, gate_lo(0x60), gate_hi(0xE, 0), &lo, &hi),
		 IDT_STORE);
	CHECK_EQ(lo, 0x00611234);
	CHECK_EQ(hi, 0xC0108E00);
}

static void test_idt_direct(void)
{
	uint32_t trap = gate_hi(0xF, 3) & 0xFFFFEF00;
	uint32_t intr = gate_hi(0xE, 3) & 0xFFFFEF00;

	for (unsigned v = 0; v < 32; v++) {
		bool want = !(v == 2 || v == 7 || v == 8 || v == 13 ||
			      v == 14 || v == 15 || v == 31);
		CHECK_EQ(idt_gate_is_direct(v, trap), want);
		CHECK(!idt_gate_is_direct(v, intr));
	}
	CHECK(idt_gate_is_direct(0x80, trap));
	CHECK(!idt_gate_is_direct(0x80, intr));
	CHECK(!idt_gate_is_direct(32, trap));
	CHECK(!idt_gate_is_direct(63, trap));
	CHECK(!idt_gate_is_direct(0x81, trap));
	CHECK(!idt_gate_is_direct(3, trap & ~0x8000u)); /* not present */
	CHECK(!idt_gate_is_direct(3, 0));
}

static void test_gdt_host_owned(void)
{
	for (unsigned i = 0; i < 40; i++)
		CHECK_EQ(gdt_entry_host_owned(i),
			 i == 10 || i == 11 || i == 16 || i == 31);
}

static void test_gdt_fixup(void)
{
	uint32_t lo = 0x1234, hi = 0;

	gdt_fixup_entry(&lo, &hi); /* an empty entry: 0x00002100 */
	CHECK_EQ(hi, 0x00002100);
	CHECK_EQ(lo, 0x1234);
	hi = 0x00CF9A00; /* ring-0 code: DPL 1, accessed */
	gdt_fixup_entry(&lo, &hi);
	CHECK_EQ(hi, 0x00CFBB00);
	gdt_fixup_entry(&lo, &hi); /* idempotent */
	CHECK_EQ(hi, 0x00CFBB00);
	hi = 0x00CFFA00; /* DPL 3 stays 3 */
	gdt_fixup_entry(&lo, &hi);
	CHECK_EQ(hi, 0x00CFFB00);
	hi = 0x00CFDA00; /* DPL 2 stays 2 */
	gdt_fixup_entry(&lo, &hi);
	CHECK_EQ(hi, 0x00CFDB00);
}

/* System descriptors would let ring 1 switch task or call into ring 0
 * (a call gate naming selector 0x50): they must come out not-present. */
static void test_gdt_system_descriptors_disabled(void)
{
	static const uint32_t system_types[] = {
		0x1, 0x2, 0x3, 0x4, 0x5, 0x9, 0xB, 0xC, 0xE, 0xF,
	};
	for (unsigned i = 0; i < sizeof(system_types) / sizeof(system_types[0]); i++) {
		for (uint32_t dpl = 0; dpl < 4; dpl++) {
			uint32_t lo = 0x00500000; /* call-gate target 0x50 */
			uint32_t hi = 0x00008000 | (dpl << 13) | (system_types[i] << 8);
			gdt_fixup_entry(&lo, &hi);
			CHECK_EQ(hi & 0x8000, 0);  /* not present */
			CHECK(((hi >> 13) & 3) >= 1);
		}
	}
	/* Code and data keep their present bit. */
	uint32_t lo = 0xFFFF, hi = 0x00CFF200;
	gdt_fixup_entry(&lo, &hi);
	CHECK_EQ(hi, 0x00CFF300);
}

static void test_gdt_init_and_load(void)
{
	uint32_t lo[GDT_ENTRIES], hi[GDT_ENTRIES], table[2 * 33];

	gdt_init(lo, hi);
	for (unsigned i = 0; i < GDT_ENTRIES; i++) {
		bool k = i == 12 || i == 13;
		CHECK_EQ(lo[i], k ? 0x0000FFFF : 0);
		CHECK_EQ(hi[i], i == 12 ? 0x00CFBB00 : i == 13 ? 0x00CFB300 : 0);
	}
	for (unsigned i = 0; i < 33; i++) {
		table[2 * i] = 0x1000 + i;
		table[2 * i + 1] = 0x00CF9200; /* DPL 0 data */
	}
	hi[20] = 0x00CFF200; /* beyond count 16: kept, but fixed up */
	CHECK_EQ(gdt_load(lo, hi, table, 16, err, sizeof(err)), 0);
	CHECK_EQ(lo[0], 0x1000);
	CHECK_EQ(hi[0], 0x00CFB300);
	CHECK_EQ(lo[15], 0x100F);
	CHECK_EQ(lo[10], 0); /* host-owned: the guest's value is ignored */
	CHECK_EQ(hi[10], 0);
	CHECK_EQ(hi[20], 0x00CFF300);
	CHECK_EQ(hi[21], 0x00002100);
	CHECK_EQ(hi[31], 0); /* host-owned: not fixed up either */
	CHECK_EQ(gdt_load(lo, hi, table, 32, err, sizeof(err)), 0);
	CHECK_EQ(lo[30], 0x101E);
	CHECK_EQ(hi[31], 0);
	CHECK_EQ(hi[16], 0);
	lo[0] = 0x5A5A;
	CHECK_EQ(gdt_load(lo, hi, table, 33, err, sizeof(err)), -1);
	CHECK(strcmp(err, "33 entries, more than the 32 of the GDT") == 0);
	CHECK_EQ(lo[0], 0x5A5A); /* nothing changed */
	CHECK_EQ(check_gdt_count(32, err, sizeof(err)), 0);
	CHECK_EQ(check_gdt_count(0xFFFFFFFF, err, sizeof(err)), -1);
	CHECK_EQ(gdt_load(lo, hi, table, 0, err, sizeof(err)), 0);
	CHECK_EQ(lo[0], 0x5A5A);
}

static void test_gdt_tls(void)
{
	uint32_t lo[GDT_ENTRIES], hi[GDT_ENTRIES];
	const uint32_t tls[6] = { 1, 0x00409200, 2, 0, 3, 0x00C0F300 };

	gdt_init(lo, hi);
	gdt_load_tls(lo, hi, tls);
	CHECK_EQ(lo[6], 1);
	CHECK_EQ(hi[6], 0x0040B300);
	CHECK_EQ(lo[7], 2);
	CHECK_EQ(hi[7], 0x00002100);
	CHECK_EQ(hi[8], 0x00C0F300);
	CHECK_EQ(hi[5], 0);
	CHECK_EQ(hi[9], 0);
}

static void test_pde(void)
{
	CHECK_EQ(check_pde(0x00FFF067, 0x1000, err, sizeof(err)), 0);
	CHECK_EQ(check_pde(0x00FFF000, 0x1000, err, sizeof(err)), 0);
	CHECK_EQ(check_pde(0x01000067, 0x1000, err, sizeof(err)), -1);
	CHECK(strcmp(err, "PDE 0x01000067: frame 0x1000 is not below "
		     "pfnlimit 0x1000") == 0);
	const uint32_t bad[] = { 0x008, 0x010, 0x080, 0x100, 0x200, 0x400,
				 0x800 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(check_pde(0x1000 | 0x7 | bad[i], 0x1000, err,
				   sizeof(err)), -1);
	CHECK_EQ(check_pde(0x1087, 0x1000, err, sizeof(err)), -1);
	CHECK(strcmp(err, "PDE 0x00001087: flags 0x087 outside 0x067 (P, RW, "
		     "U, A, D)") == 0);
}

static void test_pte(void)
{
	CHECK_EQ(check_pte(0x00FFFF77, 0x1000, err, sizeof(err)), 0);
	CHECK_EQ(check_pte(0x00FFFF77 | 0xE00, 0x1000, err, sizeof(err)), 0);
	CHECK_EQ(check_pte(0x00FFF017, 0x1000, err, sizeof(err)), 0); /* PCD */
	CHECK_EQ(check_pte(0x00FFF107, 0x1000, err, sizeof(err)), 0); /* G */
	CHECK_EQ(check_pte(0x00FFF00F, 0x1000, err, sizeof(err)), -1);
	CHECK(strcmp(err, "PTE 0x00fff00f: flags 0x00f include PWT (0x008) "
		     "or bit 7 (0x080)") == 0);
	CHECK_EQ(check_pte(0x00FFF087, 0x1000, err, sizeof(err)), -1);
	CHECK_EQ(check_pte(0x01000001, 0x1000, err, sizeof(err)), -1);
	CHECK(strcmp(err, "PTE 0x01000001: frame 0x1000 is not below "
		     "pfnlimit 0x1000") == 0);
	/* Not present is checked too (SET_PTE does, §5.2). */
	CHECK_EQ(check_pte(0xFFFFF060, 0x1000, err, sizeof(err)), -1);
	CHECK_EQ(check_pte(0, 0, err, sizeof(err)), -1);
	CHECK_EQ(check_pte(0, 1, err, sizeof(err)), 0);
	CHECK_EQ(shadow_pte_flags(0x12345FFF), 0xEFF);
	CHECK_EQ(shadow_pte_flags(0x00001167), 0x067);
	CHECK_EQ(shadow_pte_flags(0x00001067), 0x067);
}

static void test_set_stack(void)
{
	CHECK_EQ(check_set_stack(0x69, 0xC0400000, 2, err, sizeof(err)), 0);
	CHECK_EQ(check_set_stack(0x69, 0, 0, err, sizeof(err)), 0);
	CHECK_EQ(check_set_stack(0x169, 0, 1, err, sizeof(err)), 0);
	CHECK_EQ(check_set_stack(0x69, 0xC0400000, 3, err, sizeof(err)), -1);
	CHECK(strcmp(err, "3 stack pages, more than 2") == 0);
	CHECK_EQ(check_set_stack(0x69, 0, 0xFFFFFFFF, err, sizeof(err)), -1);
	CHECK_EQ(check_set_stack(0x68, 0xC0400000, 1, err, sizeof(err)), -1);
	CHECK(strcmp(err, "stack selector 0x68 has RPL 0, not 1") == 0);
	CHECK_EQ(check_set_stack(0x6B, 0xC0400000, 1, err, sizeof(err)), -1);
	CHECK_EQ(check_set_stack(0x6A, 0xC0400000, 1, err, sizeof(err)), -1);
}

static void test_dma_key(void)
{
	static uint8_t m[2 * 4096];
	struct gmem g = { .base = m, .ram_bytes = 4096, .pfnlimit = 2 };

	CHECK_EQ(check_dma_key(0), 0);
	CHECK_EQ(check_dma_key(0xFFFFFFFC), 0);
	for (uint32_t k = 1; k < 4; k++) {
		CHECK_EQ(check_dma_key(k), -1);
		CHECK_EQ(check_dma_key(0x1000 + k), -1);
	}
	CHECK_EQ(check_dma_key_in(&g, 0x1FFC, err, sizeof(err)), 0);
	CHECK_EQ(check_dma_key_in(&g, 0x2000, err, sizeof(err)), -1);
	CHECK(strcmp(err, "key 0x2000 is outside guest memory (0x2 pages)") ==
	      0);
	CHECK_EQ(check_dma_key_in(&g, 0xFFFFFFFC, err, sizeof(err)), -1);
	CHECK_EQ(check_dma_key_in(&g, 0x1002, err, sizeof(err)), -1);
	CHECK(strcmp(err, "key 0x1002 is not a multiple of 4") == 0);
}

static void test_bind_dma_args(void)
{
	unsigned count = 99, irq = 99;

	CHECK_EQ(check_bind_dma_args(0x1000, (8 << 8) | 3, &count, &irq),
		 BIND_OK);
	CHECK_EQ(count, 8);
	CHECK_EQ(irq, 3);
	CHECK_EQ(check_bind_dma_args(0x1000, 0, &count, &irq), BIND_OK);
	CHECK_EQ(irq, 0); /* unbind */
	CHECK_EQ(check_bind_dma_args(0x1000, 31, &count, &irq), BIND_OK);
	CHECK_EQ(check_bind_dma_args(0x1000, 32, &count, &irq), BIND_RETURN_0);
	CHECK_EQ(check_bind_dma_args(0x1000, 0xFF, &count, &irq),
		 BIND_RETURN_0);
	/* irq >= 32 is tested before the key: a bad key is not fatal then. */
	CHECK_EQ(check_bind_dma_args(0x1001, 32, &count, &irq), BIND_RETURN_0);
	CHECK_EQ(check_bind_dma_args(0x1001, 31, &count, &irq), BIND_KILL);
	CHECK_EQ(check_bind_dma_args(0x1002, 0, &count, &irq), BIND_KILL);
	/* count: bits 8-23 only. */
	CHECK_EQ(check_bind_dma_args(0, 0xFFFFFF01, &count, &irq), BIND_OK);
	CHECK_EQ(count, 0xFFFF);
	CHECK_EQ(irq, 1);
}

int main(void)
{
	RUN(test_idt_ignored_vectors);
	RUN(test_idt_clear_kill_store);
	RUN(test_idt_direct);
	RUN(test_gdt_host_owned);
	RUN(test_gdt_fixup);
	RUN(test_gdt_system_descriptors_disabled);
	RUN(test_gdt_init_and_load);
	RUN(test_gdt_tls);
	RUN(test_pde);
	RUN(test_pte);
	RUN(test_set_stack);
	RUN(test_dma_key);
	RUN(test_bind_dma_args);
	return CHECK_DONE();
}
