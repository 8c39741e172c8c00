/*
 * host/launch_args.h: one guest's Launcher command line, parsed.
 *
 * The bare-metal host plays the Launcher too, so each guest arrives with
 * the argument string the 2.6.23 Launcher took after its program name
 * (docs/abi.md §9.3):
 *
 *   [--verbose|-v] [--block=F]... [--sharenet=F]... [--tunnet=X]...
 *   [--initrd=F] <mem-in-mb> <image> [guest args...]
 *
 * This module only turns that string into a struct with fixed arrays: it
 * opens no files and builds no memory (host/loader.c does that). Tokens
 * are separated by blanks (space, tab, CR, LF); there is no quoting.
 */
#ifndef LGREF_HOST_LAUNCH_ARGS_H
#define LGREF_HOST_LAUNCH_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lguest/bootparam.h>
#include <lguest/launcher.h>

/* Devices from options; the console is always added after them. */
#define LAUNCH_ARGS_MAX_DEVICES (LGUEST_MAX_DEVICES - 1)
/* Longest option value or image name, including the NUL. */
#define LAUNCH_ARGS_NAME_MAX 256
/* The 2.6.23 Launcher turns megabytes into bytes in signed 32-bit
 * arithmetic; 2047 MiB is the largest size that never relies on it. */
#define LAUNCH_ARGS_MAX_MEM_MB 2047

enum launch_dev_kind {
	LAUNCH_DEV_BLOCK,    /* --block=<file> */
	LAUNCH_DEV_TUNNET,   /* --tunnet=<ipv4> or --tunnet=bridge:<name> */
	LAUNCH_DEV_SHARENET, /* --sharenet=<file> */
};

struct launch_device {
	enum launch_dev_kind kind;
	uint16_t type;                   /* LGUEST_DEVICE_T_BLOCK or _NET */
	char name[LAUNCH_ARGS_NAME_MAX]; /* the option's value, as given */
};

struct launch_args {
	bool verbose;                     /* --verbose or -v seen */
	uint32_t mem_mb;                  /* 1 .. LAUNCH_ARGS_MAX_MEM_MB */
	char image[LAUNCH_ARGS_NAME_MAX]; /* kernel image name */
	bool has_initrd;
	char initrd[LAUNCH_ARGS_NAME_MAX]; /* last --initrd= value */
	unsigned ndevices;                 /* entries used in devices[] */
	struct launch_device devices[LAUNCH_ARGS_MAX_DEVICES]; /* in order */
	char cmdline[COMMAND_LINE_SIZE];   /* "arg1 arg2 " or "" */
	uint32_t cmdline_len;              /* strlen(cmdline) */
};

/*
 * Parse args (NUL-terminated; NULL is treated as "") into *out, which is
 * fully overwritten. Returns 0, or -1 with one line in err naming the
 * token and the rule it broke. The rules, as in the 2.6.23 Launcher:
 *  - Options may appear anywhere, also after the image (GNU getopt
 *    permutation), so a guest argument starting with '-' is a Launcher
 *    option; an unknown one is an error. "--" ends the options. Long
 *    options may be abbreviated to any prefix (all are unambiguous).
 *    Values must be attached with '=' (a separate value would have been
 *    taken as the memory size by the real Launcher); an empty value is
 *    an error. "-v" may be clustered ("-vv"). A lone "-" is positional.
 *  - The first positional token is the memory size: leading decimal
 *    digits, trailing letters ignored ("64m" = 64); no digits, 0, or more
 *    than LAUNCH_ARGS_MAX_MEM_MB is an error. The second is the image.
 *  - The remaining positional tokens form the guest command line, each
 *    followed by one space; at most COMMAND_LINE_SIZE - 1 bytes.
 *  - At most LAUNCH_ARGS_MAX_DEVICES devices ("too many devices");
 *    a repeated --initrd replaces the earlier one.
 */
int launch_args_parse(const char *args, struct launch_args *out, char *err,
		      size_t errlen);

#endif
