/*
 * host/rules/net_frame.c: the rules for a --tunnet frame (host/rules/net_frame.h).
 * The section rule itself is check_dma_sections()'s, shared with every
 * other device the Launcher serves; what is added here is the frame's
 * length and the scatter into a receive buffer.
 */
#include "rules/check.h"
#include "rules/errmsg.h"
#include "rules/net_frame.h"

int net_frame_check_send(const struct lguest_dma *dma, const struct gmem *g,
			 struct net_frame_send *out, char *err, size_t errlen)
{
	uint32_t total;

	if (check_dma_sections(dma, g, false, &total, err, errlen))
		return -1;
	if (total < LGUEST_NET_HDR_LEN)
		return errmsg(err, errlen, "frame of %u bytes is shorter than "
			      "an Ethernet header (%u)", (unsigned)total,
			      LGUEST_NET_HDR_LEN);
	if (total > LGUEST_NET_BUF_SIZE)
		return errmsg(err, errlen, "frame of %u bytes is longer than "
			      "%u (header and MTU %u)", (unsigned)total,
			      LGUEST_NET_BUF_SIZE, LGUEST_NET_MTU);
	out->bytes = total;
	out->nseg = 0;
	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && dma->len[i]; i++) {
		out->seg[i].gpa = gpa(dma->addr[i]);
		out->seg[i].len = dma->len[i];
		out->nseg++;
	}
	return 0;
}

int net_frame_check_buffer(const struct lguest_dma *dma, const struct gmem *g,
			   uint32_t *capacity, char *err, size_t errlen)
{
	return check_dma_sections(dma, g, false, capacity, err, errlen);
}

uint32_t net_frame_scatter(const struct gmem *g, const struct lguest_dma *dma,
			   const uint8_t *frame, uint32_t len)
{
	uint32_t done = 0;

	for (unsigned i = 0; i < LGUEST_MAX_DMA_SECTIONS && done < len; i++) {
		uint32_t n = dma->len[i];
		if (n == 0)
			break;
		if (n > len - done)
			n = len - done;
		if (gmem_write(g, gpa(dma->addr[i]), frame + done, n))
			break;
		done += n;
	}
	return done;
}
