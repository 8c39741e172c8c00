/*
 * tests/boot/boot_check.h: the checks every boot-test guest uses. A failed
 * check prints "FAIL <file>:<line>: ..." (the runner fails a test on a
 * ^FAIL line) and counts; test_finish() prints the PASS line the .expect
 * file waits for, or how many checks failed.
 */
#ifndef LGREF_TESTS_BOOT_BOOT_CHECK_H
#define LGREF_TESTS_BOOT_BOOT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/bootparams.h"

static int test_failures;

#define CHECK(expr)                                                     \
	do {                                                            \
		if (!(expr)) {                                          \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #expr); \
			fflush(stdout);                                 \
			test_failures++;                                \
		}                                                       \
	} while (0)

/* Compare two values of at most 32 bits, printing both (signed, since
 * block errors are negative, and in hex) on failure. */
#define CHECK_EQ(got, want)                                             \
	do {                                                            \
		long got_ = (long)(got), want_ = (long)(want);          \
		if (got_ != want_) {                                    \
			printf("FAIL %s:%d: %s == %s (got %ld = 0x%08lx, " \
			       "want %ld = 0x%08lx)\n", __FILE__, __LINE__, \
			       #got, #want, got_, (unsigned long)got_,  \
			       want_, (unsigned long)want_);            \
			fflush(stdout);                                 \
			test_failures++;                                \
		}                                                       \
	} while (0)

/* The number of `word=N` on the guest's command line, or dflt. */
static inline unsigned cmdline_number(const char *word, unsigned dflt)
{
	const char *cmd = bootparams_cmdline();
	size_t n = strlen(word);

	for (const char *p = cmd; (p = strstr(p, word)); p += n)
		if ((p == cmd || p[-1] == ' ') && p[n] == '=')
			return (unsigned)strtoul(p + n + 1, NULL, 10);
	return dflt;
}

/* Print PASS (or say how many checks failed) and flush. */
static inline void test_finish(const char *name)
{
	if (test_failures == 0)
		printf("TEST %s PASS\n", name);
	else
		printf("TEST %s: %d checks failed\n", name, test_failures);
	fflush(stdout);
}

#endif
