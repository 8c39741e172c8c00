/*
 * host/core/emulate.h: the port I/O a guest kernel may try (docs/abi.md §4.5).
 */
#ifndef LGREF_HOST_EMULATE_H
#define LGREF_HOST_EMULATE_H

#include "core/guest.h"

/* A #GP with error code 0 in the guest kernel: if it was an in/out
 * instruction, emulate "nothing there" and step past it. */
bool emulate_port_io(struct guest *g);

#endif
