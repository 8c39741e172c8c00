/*
 * host/rules/hcall_ring.c: drains the guest's async hypercall ring (the rules
 * are in hcall_ring.h and docs/abi.md §2.1). Guest memory is reached only
 * through gmem, at offsets from the lguest_data address computed in 64
 * bits, so a structure placed at the very top of the address space cannot
 * make an offset wrap around to low memory.
 */
#include <lguest/lguest.h>

#include "rules/errmsg.h"
#include "rules/hcall_ring.h"

/* gpa of a field at off inside lguest_data, or false if it would wrap. */
static bool ring_field(uint32_t data_gpa, uint32_t off, uint32_t *gpa)
{
	uint64_t a = (uint64_t)data_gpa + off;

	if (a > 0xFFFFFFFFu)
		return false;
	*gpa = (uint32_t)a;
	return true;
}

/* Little-endian word at b[off]. */
static uint32_t ring_le32(const uint8_t *b, unsigned off)
{
	return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
	       (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}

/* Read slot i's four argument words (one checked 16-byte read). */
static int ring_read_slot(const struct gmem *g, uint32_t data_gpa, unsigned i,
			  uint32_t w[4])
{
	uint8_t b[HCALL_RING_SIZEOF];
	uint32_t at;

	if (!ring_field(data_gpa, LGUEST_DATA_HCALLS + i * HCALL_RING_SIZEOF,
			&at) ||
	    gmem_read(g, gpa(at), b, sizeof(b)))
		return -1;
	w[0] = ring_le32(b, HCALL_RING_EAX);
	w[1] = ring_le32(b, HCALL_RING_EDX);
	w[2] = ring_le32(b, HCALL_RING_EBX);
	w[3] = ring_le32(b, HCALL_RING_ECX);
	return 0;
}

/* Write 0xFF (done) to slot i's status byte. */
static int ring_mark_done(const struct gmem *g, uint32_t data_gpa, unsigned i)
{
	uint32_t at;

	if (!ring_field(data_gpa, LGUEST_DATA_HCALL_STATUS + i, &at))
		return -1;
	return gmem_write8(g, gpa(at), LHCALL_STATUS_FREE);
}

/* A slot the host cannot reach: the guest dies, err says where. */
static int ring_fault(char *err, size_t errlen, const char *what, unsigned i,
		      uint32_t data_gpa, uint32_t off)
{
	errmsg(err, errlen, "async hypercall slot %u: cannot %s at "
	       "lguest_data 0x%x + %u, outside guest memory", i, what,
	       (unsigned)data_gpa, (unsigned)off);
	return HCALL_RING_KILLED;
}

int hcall_ring_process(const struct gmem *g, uint32_t data_gpa,
		       unsigned *cursor, hcall_ring_run_fn run, void *ctx,
		       char *err, size_t errlen)
{
	uint8_t snap[LHCALL_RING_SIZE];
	uint32_t status_gpa, w[4];
	int verdict = HCALL_RING_CONTINUE;

	*cursor %= LHCALL_RING_SIZE;
	if (!ring_field(data_gpa, LGUEST_DATA_HCALL_STATUS, &status_gpa) ||
	    gmem_read(g, gpa(status_gpa), snap, sizeof(snap)))
		return HCALL_RING_CONTINUE;
	for (unsigned n = 0; n < LHCALL_RING_SIZE; n++) {
		unsigned i = *cursor;
		uint32_t args = LGUEST_DATA_HCALLS + i * HCALL_RING_SIZEOF;

		if (snap[i] == LHCALL_STATUS_FREE)
			break;
		if (ring_read_slot(g, data_gpa, i, w))
			return ring_fault(err, errlen, "read the arguments", i,
					  data_gpa, args);
		*cursor = (i + 1) % LHCALL_RING_SIZE;
		verdict = run(ctx, w[0], w[1], w[2], w[3]);
		if (ring_mark_done(g, data_gpa, i))
			return ring_fault(err, errlen, "write the status byte",
					  i, data_gpa,
					  LGUEST_DATA_HCALL_STATUS + i);
		if (verdict == HCALL_RING_STOP)
			break;
		if (verdict != HCALL_RING_CONTINUE)
			return HCALL_RING_KILLED;
	}
	return verdict;
}
