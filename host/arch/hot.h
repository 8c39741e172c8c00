/*
 * host/arch/hot.h: where the exit path's code and data live.
 *
 * Why: every world switch loads %cr3 twice, and under QEMU's TCG each load
 * empties the software TLB and the jump cache, so every page the host then
 * touches, code or data, costs a page walk (about 80 ns for data, more
 * for code: the translated blocks are looked up again). A served
 * hypercall used to touch some 25 pages between the exit and the next
 * entry. What the exit path needs on every exit is gathered here instead:
 * functions marked EXIT_HOT_TEXT share a few pages at the start of .text,
 * variables marked EXIT_HOT_DATA share one page-aligned block at the start
 * of .data (host/arch/linker.ld). docs/host-design.md "The exit path and
 * block reads" has the measurements.
 *
 * Contract: mark only what runs or is read on every exit; rare paths
 * (a page fault's pager, a device's send) stay where they are, so the hot
 * pages stay few. Zero-initialised variables are fine here: the block
 * is in .data, so they are in the image (a few hundred bytes).
 */
#ifndef LGREF_HOST_HOT_H
#define LGREF_HOST_HOT_H

#define EXIT_HOT_TEXT __attribute__((section(".text.exit_hot")))
#define EXIT_HOT_DATA __attribute__((section(".data.exit_hot")))

/* The DMA path, right after: every SEND_DMA to a device, every disk
 * completion and every interrupt delivery (dma.c, block.c,
 * block_queue.c, virtio_blk.c, interrupts.c). Not every exit, but a
 * guest reading its disk does all of it for every request. The pure
 * rules it runs use the same section through RULES_DMA_HOT
 * (host/rules/hot_section.h), and the linker script puts newlib's
 * memcpy, memmove and memset there too. */
#define DMA_HOT_TEXT __attribute__((section(".text.exit_hot.dma")))

#endif
