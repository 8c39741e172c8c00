/*
 * tests/fuzz/fuzz_launch_args.c: launch_args_parse() (host/rules/launch_args.c)
 * on arbitrary bytes. A parse either fails with a one-line message or
 * yields a struct inside every documented limit; anything else traps.
 *
 * Security: images and launch | any launcher argument string | refused with one line, or parsed inside every limit
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rules/launch_args.h"
#include "fuzz_expect.h"

static char input[8192];
static struct launch_args args;

/* 2.6.23's device options, as the host's device table lists them. */
static const char *const opts[] = { "block", "sharenet", "tunnet" };
#define NOPTS 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];

	if (size >= sizeof(input))
		size = sizeof(input) - 1;
	memcpy(input, data, size);
	input[size] = '\0'; /* embedded NULs just end the string early */
	err[0] = '\0';
	if (launch_args_parse(input, opts, NOPTS, &args, err, sizeof(err)) != 0) {
		EXPECT(strncmp(err, "launch args: ", 13) == 0);
		EXPECT(memchr(err, '\0', sizeof(err)) != NULL);
		return 0;
	}
	EXPECT(args.mem_mb >= 1 && args.mem_mb <= LAUNCH_ARGS_MAX_MEM_MB);
	EXPECT(args.image[0] != '\0');
	EXPECT(args.ndevices <= LAUNCH_ARGS_MAX_DEVICES);
	for (unsigned i = 0; i < args.ndevices; i++) {
		size_t n = strlen(args.devices[i].value);
		EXPECT(n > 0 && n < LAUNCH_ARGS_NAME_MAX);
		EXPECT(args.devices[i].option < NOPTS);
	}
	EXPECT(!args.has_initrd || args.initrd[0] != '\0');
	EXPECT(args.respawn_max <= LAUNCH_ARGS_MAX_RESPAWN);
	EXPECT(args.respawn || args.respawn_max == 0);
	EXPECT(args.cmdline_len == strlen(args.cmdline));
	EXPECT(args.cmdline_len < COMMAND_LINE_SIZE);
	EXPECT(args.cmdline_len == 0 ||
	       args.cmdline[args.cmdline_len - 1] == ' ');
	return 0;
}
