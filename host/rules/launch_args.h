/*
 * host/rules/launch_args.h: one guest's Launcher command line, parsed.
 *
 * The bare-metal host plays the Launcher too, so each guest arrives with
 * the argument string the 2.6.23 Launcher took after its program name
 * (docs/abi.md §9.3):
 *
 *   [--verbose|-v] [--block=F]... [--sharenet=F]... [--tunnet=X]...
 *   [--initrd=F] <mem-in-mb> <image> [guest args...]
 *
 * plus one option of lgref's own, --respawn[=N]: launch the guest again
 * when it stops (host/core/guests.h guest_respawn()).
 *
 * This module only turns that string into a struct with fixed arrays: it
 * opens no files and builds no memory (host/rules/loader.c does that). It
 * knows --verbose, --initrd and --respawn; the device options (--block, --sharenet,
 * --tunnet in 2.6.23) are the caller's list, so that the host's device
 * table (host/core/device.h) decides them. Tokens are separated by blanks
 * (space, tab, CR, LF); there is no quoting.
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
/* --respawn=N: at most this many re-launches. */
#define LAUNCH_ARGS_MAX_RESPAWN 1000000

/* A device option: which one, and its value. */
struct launch_device {
	unsigned option;                  /* index into device_options[] */
	char value[LAUNCH_ARGS_NAME_MAX]; /* the option's value, as given */
};

struct launch_args {
	bool verbose;                     /* --verbose or -v seen */
	bool respawn;                     /* --respawn[=N] seen */
	uint32_t respawn_max;             /* its N; 0: no N (no limit) */
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
 * fully overwritten. device_options[0..ndevice_options) name the long
 * options that each add a device (without "--"); a device's `option` is
 * its index there. They must not be "verbose" or "initrd". Returns 0, or
 * -1 with one line in err naming the token and the rule it broke. The
 * rules, as in the 2.6.23 Launcher:
 *  - Options may appear anywhere, also after the image (GNU getopt
 *    permutation), so a guest argument starting with '-' is a Launcher
 *    option; an unknown one is an error. "--" ends the options. Long
 *    options may be abbreviated to any prefix that names one option
 *    (2.6.23's five have no ambiguous prefix but the empty one).
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
 *  - --respawn takes no value or =N, N decimal 1..LAUNCH_ARGS_MAX_RESPAWN
 *    (not an option of 2.6.23: lgref's, for re-launching a guest); a
 *    repeated one replaces the earlier one.
 */
int launch_args_parse(const char *args, const char *const device_options[],
		      unsigned ndevice_options, struct launch_args *out,
		      char *err, size_t errlen);

#endif
