/*
 * tests/fuzz/fuzz_hcall_ring.c: hcall_ring_process() (host/rules/hcall_ring.c)
 * on guest-controlled ring contents. The fake hypercall runner answers
 * continue / stop / kill / nonsense from the call number and, like a
 * device writing into the guest, may flip status bytes while the drain
 * runs. At most 64 calls per drain, the cursor stays in 0..63, and a drain
 * that kills for a fault says why.
 *
 * Input: 2 bytes lguest_data gpa (mod the memory size + 256), 1 byte
 * cursor, then guest memory bytes (3 pages).
 *
 * Security: the ABI | any async hypercall ring contents, changing under the host | at most 64 calls per drain; the cursor stays in range; kills say why
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rules/hcall_ring.h"
#include "fuzz_expect.h"

#define MEM (3 * 4096)
static uint8_t m[MEM];

struct runner {
	unsigned calls;
	uint32_t data_gpa;
};

static int run(void *ctx, uint32_t eax, uint32_t edx, uint32_t ebx,
	       uint32_t ecx)
{
	struct runner *r = ctx;
	uint64_t at = (uint64_t)r->data_gpa + 20 + (ecx & 63);

	r->calls++;
	if ((edx & 1) && at < MEM)
		m[at] = (uint8_t)ebx; /* the ring changes under our feet */
	switch (eax % 8) {
	case 3:
		return HCALL_RING_STOP;
	case 5:
		return HCALL_RING_KILLED;
	case 7:
		return 42; /* not a verdict: must count as a kill */
	default:
		return HCALL_RING_CONTINUE;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gmem g = { .base = m, .ram_bytes = MEM, .pfnlimit = MEM / 4096 };
	struct runner r = { 0, 0 };
	unsigned cursor;
	char err[192];
	int v;

	if (size < 3)
		return 0;
	r.data_gpa = (uint32_t)(data[0] | data[1] << 8) % (MEM + 256);
	cursor = data[2];
	memset(m, 0, sizeof(m));
	memcpy(m, data + 3, size - 3 < MEM ? size - 3 : MEM);
	err[0] = '\0';
	v = hcall_ring_process(&g, r.data_gpa, &cursor, run, &r, err,
			       sizeof(err));
	EXPECT(v == HCALL_RING_CONTINUE || v == HCALL_RING_STOP ||
	       v == HCALL_RING_KILLED);
	EXPECT(r.calls <= 64 && cursor < 64);
	EXPECT(v != HCALL_RING_STOP || r.calls > 0);
	/* A second drain right after must also stay within bounds. */
	r.calls = 0;
	hcall_ring_process(&g, r.data_gpa, &cursor, run, &r, err, sizeof(err));
	EXPECT(r.calls <= 64 && cursor < 64);
	return 0;
}
