/*
 * lib/netargs.h: the arguments of the network console commands (ping,
 * udpecho, udpblast in kernel/): an IPv4 address, then a few numbers.
 * Pure string work.
 */
#ifndef LGREF_LIB_NETARGS_H
#define LGREF_LIB_NETARGS_H

#include <stdint.h>

/*
 * Parse "a.b.c.d [n1 [n2 ...]]" (words separated by spaces): an address,
 * then at most max_nums decimal numbers. Returns how many numbers there
 * were, stored in nums[0..] (the others are left alone, so they can hold
 * defaults), or -1 for a bad or missing address, a word that is not a
 * decimal number, or too many. A number too big for unsigned long comes
 * back as ULONG_MAX, for the caller's range check to refuse.
 */
int netargs_parse(const char *args, uint32_t *dst, unsigned long *nums,
		  unsigned max_nums);

#endif
