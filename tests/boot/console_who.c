/*
 * tests/boot/console_who.c: a guest that says who it is with every line
 * it reads, so a test with several guests on one console can tell which
 * guest got its input (console_escape.expect, console_moves.expect).
 * Prints "READY guest N" once its console reads, then for each line typed
 * "guest N got: <line>", bytes outside printable ASCII as <xx>; the line
 * "poweroff" powers it off.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../kernel/app.h"
#include "../../lib/lineedit.h"

static void who_line(unsigned id, const struct lineedit *le)
{
	const char *line = lineedit_line(le);

	printf("guest %u got: ", id);
	for (size_t i = 0; i < le->len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c >= 0x20 && c < 0x7F)
			putchar(c);
		else
			printf("<%02x>", c);
	}
	putchar('\n');
	fflush(stdout);
	if (le->len == 8 && memcmp(line, "poweroff", 8) == 0)
		poweroff();
}

void app_main(void)
{
	unsigned id = lguest_data.guestid;
	struct lineedit le;
	char chunk[LGUEST_CONSOLE_IN_BUF_SIZE];

	lineedit_init(&le);
	printf("READY guest %u\n", id);
	fflush(stdout);
	for (;;) {
		ssize_t n = read(0, chunk, sizeof(chunk));
		for (ssize_t i = 0; i < n; i++)
			if (lineedit_feed(&le, chunk[i]) == LINEEDIT_LINE) {
				who_line(id, &le);
				lineedit_reset(&le);
			}
	}
}
