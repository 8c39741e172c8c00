/*
 * tests/boot/straddle_console.c: console DMA whose one section straddles
 * a --sharenet page (issue 11, hole 1; docs/abi.md §6.2: the Launcher's
 * DMA may cross pages). Started with `--sharenet=A --sharenet=B`, so the
 * descriptor page at mem is followed by LAN A's page, then LAN B's: two
 * boundaries, an ordinary page into a shared one and a shared page into
 * another shared page (two host pages that are not neighbours).
 *
 * Output: at each boundary we write a printable line whose first part
 * lies in the page before and whose rest lies in the page after, and send
 * it with ONE section. The host must write exactly that line to COM1. The
 * old host wrote host memory from physical address 0 instead (the real-
 * mode vector table, f000:ff53...), which the .expect file forbids. Then
 * the struct lguest_dma itself lies across the boundary, and the host
 * must read it, and write its used_len, through both pages.
 *
 * Input: at each boundary we bind a receive buffer (at key 0, newer than
 * the console driver's, so it gets the input) whose one section
 * straddles, and the test types a line. Input can come in several
 * deliveries, each written from the start of the section, so after each
 * one the buffer is re-armed from where the last ended: the line ends up
 * laid out across the boundary whatever the chunking. We then print what
 * each page holds, read through our own mapping. The old host wrote the
 * typed bytes into host memory at 0, and our pages stayed as they were.
 */
#include "straddle_test.h"

#define IN_IRQ 20	/* our receive buffer's IRQ (the console's is taken) */

static struct lguest_dma out_dma __attribute__((aligned(128)));
static struct lguest_dma in_dma __attribute__((aligned(128)));
static volatile unsigned in_irqs;
static struct st_window win;

static void in_irq(unsigned irq)
{
	(void)irq;
	in_irqs++;
}

/* One SEND_DMA to the console of the bytes [off, off + len) of the window
 * as one section; returns its used_len. */
static uint32_t send_section(int off, uint16_t len)
{
	memset(&out_dma, 0, sizeof(out_dma));
	out_dma.addr[0] = st_gpa(&win, off);
	out_dma.len[0] = len;
	out_dma.used_len = 0;
	fflush(stdout);
	hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY,
	      gpa_val(virt_to_gpa(&out_dma)), 0);
	return out_dma.used_len;
}

static void console_out(const char *name, uint32_t boundary,
			const char *before, const char *after)
{
	uint32_t nb = (uint32_t)strlen(before), na = (uint32_t)strlen(after);

	st_open(&win, boundary, 1);
	st_put(&win, -(int)nb, before, nb);
	st_put(&win, 0, after, na);
	printf("%s: one section of %lu bytes at 0x%lx, %lu before the "
	       "boundary at 0x%lx:\n", name, (unsigned long)(nb + na),
	       (unsigned long)st_gpa(&win, -(int)nb), (unsigned long)nb,
	       (unsigned long)boundary);
	CHECK_EQ(send_section(-(int)nb, (uint16_t)(nb + na)), nb + na);
	st_restore(&win);
}

/* The lguest_dma itself across the boundary (its used_len and addr[0]
 * before, len[0] after), its one section in the page before. */
static void console_out_dma_across(const char *name, uint32_t boundary,
				   const char *text)
{
	uint32_t n = (uint32_t)strlen(text);
	struct lguest_dma dma;
	uint32_t used;

	st_open(&win, boundary, 1);
	st_put(&win, -1000, text, n);
	memset(&dma, 0, sizeof(dma));
	dma.addr[0] = st_gpa(&win, -1000);
	dma.len[0] = (uint16_t)n;
	st_put(&win, -50, &dma, sizeof(dma));
	printf("%s: a %u-byte lguest_dma at 0x%lx, 50 bytes before the "
	       "boundary:\n", name, (unsigned)sizeof(dma),
	       (unsigned long)st_gpa(&win, -50));
	fflush(stdout);
	hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY, st_gpa(&win, -50), 0);
	st_get(&win, -50, &used, sizeof(used));
	CHECK_EQ(used, n);
	st_restore(&win);
}

