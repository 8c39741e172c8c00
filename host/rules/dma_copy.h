/*
 * host/rules/dma_copy.h: moving bytes between two guests' DMA section lists, for
 * a guest-to-guest SEND_DMA (docs/abi.md §6.4 b). Matching the key,
 * choosing the receive buffer and writing used_len belong to the caller;
 * this is only the copy.
 */
#ifndef LGREF_HOST_DMA_COPY_H
#define LGREF_HOST_DMA_COPY_H

#include <stdint.h>

#include <lguest/launcher.h>

#include "rules/gmem.h"

/*
 * Copy min(total of src's sections, total of dst's sections) bytes from
 * src's sections (in src_mem) into dst's sections (in dst_mem), in order,
 * each list ending at its first len 0 or after 16 sections. Returns the
 * number of bytes copied. Both lists must have passed
 * check_dma_sections(); should a section still be outside its gmem, the
 * copy stops there and the bytes moved so far are returned. The two
 * gmems may be the same memory; overlapping sections are copied as if
 * through a buffer, chunk by chunk.
 */
uint32_t dma_gather(const struct gmem *dst_mem, const struct lguest_dma *dst,
		    const struct gmem *src_mem, const struct lguest_dma *src);

#endif
