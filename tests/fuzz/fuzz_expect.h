/*
 * tests/fuzz/fuzz_expect.h: the one assertion every fuzz target makes. A
 * broken property traps, which libFuzzer reports as a crash with the input
 * that caused it.
 */
#ifndef LGREF_TESTS_FUZZ_FUZZ_EXPECT_H
#define LGREF_TESTS_FUZZ_FUZZ_EXPECT_H

#define EXPECT(x)                                                          \
	do {                                                               \
		if (!(x))                                                  \
			__builtin_trap();                                  \
	} while (0)

#endif
