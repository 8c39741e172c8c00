/*
 * host/core/fpu.h: lazy FPU switching between guests, and the guest's virtual
 * CR0.TS (docs/abi.md §4.10). The host itself never touches the FPU.
 */
#ifndef LGREF_HOST_FPU_H
#define LGREF_HOST_FPU_H

#include "core/guest.h"

void fpu_init(void);		/* a clean FPU image for new guests */
void fpu_guest_init(struct guest *g);

/* Set the real CR0.TS for the guest about to run. */
void fpu_prepare_entry(struct guest *g);

/* #NM from the guest: false if it must be reflected (virtual TS set). */
bool fpu_handle_nm(struct guest *g);

/* The guest is gone: forget it owned the FPU. */
void fpu_forget(struct guest *g);

#endif
