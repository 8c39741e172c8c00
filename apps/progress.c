/*
 * apps/progress.c: the "for SECONDS" mode's clock, argument and lines
 * (apps/progress.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernel/clock.h"
#include "../kernel/kprintf.h"
#include "../kernel/lguest_data.h"
#include "../lib/kapi.h"
#include "progress.h"

#define NS_PER_S 1000000000ull
#define PROGRESS_LINE_MAX 200

int progress_take_for(const char *cmd, const char *args, char *rest,
		      unsigned size, uint32_t *seconds)
{
	bool found = false;
	unsigned used = 0;

	rest[0] = '\0';
	while (*args) {
		size_t n = strcspn(args, " ,");
		if (n == 0) {
			args++;
			continue;
		}
		if (n == 3 && memcmp(args, "for", 3) == 0 && !found) {
			const char *v = args + 3;
			while (*v == ' ' || *v == ',')
				v++;
			size_t vn = strcspn(v, " ,");
			char *end;
			unsigned long s = vn && vn < 10 ? strtoul(v, &end, 10) : 0;
			if (!vn || vn >= 10 || end != v + vn || s < 1 ||
			    s > PROGRESS_MAX_S) {
				printf("%s: for: expected a number of seconds "
				       "from 1 to %u\n", cmd, PROGRESS_MAX_S);
				return -1;
			}
			*seconds = (uint32_t)s;
			found = true;
			args = v + vn;
			continue;
		}
		if (used + n + 2 > size) {
			printf("%s: too many arguments\n", cmd);
			return -1;
		}
		if (used)
			rest[used++] = ' ';
		memcpy(rest + used, args, n);
		used += (unsigned)n;
		rest[used] = '\0';
		args += n;
	}
	return found ? 1 : 0;
}

void progress_start(struct progress *p, uint32_t seconds)
{
	p->start_ns = clock_now_ns();
	p->end_ns = p->start_ns + seconds * NS_PER_S;
	p->next_ns = p->start_ns + PROGRESS_PERIOD_S * NS_PER_S;
}

bool progress_over(const struct progress *p)
{
	return clock_now_ns() >= p->end_ns;
}

bool progress_due(struct progress *p)
{
	uint64_t now = clock_now_ns();

	if (now < p->next_ns)
		return false;
	while (p->next_ns <= now)
		p->next_ns += PROGRESS_PERIOD_S * NS_PER_S;
	return true;
}

uint32_t progress_elapsed_s(const struct progress *p)
{
	return (uint32_t)((clock_now_ns() - p->start_ns) / NS_PER_S);
}

/*G:470 Several guests write one console, and the host writes each
 * SEND_DMA out whole, in one go: so a line another guest's output must
 * never cut is sent as one DMA. early_console_write() sends a section of
 * at most 256 bytes that never crosses a page; a line of under 256 bytes
 * in a buffer aligned to 256 is exactly one. :*/
void progress_line(const char *keyword, const char *fmt, ...)
{
	static char line[256] __attribute__((aligned(256)));
	va_list ap;
	int n;

	fflush(stdout);	/* what stdio holds goes first */
	n = snprintf(line, PROGRESS_LINE_MAX, "%s[%u] ", keyword,
		     (unsigned)lguest_data.guestid);
	va_start(ap, fmt);
	n += vsnprintf(line + n, PROGRESS_LINE_MAX - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > PROGRESS_LINE_MAX - 2)
		n = PROGRESS_LINE_MAX - 2;
	line[n++] = '\n';
	console_write(line, (size_t)n);
}
/*:*/

const char *progress_u64(uint64_t n, char *buf)
{
	if (n < 1000000000u)
		snprintf(buf, 24, "%lu", (unsigned long)n);
	else
		snprintf(buf, 24, "%lu%09lu", (unsigned long)(n / 1000000000u),
			 (unsigned long)(n % 1000000000u));
	return buf;
}
