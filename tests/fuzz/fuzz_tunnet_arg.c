/*
 * tests/fuzz/fuzz_tunnet_arg.c: tunnet_arg_parse() (host/rules/tunnet_arg.c) on
 * any string, as a hand-made module line may carry. What it accepts is an
 * IPv4 address that prints back as the input's numbers, or a bridge name
 * of 1..15 bytes without '/'.
 *
 * Input: the --tunnet value (cut at 300 bytes, NUL-terminated here).
 *
 * Security: images and launch | any --tunnet= value | refused with a message, or a valid address or bridge name
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules/tunnet_arg.h"
#include "fuzz_expect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char value[301], err[512];
	struct tunnet_arg a;

	if (size > 300)
		size = 300;
	memcpy(value, data, size);
	value[size] = '\0';
	err[0] = 'x';
	if (tunnet_arg_parse(value, &a, err, sizeof(err))) {
		EXPECT(memchr(err, '\0', sizeof(err)) != NULL);
		return 0;
	}
	if (a.kind == TUNNET_BRIDGE) {
		size_t n = strlen(a.bridge);
		EXPECT(n >= 1 && n <= TUNNET_IFNAME_MAX);
		EXPECT(!strchr(a.bridge, '/'));
		EXPECT(strcmp(value + strlen(TUNNET_BRIDGE_PREFIX),
			      a.bridge) == 0);
		return 0;
	}
	EXPECT(a.kind == TUNNET_IPV4);
	unsigned v[4];
	char tail;
	EXPECT(sscanf(value, "%u.%u.%u.%u%c", &v[0], &v[1], &v[2], &v[3],
		      &tail) == 4);
	for (unsigned i = 0; i < 4; i++)
		EXPECT(v[i] == a.ipv4[i]);
	return 0;
}
