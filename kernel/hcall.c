/*
 * kernel/hcall.c: the guest's one door to the host. hcall() is the only
 * caller of x86_hypercall(), so `int $0x1F` appears once in the image; the
 * async ring helper batches calls the host may run later (spec §2.1).
 * What each call means is the business of its caller (kernel/lguest.c,
 * kernel/vm.c, drivers/...).
 */
#include "hcall.h"
#include "irqflags.h"
#include "lguest_data.h"
#include "x86.h"
#include "../lib/hot.h"

/* Next ring slot we will fill; the host keeps its own cursor. */
static unsigned hcall_next;

/*G:040 Every conversation with the host starts here. We put the call
 * number in %eax and up to three arguments in %edx, %ebx and %ecx, and
 * execute "int $0x1F". The host's gate for that vector has DPL 1, so only
 * our ring-1 kernel can use it. When the instruction "returns", the host
 * has done the work, so from our side a hypercall is just a slow function
 * call. :*/
GUEST_HOT_TEXT
__attribute__((noinline)) uint32_t hcall(uint32_t call, uint32_t arg1,
					 uint32_t arg2, uint32_t arg3)
{
	return x86_hypercall(call, arg1, arg2, arg3);
}
/*:*/

/*G:120 Exits are the expensive part of being a guest, so calls whose
 * answer we don't need can wait in a ring of 64 slots inside lguest_data.
 * A slot whose status byte is 0xFF is free; we fill in the four registers,
 * then (after a barrier, so the host never sees a half-written slot) set
 * its status to 0. At our next exit, whatever its cause, the host runs the
 * pending slots in order and sets them back to 0xFF. Interrupts are off
 * while we touch the ring: an interrupt handler may queue calls too. :*/
void hcall_async(uint32_t call, uint32_t arg1, uint32_t arg2, uint32_t arg3)
{
	uint32_t flags = irq_save();
	unsigned slot = hcall_next;

	if (lguest_data.hcall_status[slot] != LHCALL_STATUS_FREE) {
		/* Full: the host hasn't caught up. A synchronous call makes it
		 * drain the ring first, so order is kept. */
		hcall(call, arg1, arg2, arg3);
	} else {
		lguest_data.hcalls[slot].eax = call;
		lguest_data.hcalls[slot].edx = arg1;
		lguest_data.hcalls[slot].ebx = arg2;
		lguest_data.hcalls[slot].ecx = arg3;
		x86_barrier();
		lguest_data.hcall_status[slot] = LHCALL_STATUS_PENDING;
		hcall_next = (slot + 1) % LHCALL_RING_SIZE;
	}
	irq_restore(flags);
}
/*:*/

void hcall_flush(void)
{
	hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0);
}

void hcall_flush_pending(void)
{
	/* The host runs the ring in order, so if the last call we queued is
	 * done, so is everything before it. */
	unsigned last = (hcall_next + LHCALL_RING_SIZE - 1) % LHCALL_RING_SIZE;

	if (lguest_data.hcall_status[last] != LHCALL_STATUS_FREE)
		hcall_flush();
}
