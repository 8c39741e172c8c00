/*
 * tests/unit/launch_args_test.c: the Launcher command line of docs/abi.md
 * §9.3 as host/rules/launch_args.c parses it: memory size rules, getopt-style
 * permutation and abbreviation, device order and limit, the command line's
 * trailing space and length limit, and the wording of the errors.
 */
#include <string.h>

#include "check.h"
#include "rules/launch_args.h"

static struct launch_args a;
static char err[256];

/* 2.6.23's device options, as the host's device table lists them. */
enum { OPT_BLOCK, OPT_SHARENET, OPT_TUNNET };
static const char *const opts[] = { "block", "sharenet", "tunnet" };
#define NOPTS 3

static int parse(const char *s)
{
	err[0] = '\0';
	return launch_args_parse(s, opts, NOPTS, &a, err, sizeof(err));
}

static void test_minimal(void)
{
	CHECK_EQ(parse("64 vmlinux"), 0);
	CHECK_EQ(a.mem_mb, 64);
	CHECK(strcmp(a.image, "vmlinux") == 0);
	CHECK(strcmp(a.cmdline, "") == 0);
	CHECK_EQ(a.cmdline_len, 0);
	CHECK_EQ(a.ndevices, 0);
	CHECK(!a.verbose);
	CHECK(!a.has_initrd);
	/* Blanks of every kind separate tokens. */
	CHECK_EQ(parse("  \t32\n guest.elf\r "), 0);
	CHECK_EQ(a.mem_mb, 32);
	CHECK(strcmp(a.image, "guest.elf") == 0);
}

static void test_memory_size(void)
{
	CHECK_EQ(parse("64m vmlinux"), 0); /* trailing letters ignored */
	CHECK_EQ(a.mem_mb, 64);
	CHECK_EQ(parse("1 k"), 0);
	CHECK_EQ(a.mem_mb, 1);
	CHECK_EQ(parse("2047 k"), 0);
	CHECK_EQ(a.mem_mb, 2047);
	CHECK_EQ(parse("0002047xyz k"), 0);
	CHECK_EQ(a.mem_mb, 2047);

	CHECK_EQ(parse("2048 k"), -1);
	CHECK(strcmp(err, "launch args: memory size '2048' is more than "
		     "2047 MiB") == 0);
	CHECK_EQ(parse("99999999999999999999 k"), -1); /* no overflow */
	CHECK(strstr(err, "more than 2047 MiB") != NULL);
	CHECK_EQ(parse("0 vmlinux"), -1);
	CHECK(strcmp(err, "launch args: memory size '0' is 0 MiB") == 0);
	CHECK_EQ(parse("0m vmlinux"), -1);
	CHECK_EQ(parse("m64 vmlinux"), -1);
	CHECK(strcmp(err, "launch args: memory size 'm64' has no leading "
		     "decimal digits") == 0);
	CHECK_EQ(parse("+64 vmlinux"), -1);
	CHECK_EQ(parse("- vmlinux"), -1); /* lone "-" is positional */
	CHECK(strstr(err, "memory size '-'") != NULL);
}

static void test_missing_positionals(void)
{
	CHECK_EQ(parse(""), -1);
	CHECK(strncmp(err, "launch args: no memory size", 27) == 0);
	CHECK_EQ(launch_args_parse(NULL, opts, NOPTS, &a, err, sizeof(err)), -1);
	CHECK_EQ(parse("  -v  "), -1);
	CHECK(strncmp(err, "launch args: no memory size", 27) == 0);
	CHECK_EQ(parse("64"), -1);
	CHECK(strcmp(err, "launch args: no kernel image after memory size "
		     "64") == 0);
	CHECK_EQ(parse("64 --block=x"), -1);
}

static void test_guest_args(void)
{
	CHECK_EQ(parse("64 vmlinux root=/dev/lgba  init=/bin/sh"), 0);
	CHECK(strcmp(a.cmdline, "root=/dev/lgba init=/bin/sh ") == 0);
	CHECK_EQ(a.cmdline_len, strlen(a.cmdline));
	/* "--" ends the options: what follows is positional. */
	CHECK_EQ(parse("64 vmlinux -- -v --block=x"), 0);
	CHECK(strcmp(a.cmdline, "-v --block=x ") == 0);
	CHECK(!a.verbose);
	CHECK_EQ(a.ndevices, 0);
	CHECK_EQ(parse("-- 64 vmlinux --"), 0); /* only the first "--" */
	CHECK(strcmp(a.cmdline, "-- ") == 0);
}

