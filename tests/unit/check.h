/*
 * tests/unit/check.h: the whole unit-test framework, one header.
 *
 * A test binary is a main() that calls RUN(test_fn) for each test function.
 * Inside a test, CHECK(expr) records a failure as "FAIL file:line: expr" and
 * carries on, so one run shows every broken assertion. RUN prints
 * "PASS name" or "FAIL name" per test; scripts/check.py counts those lines,
 * and CHECK_DONE() makes the binary exit non-zero if anything failed.
 * Tests are native, built with AddressSanitizer and UBSan (Makefile).
 */
#ifndef LGREF_TESTS_CHECK_H
#define LGREF_TESTS_CHECK_H

#include <stdio.h>

static int check_failures_in_test;
static int check_failed_tests;
static int check_passed_tests;

#define CHECK(expr)                                                        \
	do {                                                               \
		if (!(expr)) {                                             \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__,     \
			       #expr);                                     \
			check_failures_in_test++;                          \
		}                                                          \
	} while (0)

/* CHECK_EQ shows both values, which saves a debugger trip. */
#define CHECK_EQ(a, b)                                                     \
	do {                                                               \
		unsigned long long check_a_ = (unsigned long long)(a);     \
		unsigned long long check_b_ = (unsigned long long)(b);     \
		if (check_a_ != check_b_) {                                \
			printf("FAIL %s:%d: %s == %s (0x%llx != 0x%llx)\n", \
			       __FILE__, __LINE__, #a, #b, check_a_,       \
			       check_b_);                                  \
			check_failures_in_test++;                          \
		}                                                          \
	} while (0)

#define RUN(test_fn)                                                       \
	do {                                                               \
		check_failures_in_test = 0;                                \
		test_fn();                                                 \
		if (check_failures_in_test) {                              \
			printf("FAIL %s\n", #test_fn);                     \
			check_failed_tests++;                              \
		} else {                                                   \
			printf("PASS %s\n", #test_fn);                     \
			check_passed_tests++;                              \
		}                                                          \
	} while (0)

#define CHECK_DONE() (check_failed_tests ? 1 : 0)

#endif
