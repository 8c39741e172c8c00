/*
 * tests/boot/kill_dma_key_unaligned.c: DMA keys are guest-physical
 * addresses that must be multiples of 4 (spec §3.2, §6.2). We send a valid
 * one-section DMA to key 2; the host kills the guest ("bad dma key").
 */
#include <stdio.h>
#include <string.h>

#include "../../kernel/app.h"

#define BAD_KEY 2

static char payload[] = "this must never be printed\n";
static struct lguest_dma dma __attribute__((aligned(128)));

void app_main(void)
{
	printf("TEST kill_dma_key_unaligned START\n");
	printf("SEND_DMA to key %d\n", BAD_KEY);
	fflush(stdout);
	dma.used_len = 0;
	dma.addr[0] = gpa_val(virt_to_gpa(payload));
	dma.len[0] = (uint16_t)strlen(payload);
	dma.len[1] = 0;
	hcall(LHCALL_SEND_DMA, BAD_KEY, gpa_val(virt_to_gpa(&dma)), 0);
	printf("FAIL %s:%d: DMA key 2 was accepted\n", __FILE__, __LINE__);
	fflush(stdout);
}
