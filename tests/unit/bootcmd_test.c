/*
 * tests/unit/bootcmd_test.c: run= and runwait= (lib/bootcmd.c): every
 * run= word in order with commas turned into spaces, whole words only,
 * cutting to the buffer, and runwait= values good and bad.
 */
#include <string.h>

#include "bootcmd.h"
#include "check.h"

static void test_in_order(void)
{
	const char *line = "ip=10.0.0.2/24 run=ping,10.0.0.1,3 promisc "
			   "run=net run=udpecho,10.0.0.1,20,1472";
	char out[64];
	size_t pos = 0;

	CHECK(bootcmd_next(line, &pos, out, sizeof(out)));
	CHECK(strcmp(out, "ping 10.0.0.1 3") == 0);
	CHECK(bootcmd_next(line, &pos, out, sizeof(out)));
	CHECK(strcmp(out, "net") == 0);
	CHECK(bootcmd_next(line, &pos, out, sizeof(out)));
	CHECK(strcmp(out, "udpecho 10.0.0.1 20 1472") == 0);
	CHECK(!bootcmd_next(line, &pos, out, sizeof(out)));
	CHECK_EQ(out[0], 0);
	CHECK(!bootcmd_next(line, &pos, out, sizeof(out)));
}

static void test_whole_words(void)
{
	char out[16];
	size_t pos = 0;

	CHECK(!bootcmd_next("xrun=net runwait=5 rerun=x", &pos, out,
			    sizeof(out)));
	pos = 0;
	CHECK(!bootcmd_next("", &pos, out, sizeof(out)));
	pos = 0;
	CHECK(bootcmd_next("  run=  x", &pos, out, sizeof(out)));
	CHECK(strcmp(out, "") == 0);      /* an empty command is still one */
	CHECK(!bootcmd_next("  run=  x", &pos, out, sizeof(out)));
	pos = 99;                          /* past the end: nothing */
	CHECK(!bootcmd_next("run=net", &pos, out, sizeof(out)));
}

static void test_cut(void)
{
	char out[6];
	size_t pos = 0;

	CHECK(bootcmd_next("run=uptime,now run=net", &pos, out, sizeof(out)));
	CHECK(strcmp(out, "uptim") == 0);
	CHECK(bootcmd_next("run=uptime,now run=net", &pos, out, sizeof(out)));
	CHECK(strcmp(out, "net") == 0);  /* the rest was skipped, not split */
}

static void test_wait(void)
{
	CHECK_EQ(bootcmd_wait_ms("run=net runwait=250"), 250);
	CHECK_EQ(bootcmd_wait_ms("runwait=0"), 0);
	CHECK_EQ(bootcmd_wait_ms("run=net"), 0);
	CHECK_EQ(bootcmd_wait_ms("runwait="), 0);
	CHECK_EQ(bootcmd_wait_ms("runwait=12x"), 0);
	CHECK_EQ(bootcmd_wait_ms("runwait=-5"), 0);
	CHECK_EQ(bootcmd_wait_ms("xrunwait=5"), 0);
	CHECK_EQ(bootcmd_wait_ms("runwait=99999999999999"),
		 BOOTCMD_WAIT_MAX_MS);
	CHECK_EQ(bootcmd_wait_ms("runwait=600000"), 600000);
}

int main(void)
{
	RUN(test_in_order);
	RUN(test_whole_words);
	RUN(test_cut);
	RUN(test_wait);
	return CHECK_DONE();
}
