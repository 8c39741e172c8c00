/*
 * tests/fuzz/fuzz_elf_loader.c: loader_build() (host/rules/loader.c) on an
 * arbitrary kernel image, with 4 MiB of guest RAM and one block device,
 * as the Launcher role would call it. A refused image must leave a
 * message; an accepted one must produce a layout inside guest memory.
 *
 * Security: images and launch | any kernel image | refused with a message, or laid out inside guest memory
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "rules/loader.h"
#include "fuzz_expect.h"

#define MEM (4u * 1024 * 1024)

static const struct loader_device block = { LGUEST_DEVICE_T_BLOCK, 0x8000,
					    1 };
#define GUEST_BYTES (MEM + 2 * 4096)
static uint8_t *guest;
/* Did the last run write guest memory? The loader sets pfnlimit just
 * before its first write, so a run that left it 0 wrote nothing. A dirty
 * buffer is zeroed with MADV_DONTNEED, which costs only the pages the
 * loader touched next time, not 4 MiB of memset per run. */
static int dirty;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gmem g = { .base = NULL, .ram_bytes = MEM, .pfnlimit = 0 };
	struct loader_result r;
	char err[256];

	if (!guest) {
		guest = mmap(NULL, GUEST_BYTES, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		EXPECT(guest != MAP_FAILED);
	} else if (dirty) {
		EXPECT(madvise(guest, GUEST_BYTES, MADV_DONTNEED) == 0);
	}
	g.base = guest;
	EXPECT(loader_memory_needed(MEM, &block, 1) == GUEST_BYTES);
	err[0] = '\0';
	int rc = loader_build(&g, data, size, NULL, 0, "console=hvc0 ", &block,
			      1, &r, err, sizeof(err));
	dirty = g.pfnlimit != 0;
	if (rc != 0) {
		EXPECT(err[0] != '\0');
		return 0;
	}
	EXPECT(g.pfnlimit == MEM / 4096 + 2 && r.pfnlimit == g.pfnlimit);
	EXPECT(r.device_pfn[0] == MEM / 4096 + 1 && r.ndevices == 2);
	EXPECT(r.entry - r.page_offset < MEM);
	EXPECT(r.page_offset < 0xFFC00000u && r.page_offset % 0x400000 == 0);
	EXPECT(r.kernel_start >= LOADER_LOW_RESERVED);
	EXPECT(r.kernel_end <= r.pte_gpa && r.pgdir < MEM);
	EXPECT(r.pte_gpa + r.pte_pages * 4096 == r.pgdir);
	return 0;
}
