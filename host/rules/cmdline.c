/*
 * host/rules/cmdline.c: words on the host's command line
 * (host/rules/cmdline.h). Pure string code, tested natively.
 */
#include <string.h>

#include "rules/cmdline.h"

bool cmdline_has_word(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; n && (p = strstr(p, word)); p += n)
		if ((p == cmdline || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

const char *cmdline_value(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; n && (p = strstr(p, word)); p += n)
		if ((p == cmdline || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0' || p[n] == '='))
			return p[n] == '=' ? p + n + 1 : p + n;
	return NULL;
}

bool cmdline_value_is(const char *v, const char *text)
{
	size_t n = strlen(text);

	return v && strncmp(v, text, n) == 0 && (v[n] == ' ' || v[n] == '\0');
}
