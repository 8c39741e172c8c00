/*
 * tests/unit/hcall_ring_test.c: hcall_ring_process() (host/rules/hcall_ring.c),
 * the async ring of docs/abi.md §2.1: ring order from the host's cursor,
 * wrap at 64, at most 64 calls, stopping early and resuming at the next
 * slot, snapshot semantics, and what faults mean (skip vs kill).
 */
#include <string.h>

#include <lguest/lguest.h>

#include "check.h"
#include "rules/hcall_ring.h"

#define DATA 0x1F00 /* lguest_data gpa: crosses a page, as it may */
static uint8_t m[3 * 4096];
static struct gmem g = { .base = m, .ram_bytes = sizeof(m), .pfnlimit = 3 };

/* What the fake hypercall runner saw and should answer. */
struct runner {
	unsigned n;
	uint32_t eax[200], edx[200], ebx[200], ecx[200];
	uint32_t stop_on;    /* eax that answers HCALL_RING_STOP */
	uint32_t kill_on;    /* eax that answers HCALL_RING_KILLED */
	int pend_slot;       /* >= 0: mark this slot pending during call 0 */
	int free_slot;       /* >= 0: mark this slot done during call 0 */
};
static struct runner rn;
static char err[192];

static int run(void *ctx, uint32_t eax, uint32_t edx, uint32_t ebx,
	       uint32_t ecx)
{
	struct runner *r = ctx;

	if (r->n == 0 && r->pend_slot >= 0)
		m[DATA + LGUEST_DATA_HCALL_STATUS + r->pend_slot] = 0;
	if (r->n == 0 && r->free_slot >= 0)
		m[DATA + LGUEST_DATA_HCALL_STATUS + r->free_slot] = 0xFF;
	r->eax[r->n] = eax;
	r->edx[r->n] = edx;
	r->ebx[r->n] = ebx;
	r->ecx[r->n] = ecx;
	r->n++;
	if (eax == r->stop_on)
		return HCALL_RING_STOP;
	if (eax == r->kill_on)
		return HCALL_RING_KILLED;
	return HCALL_RING_CONTINUE;
}

static uint8_t status(unsigned slot)
{
	return m[DATA + LGUEST_DATA_HCALL_STATUS + slot];
}

/* Queue call `eax` in slot: arguments derived from eax, status 0. */
static void queue(unsigned slot, uint32_t eax)
{
	uint32_t w[4] = { eax, eax + 0x100, eax + 0x200, eax + 0x300 };

	memcpy(m + DATA + LGUEST_DATA_HCALLS + 16 * slot, w, sizeof(w));
	m[DATA + LGUEST_DATA_HCALL_STATUS + slot] = 0;
}

static void reset(void)
{
	memset(m, 0, sizeof(m));
	memset(m + DATA + LGUEST_DATA_HCALL_STATUS, 0xFF, 64);
	memset(&rn, 0, sizeof(rn));
	rn.stop_on = rn.kill_on = 0xFFFFFFFF;
	rn.pend_slot = rn.free_slot = -1;
	err[0] = '\0';
}

static int drain(unsigned *cursor)
{
	return hcall_ring_process(&g, DATA, cursor, run, &rn, err,
				  sizeof(err));
}

static void test_empty_ring(void)
{
	unsigned cursor = 5;

	reset();
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 0);
	CHECK_EQ(cursor, 5);
}

static void test_order_and_arguments(void)
{
	unsigned cursor = 0;

	reset();
	queue(0, 10);
	queue(1, 11);
	queue(2, 12);
	queue(4, 14); /* after a gap: not reached */
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 3);
	CHECK_EQ(rn.eax[0], 10);
	CHECK_EQ(rn.edx[0], 10 + 0x100);
	CHECK_EQ(rn.ebx[0], 10 + 0x200);
	CHECK_EQ(rn.ecx[0], 10 + 0x300);
	CHECK_EQ(rn.eax[2], 12);
	CHECK_EQ(cursor, 3);
	CHECK_EQ(status(0), 0xFF);
	CHECK_EQ(status(2), 0xFF);
	CHECK_EQ(status(4), 0); /* still pending */
	/* Any value other than 0xFF counts as pending. */
	queue(3, 13);
	m[DATA + LGUEST_DATA_HCALL_STATUS + 3] = 0x7F;
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 5);
	CHECK_EQ(rn.eax[3], 13);
	CHECK_EQ(rn.eax[4], 14);
	CHECK_EQ(cursor, 5);
}

