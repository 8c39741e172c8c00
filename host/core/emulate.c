/*
 * host/core/emulate.c: "nothing there" port I/O for guest kernels, exactly as
 * docs/abi.md §4.5 describes the 2.6.23 host: OUT is dropped; an IN with an
 * odd opcode sets EAX to 0xFFFFFFFF; quirk: an IN with an even opcode ORs
 * 0xFFFF into EAX, or 0xFFFF0000 when a 0x66 prefix is present. The guest
 * then continues after the instruction.
 */
#include "core/emulate.h"

bool emulate_port_io(struct guest *g)
{
	struct guest_regs *r = g->regs;
	uint8_t insn[2];
	unsigned len = 0;
	bool prefix = false;

	if (r->errcode != 0 || r->eip < g->page_offset)
		return false;
	if (gmem_read(&g->mem, gpa(r->eip - g->page_offset), insn, 2))
		return false;
	if (insn[0] == 0x66) {
		prefix = true;
		len = 1;
	}
	uint8_t op = insn[len];
	switch (op) {
	case 0xE4: case 0xE5: case 0xE6: case 0xE7:
		len += 2;		/* opcode + imm8 */
		break;
	case 0xEC: case 0xED: case 0xEE: case 0xEF:
		len += 1;
		break;
	default:
		return false;
	}
	bool is_in = op == 0xE4 || op == 0xE5 || op == 0xEC || op == 0xED;
	if (is_in) {
		if (op & 1)
			r->eax = 0xFFFFFFFF;
		else
			r->eax |= prefix ? 0xFFFF0000 : 0xFFFF;
	}
	r->eip += len;
	return true;
}
