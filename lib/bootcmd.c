/*
 * lib/bootcmd.c: run= and runwait= on the command line (lib/bootcmd.h).
 * A word is found only whole and at a word start, so "xrun=..." is not
 * run=, nor is "runwait=".
 */
#include <string.h>

#include "bootcmd.h"

/* The first word at or after *pos that starts with key; its value (the
 * rest of the word) in *val and *len. */
static bool bootcmd_find(const char *line, size_t *pos, const char *key,
			 const char **val, size_t *len)
{
	size_t n = strlen(key), total = strlen(line);

	while (*pos < total) {
		const char *word = line + *pos + strspn(line + *pos, " ");
		size_t wlen = strcspn(word, " ");
		*pos = (size_t)(word - line) + wlen;
		if (wlen >= n && memcmp(word, key, n) == 0) {
			*val = word + n;
			*len = wlen - n;
			return true;
		}
	}
	return false;
}

bool bootcmd_next(const char *cmdline, size_t *pos, char *out, size_t size)
{
	const char *val;
	size_t len;

	out[0] = '\0';
	if (*pos > strlen(cmdline) ||
	    !bootcmd_find(cmdline, pos, "run=", &val, &len))
		return false;
	if (len >= size)
		len = size - 1;
	for (size_t i = 0; i < len; i++)
		out[i] = val[i] == ',' ? ' ' : val[i];
	out[len] = '\0';
	return true;
}

uint32_t bootcmd_wait_ms(const char *cmdline)
{
	size_t pos = 0, len;
	const char *val;
	uint32_t ms = 0;

	if (!bootcmd_find(cmdline, &pos, "runwait=", &val, &len) || len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (val[i] < '0' || val[i] > '9')
			return 0;
		ms = ms * 10 + (uint32_t)(val[i] - '0');
		if (ms > BOOTCMD_WAIT_MAX_MS)
			return BOOTCMD_WAIT_MAX_MS;
	}
	return ms;
}
