/*
 * tests/fuzz/fuzz_inject_args.c: inject_args_parse()
 * (host/rules/inject_args.c) on any string, as a hand-made host command
 * line may carry. What it accepts turns on only named modes, each with an
 * N in its range, and prints back (mode:N joined by ',') to a value the
 * parser reads as the same; what it refuses leaves every mode off and
 * says why in one line.
 *
 * Input: the inject= value (cut at 300 bytes, NUL-terminated here).
 *
 * Security: images and launch | any inject= value on the host's command line | refused with a message and nothing injected, or only named modes with N in range
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules/inject_args.h"
#include "fuzz_expect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char value[301], err[512], again[512];
	struct inject_args a, b;

	if (size > 300)
		size = 300;
	memcpy(value, data, size);
	value[size] = '\0';
	err[0] = 'x';
	if (inject_args_parse(value, &a, err, sizeof(err))) {
		EXPECT(memchr(err, '\0', sizeof(err)) != NULL);
		EXPECT(strchr(err, '\n') == NULL);
		for (unsigned m = 0; m < INJECT_MODES; m++)
			EXPECT(a.n[m] == 0);
		return 0;
	}
	size_t used = 0;
	unsigned on = 0;
	for (unsigned m = 0; m < INJECT_MODES; m++) {
		uint32_t max = m == INJECT_IRQ_DELAY ? INJECT_MAX_DELAY_MS
						     : INJECT_MAX_COUNT;
		EXPECT(a.n[m] <= max);
		if (!a.n[m])
			continue;
		on++;
		used += (size_t)snprintf(again + used, sizeof(again) - used,
					 "%s%s:%u", used ? "," : "",
					 inject_mode_name((enum inject_mode)m),
					 (unsigned)a.n[m]);
	}
	EXPECT(on > 0);
	EXPECT(inject_args_parse(again, &b, err, sizeof(err)) == 0);
	EXPECT(memcmp(&a, &b, sizeof(a)) == 0);
	return 0;
}
