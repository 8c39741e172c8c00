/*
 * host/core/fpu.c: the FPU belongs to one guest at a time. Entering any other
 * guest sets CR0.TS, so that guest's first FPU instruction raises #NM; the
 * host then saves the owner's registers, loads the new guest's, and
 * resumes it. A guest whose virtual TS is set (LHCALL_TS) gets the #NM
 * itself, as Linux's lazy FPU code expects (docs/abi.md §4.10).
 */
#include <string.h>

#include "arch/hot.h"
#include "core/fpu.h"
#include "arch/x86.h"

static uint8_t clean_state[512] __attribute__((aligned(16)));
static struct guest *fpu_owner EXIT_HOT_DATA;

static EXIT_HOT_TEXT void set_ts(bool on)
{
	uint32_t cr0 = read_cr0();
	uint32_t want = on ? (cr0 | CR0_TS) : (cr0 & ~CR0_TS);

	if (want != cr0)	/* a TS change does not flush QEMU's TLB */
		write_cr0(want);
}

void fpu_init(void)
{
	clts();
	__asm__ volatile("fninit; fxsave %0" : "=m"(clean_state));
	set_ts(true);
}

void fpu_guest_init(struct guest *g)
{
	memcpy(g->fpu_state, clean_state, sizeof(clean_state));
}

EXIT_HOT_TEXT void fpu_prepare_entry(struct guest *g)
{
	set_ts(g->ts || fpu_owner != g);
}

bool fpu_handle_nm(struct guest *g)
{
	if (g->ts)
		return false;
	clts();
	if (fpu_owner != g) {
		if (fpu_owner)
			__asm__ volatile("fxsave %0" : "=m"(fpu_owner->fpu_state));
		__asm__ volatile("fxrstor %0" : : "m"(g->fpu_state));
		fpu_owner = g;
	}
	return true;
}

void fpu_forget(struct guest *g)
{
	if (fpu_owner == g)
		fpu_owner = NULL;
}
