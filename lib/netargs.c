/*
 * lib/netargs.c: the arguments of the network commands (lib/netargs.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"
#include "netargs.h"

/* The next space-separated word of *p, at most size - 1 bytes, in out;
 * false at the end of the line or for a longer word. */
static bool netargs_word(const char **p, char *out, size_t size)
{
	const char *w = *p + strspn(*p, " ");
	size_t n = strcspn(w, " ");

	if (n == 0 || n >= size)
		return false;
	memcpy(out, w, n);
	out[n] = '\0';
	*p = w + n;
	return true;
}

int netargs_parse(const char *args, uint32_t *dst, unsigned long *nums,
		  unsigned max_nums)
{
	char word[24];
	unsigned got = 0;

	if (!netargs_word(&args, word, sizeof(word)) ||
	    !netaddr_parse_ip(word, dst))
		return -1;
	while (netargs_word(&args, word, sizeof(word))) {
		char *end;
		unsigned long v = strtoul(word, &end, 10);
		if (got == max_nums || word[0] < '0' || word[0] > '9' || *end)
			return -1;
		nums[got++] = v;
	}
	if (args[strspn(args, " ")] != '\0')
		return -1; /* a word too long for any number */
	return (int)got;
}