static void test_cmdline_limit(void)
{
	static char s[4096];
	/* "1 k " then guest args: one of 2046 bytes gives exactly 2047. */
	strcpy(s, "1 k ");
	memset(s + 4, 'a', 2046);
	s[4 + 2046] = '\0';
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(a.cmdline_len, 2047);
	CHECK_EQ(a.cmdline[2046], ' ');
	CHECK_EQ(a.cmdline[2047], '\0');
	s[4 + 2046] = 'a';
	s[4 + 2047] = '\0';
	CHECK_EQ(parse(s), -1);
	CHECK(strstr(err, "guest command line reaches 2048 bytes") != NULL);
	/* Many short arguments reach the limit too. */
	strcpy(s, "1 k");
	for (int i = 0; i < 1024; i++)
		strcat(s, " a");
	CHECK_EQ(parse(s), -1);
	CHECK(strstr(err, "max 2047") != NULL);
}

static void test_options_anywhere(void)
{
	CHECK_EQ(parse("--verbose 64 vmlinux"), 0);
	CHECK(a.verbose);
	CHECK_EQ(parse("64 vmlinux quiet -v"), 0); /* permuted */
	CHECK(a.verbose);
	CHECK(strcmp(a.cmdline, "quiet ") == 0);
	CHECK_EQ(parse("64 -vv vmlinux"), 0);
	CHECK(a.verbose);
	CHECK(strcmp(a.image, "vmlinux") == 0);
	CHECK_EQ(parse("64 vmlinux --initrd=a.img x --initrd=b.img"), 0);
	CHECK(a.has_initrd);
	CHECK(strcmp(a.initrd, "b.img") == 0); /* last one wins */
	CHECK(strcmp(a.cmdline, "x ") == 0);
}

static void test_abbreviations(void)
{
	CHECK_EQ(parse("--verb --b=d.img --s=lan --t=10.0.0.1 --i=r 64 k"),
		 0);
	CHECK(a.verbose);
	CHECK_EQ(a.ndevices, 3);
	CHECK_EQ(a.devices[0].option, OPT_BLOCK);
	CHECK_EQ(a.devices[1].option, OPT_SHARENET);
	CHECK_EQ(a.devices[2].option, OPT_TUNNET);
	CHECK(strcmp(a.initrd, "r") == 0);
	CHECK_EQ(parse("--verbosex 64 k"), -1);
	CHECK(strcmp(err, "launch args: unknown option '--verbosex'") == 0);
	CHECK_EQ(parse("--=x 64 k"), -1);
	CHECK(strcmp(err, "launch args: unknown option '--=x'") == 0);
}

static void test_option_errors(void)
{
	CHECK_EQ(parse("--blocks=x 64 k"), -1);
	CHECK(strcmp(err, "launch args: unknown option '--blocks=x'") == 0);
	CHECK_EQ(parse("64 k -x"), -1);
	CHECK(strcmp(err, "launch args: unknown option '-x' in '-x'") == 0);
	CHECK_EQ(parse("64 k -vq"), -1);
	CHECK(strcmp(err, "launch args: unknown option '-q' in '-vq'") == 0);
	CHECK_EQ(parse("64 k --verbose=1"), -1);
	CHECK(strcmp(err, "launch args: option '--verbose' takes no value "
		     "(got '--verbose=1')") == 0);
	CHECK_EQ(parse("--block disk.img 64 k"), -1);
	CHECK(strcmp(err, "launch args: option '--block' needs a value "
		     "attached with '=' (got '--block')") == 0);
	CHECK_EQ(parse("--initrd= 64 k"), -1);
	CHECK(strcmp(err, "launch args: '--initrd=' has an empty value") == 0);
	CHECK_EQ(parse("--tunnet= 64 k"), -1);
}