/* Arm in_dma over [off, end) of the window: section first, then used_len
 * = 0, which hands it to the host. */
static void arm_in(int off, int end)
{
	in_dma.addr[0] = st_gpa(&win, off);
	in_dma.len[0] = (uint16_t)(end - off);
	in_dma.len[1] = 0;
	x86_barrier();
	in_dma.used_len = 0;
}

/* Take `total` typed bytes into [-before, total - before) of the window
 * at `boundary`, then show each page's part. */
static void console_in(const char *name, uint32_t boundary, int before,
		       int total)
{
	char got[128];
	uint8_t guard_lo, guard_hi;
	int pos = 0;

	st_open(&win, boundary, 1);
	/* Bytes the host must not touch: just outside the section. */
	guard_lo = *st_at(&win, -before - 1);
	guard_hi = *st_at(&win, total - before);
	memset(&in_dma, 0, sizeof(in_dma));
	arm_in(-before, total - before);
	CHECK_EQ(hcall(LHCALL_BIND_DMA, LGUEST_CONSOLE_DMA_KEY,
		       gpa_val(virt_to_gpa(&in_dma)),
		       (1u << LHCALL_BIND_DMA_COUNT_SHIFT) | IN_IRQ), 1);
	printf("%s: type %d bytes now\n", name, total);
	fflush(stdout);
	while (pos < total) {
		st_wait_nonzero(&in_dma.used_len);
		uint32_t n = in_dma.used_len;
		CHECK(n <= (uint32_t)(total - pos));
		if (n > (uint32_t)(total - pos))
			break;
		pos += (int)n;
		if (pos < total)
			arm_in(-before + pos, total - before);
		/* else keep it full: further input waits in the host */
	}
	CHECK_EQ(hcall(LHCALL_BIND_DMA, LGUEST_CONSOLE_DMA_KEY,
		       gpa_val(virt_to_gpa(&in_dma)), 0), 1);
	CHECK(in_irqs >= 1);
	CHECK_EQ(*st_at(&win, -before - 1), guard_lo);
	CHECK_EQ(*st_at(&win, total - before), guard_hi);
	st_get(&win, -before, got, (uint32_t)before);
	got[before] = '\0';
	printf("%s: page before the boundary holds '%s'\n", name, got);
	st_get(&win, 0, got, (uint32_t)(total - before));
	got[total - before] = '\0';
	printf("%s: page after the boundary holds '%s'\n", name, got);
	st_restore(&win);
}

void app_main(void)
{
	uint32_t mem = bootparams_mem_bytes();
	uint32_t lan_a = st_sharenet_page(0), lan_b = st_sharenet_page(1);

	printf("TEST straddle_console START\n");
	CHECK_EQ(lan_a, mem + 4096);	/* right after the descriptor page */
	CHECK_EQ(lan_b, mem + 8192);
	if (lan_a != mem + 4096 || lan_b != mem + 8192)
		goto out;
	CHECK_EQ(irq_register(IN_IRQ, in_irq), 0);

	console_out("out, descriptor page into LAN A",
		    lan_a, "STRADDLE-OUT-1 [in the descriptor page|",
		    "in LAN A's shared page] END\n");
	console_out("out, LAN A into LAN B", lan_b,
		    "STRADDLE-OUT-2 [in LAN A's shared page|",
		    "in LAN B's shared page] END\n");
	console_out_dma_across("out, lguest_dma across LAN A's start", lan_a,
			       "STRADDLE-OUT-3 [sent by a straddling "
			       "lguest_dma] END\n");
	console_in("in, descriptor page into LAN A", lan_a, 9, 31);
	console_in("in, LAN A into LAN B", lan_b, 13, 40);
out:
	test_finish("straddle_console");
}
