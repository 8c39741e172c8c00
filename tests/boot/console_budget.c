/*
 * tests/boot/console_budget.c: console output is bounded per exit
 * (host/dev/console.c, docs/abi.md §14.1): a SEND_DMA of 6000 bytes to
 * key 0 writes its first 4096 and says so in used_len; in the next exit
 * the budget is whole again, and a send of the rest goes out whole. The
 * bytes are a pattern the .expect file checks: 'a'..'z' over and over,
 * cut into lines of 64 (63 letters and a newline).
 */
#include <lguest/launcher.h>
#include <lguest/lguest.h>
#include <stdio.h>

#include "../../kernel/hcall.h"
#include "../../kernel/mm.h"
#include "boot_check.h"

#define TOTAL 6000
static char text[TOTAL];
static struct lguest_dma dma;

/* One send of n bytes from text + from: its used_len. */
static uint32_t send(unsigned from, unsigned n)
{
	dma.used_len = 0;
	dma.addr[0] = gpa_val(virt_to_gpa(text + from));
	dma.len[0] = (uint16_t)n;
	dma.len[1] = 0;
	hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY,
	      gpa_val(virt_to_gpa(&dma)), 0);
	return dma.used_len;
}

void app_main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned i = 0; i < TOTAL; i++)
		text[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	printf("TEST console_budget START\n");
	uint32_t first = send(0, TOTAL);
	uint32_t rest = send(first, TOTAL - first);
	printf("\nfirst send: used_len %lu of %u; the rest: %lu of %u\n",
	       (unsigned long)first, TOTAL, (unsigned long)rest,
	       TOTAL - (unsigned)first);
	CHECK_EQ(first, 4096);
	CHECK_EQ(rest, TOTAL - 4096);
	test_finish("console_budget");
}
