/*
 * tests/unit/inject_args_test.c: inject_args_parse()
 * (host/rules/inject_args.c), the value of the host word inject=: every
 * mode with and without N, several at once, the end at a blank, and each
 * near miss refused with a message that names it.
 */
#include <string.h>

#include "check.h"
#include "rules/inject_args.h"

static char err[256];
static struct inject_args a;

static int parse(const char *v)
{
	memset(err, 0, sizeof(err));
	return inject_args_parse(v, &a, err, sizeof(err));
}

static void test_each_mode(void)
{
	static const char *const all[INJECT_MODES] = {
		"blk-fail", "blk-stall", "blk-short", "net-drop", "net-dup",
		"net-reorder", "irq-delay", "irq-coalesce",
	};
	for (unsigned m = 0; m < INJECT_MODES; m++) {
		char v[64];
		CHECK(strcmp(inject_mode_name((enum inject_mode)m), all[m]) == 0);
		CHECK_EQ(parse(all[m]), 0);
		for (unsigned k = 0; k < INJECT_MODES; k++)
			CHECK_EQ(a.n[k], k == m ? inject_mode_default(
					 (enum inject_mode)m) : 0);
		snprintf(v, sizeof(v), "%s:7", all[m]);
		CHECK_EQ(parse(v), 0);
		CHECK_EQ(a.n[m], 7);
	}
	CHECK(strcmp(inject_mode_name(INJECT_MODES), "?") == 0);
	CHECK_EQ(inject_mode_default(INJECT_IRQ_COALESCE), 4);
}

static void test_several(void)
{
	CHECK_EQ(parse("blk-fail:5,net-drop:3,irq-delay"), 0);
	CHECK_EQ(a.n[INJECT_BLK_FAIL], 5);
	CHECK_EQ(a.n[INJECT_NET_DROP], 3);
	CHECK_EQ(a.n[INJECT_IRQ_DELAY], 10);
	CHECK_EQ(a.n[INJECT_NET_DUP], 0);
	/* A word of the command line ends at a blank. */
	CHECK_EQ(parse("net-dup:2 blkstall=1000"), 0);
	CHECK_EQ(a.n[INJECT_NET_DUP], 2);
	CHECK_EQ(parse("irq-coalesce:1000000,irq-delay:10000"), 0);
	CHECK_EQ(a.n[INJECT_IRQ_COALESCE], 1000000);
	CHECK_EQ(a.n[INJECT_IRQ_DELAY], 10000);
	CHECK_EQ(parse("blk-short:1"), 0);
	CHECK_EQ(a.n[INJECT_BLK_SHORT], 1);
}

static void test_bad(void)
{
	static const char *bad[] = {
		"", " ", "blk", "blk-fail:", "blk-fail:0", "blk-fail:05",
		"blk-fail:-1", "blk-fail:+1", "blk-fail:1x", "blk-fail:1:2",
		"blk-fail,", ",blk-fail", "blk-fail,,net-dup", "BLK-FAIL",
		"blk-fail:5,blk-fail:6", "irq-delay:10001",
		"net-drop:1000001", "net-drop:99999999999999999999",
		"blk-fail=5", "net-drop:3;net-dup:2",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i]) != -1)
			printf("FAIL accepted '%s'\n", bad[i]);
		CHECK_EQ(parse(bad[i]), -1);
		CHECK(strncmp(err, "inject=: ", 9) == 0);
		/* Refused whole: nothing half-parsed is left on. */
		for (unsigned m = 0; m < INJECT_MODES; m++)
			CHECK_EQ(a.n[m], 0);
	}
	parse("disk-fail:3");
	CHECK(strcmp(err, "inject=: unknown mode 'disk-fail' (modes: "
		     "blk-fail, blk-stall, blk-short, net-drop, net-dup, "
		     "net-reorder, irq-delay, irq-coalesce)") == 0);
	parse("net-drop:0");
	CHECK(strcmp(err, "inject=: net-drop:0: expected net-drop:N, N a "
		     "number 1..1000000") == 0);
	parse("irq-delay:20000");
	CHECK(strcmp(err, "inject=: irq-delay:20000: expected irq-delay:N, "
		     "N a number 1..10000 (milliseconds)") == 0);
	parse("net-dup,net-dup");
	CHECK(strcmp(err, "inject=: mode net-dup given twice (give each "
		     "mode once)") == 0);
	parse("net-dup,,blk-fail");
	CHECK(strcmp(err, "inject=: an empty mode at offset 8 (modes are "
		     "joined by one ',')") == 0);
	parse("");
	CHECK(strncmp(err, "inject=: no mode given", 22) == 0);
}

int main(void)
{
	RUN(test_each_mode);
	RUN(test_several);
	RUN(test_bad);
	return CHECK_DONE();
}