static void test_name_lengths(void)
{
	static char s[1024];
	/* A value of 255 bytes fits, 256 does not. */
	strcpy(s, "64 k --block=");
	memset(s + strlen(s), 'b', 255);
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(strlen(a.devices[0].value), 255);
	strcat(s, "b");
	CHECK_EQ(parse(s), -1);
	CHECK(strstr(err, "is 256 bytes, max 255") != NULL);
	/* Same for the image name. */
	strcpy(s, "64 ");
	memset(s + 3, 'k', 255);
	s[258] = '\0';
	CHECK_EQ(parse(s), 0);
	strcat(s, "k");
	CHECK_EQ(parse(s), -1);
	CHECK(strstr(err, "image name") != NULL);
}

static void test_devices_in_order(void)
{
	CHECK_EQ(parse("--tunnet=bridge:br0 64 k --block=disk.img "
		       "--sharenet=lan"), 0);
	CHECK_EQ(a.ndevices, 3);
	CHECK_EQ(a.devices[0].option, OPT_TUNNET);
	CHECK(strcmp(a.devices[0].value, "bridge:br0") == 0);
	CHECK_EQ(a.devices[1].option, OPT_BLOCK);
	CHECK(strcmp(a.devices[1].value, "disk.img") == 0);
	CHECK_EQ(a.devices[2].option, OPT_SHARENET);
	CHECK(strcmp(a.devices[2].value, "lan") == 0);
}

static void test_too_many_devices(void)
{
	static char s[1024];

	strcpy(s, "64 k");
	for (int i = 0; i < 15; i++)
		strcat(s, " --block=d");
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(a.ndevices, 15);
	strcat(s, " --sharenet=x");
	CHECK_EQ(parse(s), -1);
	CHECK(strcmp(err, "launch args: too many devices: '--sharenet=x' "
		     "would be device 16, max 15 plus the console") == 0);
}

/* lgref's --respawn: bare (no limit) or =N, N from 1 to the maximum. */
static void test_respawn(void)
{
	CHECK_EQ(parse("64 k"), 0);
	CHECK(!a.respawn);
	CHECK_EQ(parse("--respawn 64 k"), 0);
	CHECK(a.respawn);
	CHECK_EQ(a.respawn_max, 0);
	CHECK_EQ(parse("64 k x --resp=12"), 0); /* permuted, abbreviated */
	CHECK(a.respawn);
	CHECK_EQ(a.respawn_max, 12);
	CHECK(strcmp(a.cmdline, "x ") == 0);
	CHECK_EQ(parse("--respawn=1000000 64 k"), 0);
	CHECK_EQ(a.respawn_max, 1000000);
	CHECK_EQ(parse("--respawn=3 --respawn 64 k"), 0); /* the last wins */
	CHECK_EQ(a.respawn_max, 0);
	CHECK_EQ(parse("--respawn=1000001 64 k"), -1);
	CHECK(strcmp(err, "launch args: '--respawn=1000001': expected "
		     "--respawn or --respawn=N, N from 1 to 1000000") == 0);
	CHECK_EQ(parse("--respawn=99999999999999999999 64 k"), -1);
	CHECK_EQ(parse("--respawn=0 64 k"), -1);
	CHECK_EQ(parse("--respawn=-1 64 k"), -1);
	CHECK_EQ(parse("--respawn=2x 64 k"), -1);
	CHECK(strstr(err, "'--respawn=2x'") != NULL);
	CHECK_EQ(parse("--respawn= 64 k"), -1);
	CHECK(strcmp(err, "launch args: '--respawn=': expected --respawn or "
		     "--respawn=N, N from 1 to 1000000") == 0);
}

static void test_no_error_buffer(void)
{
	CHECK_EQ(launch_args_parse("0 k", opts, NOPTS, &a, NULL, 0), -1);
	char tiny[8];
	CHECK_EQ(launch_args_parse("0 k", opts, NOPTS, &a, tiny, sizeof(tiny)), -1);
	CHECK(strcmp(tiny, "launch ") == 0); /* cut, NUL-terminated */
}

int main(void)
{
	RUN(test_minimal);
	RUN(test_memory_size);
	RUN(test_missing_positionals);
	RUN(test_guest_args);
	RUN(test_cmdline_limit);
	RUN(test_options_anywhere);
	RUN(test_abbreviations);
	RUN(test_option_errors);
	RUN(test_name_lengths);
	RUN(test_devices_in_order);
	RUN(test_too_many_devices);
	RUN(test_respawn);
	RUN(test_no_error_buffer);
	return CHECK_DONE();
}
