/*
 * host/rules/hot_section.h: RULES_DMA_HOT, the DMA path's code section for
 * the few pure rules every block or device SEND_DMA runs (gmem's copies
 * and scalars, the DMA key and section checks, blk_request_check()).
 *
 * Why: in host.elf those functions sat on pages of their own, far from
 * the DMA path's hot pages (host/arch/hot.h), and under QEMU's TCG every
 * code page first touched after a %cr3 load costs a page walk and a
 * translated-block lookup. The rules stay free of the host: the section is
 * named only when the host kernel is built (LGREF_HOST_KERNEL, set by the
 * Makefile's HOST_CFLAGS); the unit tests and fuzzers build them with no
 * attribute at all.
 */
#ifndef LGREF_RULES_HOT_SECTION_H
#define LGREF_RULES_HOT_SECTION_H

#ifdef LGREF_HOST_KERNEL
#define RULES_DMA_HOT __attribute__((section(".text.exit_hot.dma")))
#else
#define RULES_DMA_HOT
#endif

#endif