static void test_wrap(void)
{
	unsigned cursor = 62;

	reset();
	queue(62, 1);
	queue(63, 2);
	queue(0, 3);
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 3);
	CHECK_EQ(rn.eax[2], 3);
	CHECK_EQ(cursor, 1);
	/* A cursor out of range is taken mod 64. */
	reset();
	cursor = 64 + 7;
	queue(7, 9);
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 1);
	CHECK_EQ(cursor, 8);
}

static void test_at_most_64(void)
{
	unsigned cursor = 17;

	reset();
	for (unsigned i = 0; i < 64; i++)
		queue(i, 100 + i);
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 64);
	CHECK_EQ(rn.eax[0], 117);
	CHECK_EQ(rn.eax[63], 116);
	CHECK_EQ(cursor, 17);
	/* Every slot done; a second pass finds nothing. */
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 64);
}

static void test_stop_resumes_at_next_slot(void)
{
	unsigned cursor = 0;

	reset();
	queue(0, 1);
	queue(1, 13); /* a SEND_DMA for the Launcher, say */
	queue(2, 2);
	rn.stop_on = 13;
	CHECK_EQ(drain(&cursor), HCALL_RING_STOP);
	CHECK_EQ(rn.n, 2);
	CHECK_EQ(cursor, 2);
	CHECK_EQ(status(1), 0xFF); /* written before stopping */
	CHECK_EQ(status(2), 0);
	rn.stop_on = 0xFFFFFFFF;
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 3);
	CHECK_EQ(rn.eax[2], 2);
	CHECK_EQ(cursor, 3);
}

static void test_killed_by_callback(void)
{
	unsigned cursor = 0;

	reset();
	queue(0, 1);
	queue(1, 66);
	queue(2, 2);
	rn.kill_on = 66;
	CHECK_EQ(drain(&cursor), HCALL_RING_KILLED);
	CHECK_EQ(rn.n, 2); /* nothing runs after the kill */
	CHECK_EQ(status(1), 0xFF);
	CHECK_EQ(status(2), 0);
	CHECK(err[0] == '\0'); /* the callback owns the reason */
}

/* A slot that becomes pending during the drain waits for the next one,
 * even when it is the very next slot; a slot pending in the snapshot runs
 * even if its status byte was set to 0xFF meanwhile. */
static void test_snapshot(void)
{
	unsigned cursor = 0;

	reset();
	queue(0, 1);
	queue(1, 2);
	rn.pend_slot = 2;
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 2);
	CHECK_EQ(cursor, 2);
	CHECK_EQ(status(2), 0);
	reset();
	cursor = 0;
	queue(0, 1);
	queue(1, 2);
	rn.free_slot = 1;
	CHECK_EQ(drain(&cursor), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 2);
	CHECK_EQ(rn.eax[1], 2);
}

static void test_faults(void)
{
	unsigned cursor = 0;

	/* Status array unreadable: skip the pass, no kill. */
	reset();
	CHECK_EQ(hcall_ring_process(&g, sizeof(m) - 80, &cursor, run, &rn, err,
				    sizeof(err)), HCALL_RING_CONTINUE);
	CHECK_EQ(hcall_ring_process(&g, 0xFFFFFFF0, &cursor, run, &rn, err,
				    sizeof(err)), HCALL_RING_CONTINUE);
	CHECK_EQ(rn.n, 0);
	/* Status readable, a slot's arguments not: kill, cursor stays. */
	uint32_t data = sizeof(m) - 84 - 16 * 3 - 8; /* slot 3 cut short */
	memset(m + data + LGUEST_DATA_HCALL_STATUS, 0, 64);
	cursor = 2;
	CHECK_EQ(hcall_ring_process(&g, data, &cursor, run, &rn, err,
				    sizeof(err)), HCALL_RING_KILLED);
	CHECK_EQ(rn.n, 1);
	CHECK_EQ(cursor, 3);
	CHECK(strcmp(err, "async hypercall slot 3: cannot read the arguments "
		     "at lguest_data 0x2f74 + 132, outside guest memory") == 0);
}

int main(void)
{
	RUN(test_empty_ring);
	RUN(test_order_and_arguments);
	RUN(test_wrap);
	RUN(test_at_most_64);
	RUN(test_stop_resumes_at_next_slot);
	RUN(test_killed_by_callback);
	RUN(test_snapshot);
	RUN(test_faults);
	return CHECK_DONE();
}
