/*
 * kernel/early_console.c: the kernel's console output (early_console.h).
 * Output is a SEND_DMA to key 0 of at most 256 bytes, straight from the
 * caller's buffer (all our memory is in the linear map), one section that
 * never crosses a page; the launcher writes the bytes out before the
 * hypercall returns. Input needs a bound buffer and an interrupt, so it is
 * the console driver's business (drivers/console.c), not ours.
 */
#include <lguest/launcher.h>

#include "early_console.h"
#include "hcall.h"
#include "lguest.h"
#include "mm.h"

/*G:055 The console is the one device that works before any driver is
 * loaded: its key is address 0, there is nothing to set up, and the
 * launcher always listens there. So printing is a kernel facility, not a
 * driver's: the driver only adds input, later. A DMA is a list of up to
 * 16 sections (guest-physical address and length); we send the caller's
 * bytes in place, one section at a time, each at most 256 bytes and never
 * across a page. The host stops us, the launcher writes the bytes to its
 * standard output and fills in used_len, and only then does the hypercall
 * return. The descriptor lives on our stack (which is in the linear map,
 * so it has a guest-physical address too), so interrupts can stay on: a
 * handler that prints uses a descriptor of its own. :*/
void early_console_write(const void *buf, size_t len)
{
	const char *p = buf;
	struct lguest_dma dma __attribute__((aligned(128))); /* not across a page */

	if (!lguest_ready())
		return; /* any hypercall before LGUEST_INIT is fatal */
	while (len > 0) {
		uint32_t addr = gpa_val(virt_to_gpa(p));
		size_t n = PAGE_SIZE - addr % PAGE_SIZE;
		if (n > LGUEST_CONSOLE_OUT_MAX)
			n = LGUEST_CONSOLE_OUT_MAX;
		if (n > len)
			n = len;
		dma.used_len = 0;
		dma.addr[0] = addr;
		dma.len[0] = (uint16_t)n;
		dma.len[1] = 0; /* end of the section list */
		hcall(LHCALL_SEND_DMA, LGUEST_CONSOLE_DMA_KEY,
		      gpa_val(virt_to_gpa(&dma)), 0);
		p += n;
		len -= n;
	}
}
/*:*/
