/*
 * kernel/app.c: lgref's default program, an echo prompt on the console.
 * Every line typed comes back as "echo: <line>"; a few lines are also
 * commands (help, devices, uptime, bench, net, ping, udpecho, udpblast,
 * discard, poweroff). It prints READY once the prompt is up, for tests
 * and humans alike; `bench` on the command line runs the block benchmark
 * (kernel/blkbench.c) before that, the UDP echo and discard services
 * (kernel/netapp.c) start first of all, and run= commands from the
 * command line (lib/bootcmd.h) run after READY. A boot test replaces
 * this file with its own tests/boot/<name>.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../drivers/bus.h"
#include "../lib/bootcmd.h"
#include "../lib/lineedit.h"
#include "app.h"
#include "blkbench.h"
#include "bootparams.h"
#include "clock.h"
#include "hcall_bench.h"
#include "irq.h"
#include "netapp.h"
#include "udpblast.h"
#include "udpdiscard.h"
#include "udpecho.h"
#include "x86.h"

#define APP_PROMPT "lgref> "

static void app_help(const char *args)
{
	(void)args;
	printf("commands:\n"
	       "  help      this list\n"
	       "  devices   the lguest bus as scanned, with status bits\n"
	       "  uptime    time since boot, timer ticks and the wall clock\n"
	       "  bench [disk] [quick|normal|full]\n"
	       "            block benchmark; OVERWRITES the start of the disk\n"
	       "  net [promisc on|off]\n"
	       "            network interfaces, ARP cache and counters\n"
	       "  ping <a.b.c.d> [count]\n"
	       "            ICMP echo, one line per reply with its round trip\n"
	       "  udpecho <a.b.c.d> [count] [maxlen]\n"
	       "            random datagrams to UDP echo (port 7), checked\n"
	       "  udpblast <a.b.c.d> [count] [len]\n"
	       "            datagrams to UDP discard (port 9), flat out\n"
	       "  discard [idle_ms]\n"
	       "            what our discard service got (waits for a quiet\n"
	       "            spell of idle_ms after some arrived, if given)\n"
	       "  poweroff  leave (LHCALL_CRASH \"Power down\")\n"
	       "any other line is just echoed.\n");
}

static void app_devices(const char *args)
{
	(void)args;
	fflush(stdout); /* bus_print() writes the console directly */
	bus_print();
}

static void app_uptime(const char *args)
{
	uint64_t ns = clock_now_ns();
	uint32_t wall_sec, wall_nsec;

	(void)args;
	clock_wall(&wall_sec, &wall_nsec);
	printf("up %lu.%03lu s, %lu timer ticks, wall clock %lu s since 1970\n",
	       (unsigned long)(ns / 1000000000u),
	       (unsigned long)(ns / 1000000u % 1000u),
	       (unsigned long)timer_ticks(), (unsigned long)wall_sec);
	if (clock_tsc_khz())
		printf("clock source: TSC at %lu kHz\n",
		       (unsigned long)clock_tsc_khz());
	else
		printf("clock source: host time in lguest_data\n");
}

static void app_bench(const char *args)
{
	fflush(stdout);
	blkbench_command(args);
}

static void app_poweroff(const char *args)
{
	(void)args;
	printf("powering off\n");
	fflush(stdout);
	poweroff();
}

static const struct {
	const char *name;
	void (*run)(const char *args);
} app_commands[] = {
	{"help", app_help},
	{"devices", app_devices},
	{"uptime", app_uptime},
	{"bench", app_bench},
	{"net", netapp_net},
	{"ping", netapp_ping},
	{"udpecho", udpecho_command},
	{"udpblast", udpblast_command},
	{"discard", udpdiscard_command},
	{"poweroff", app_poweroff},
};

/* Run the command `line` (len bytes) names in its first word, if any;
 * the rest of the line is its arguments. */
static void app_dispatch(const char *line, size_t len)
{
	size_t word = strcspn(line, " ");

	if (word > len)
		word = len; /* a NUL inside the line ends it */
	for (size_t i = 0; i < sizeof(app_commands) / sizeof(app_commands[0]); i++)
		if (strlen(app_commands[i].name) == word &&
		    memcmp(app_commands[i].name, line, word) == 0)
			app_commands[i].run(line + word);
}

/*G:190 A line has been typed. We print it back exactly as it came
 * (bytes, not a C string: it may hold anything), then see whether its
 * first word names a command; the rest are the command's arguments. :*/
static void app_line(const struct lineedit *le)
{
	const char *line = lineedit_line(le);

	if (le->len == 0 && le->dropped == 0)
		return;
	fputs("echo: ", stdout);
	fwrite(line, 1, le->len, stdout);
	putchar('\n');
	if (le->dropped)
		printf("(line too long: %lu more bytes dropped)\n",
		       (unsigned long)le->dropped);
	app_dispatch(line, le->len);
}
/*:*/

/* The run= commands of the command line, after runwait= milliseconds:
 * each is printed as "run: <command>" and runs as if typed. */
static void app_run_boot_commands(void)
{
	const char *cmdline = bootparams_cmdline();
	char cmd[128];
	size_t pos = 0;

	if (!bootcmd_next(cmdline, &pos, cmd, sizeof(cmd)))
		return;
	uint64_t wait_ns = bootcmd_wait_ms(cmdline) * 1000000ull;
	uint64_t start = clock_now_ns();
	uint32_t flags = irq_save();
	while (clock_now_ns() - start < wait_ns)
		irq_wait();
	irq_restore(flags);
	do {
		printf("run: %s\n", cmd);
		app_dispatch(cmd, strlen(cmd));
		fflush(stdout);
	} while (bootcmd_next(cmdline, &pos, cmd, sizeof(cmd)));
}

/* Echo what one byte did to the line, as a terminal would. */
static void app_echo(enum lineedit_result r, char c)
{
	if (r == LINEEDIT_ADDED && ((unsigned char)c >= 0x20 || c == '\t') &&
	    c != 0x7F)
		putchar(c);
	else if (r == LINEEDIT_ERASED)
		fputs("\b \b", stdout);
	else if (r == LINEEDIT_LINE)
		putchar('\n');
}

/* Is `word` one of the space-separated words of `line`? If it is given
 * as word=value, *value (if not NULL) gets the value, up to the next
 * space, in a static buffer; else "". */
static bool app_has_word(const char *line, const char *word,
			 const char **value)
{
	static char val[128];
	size_t n = strlen(word);

	for (const char *p = line; (p = strstr(p, word)); p += n) {
		if (p != line && p[-1] != ' ')
			continue;
		if (p[n] == ' ' || p[n] == '\0') {
			if (value)
				*value = "";
			return true;
		}
		if (p[n] == '=' && value) {
			size_t len = strcspn(p + n + 1, " ");
			snprintf(val, sizeof(val), "%.*s", (int)len, p + n + 1);
			*value = val;
			return true;
		}
	}
	return false;
}

/* `hcbench` on the command line: the boot timeline as "TIMELINE" lines
 * for scripts/bench.py (the exit costs follow READY). TSC values count
 * from QEMU's start, as the host's TIMELINE lines do. */
static void app_timeline(void)
{
	uint32_t khz = clock_tsc_khz();

	if (khz) {
		printf("TIMELINE guest0_bus_scan_us=%lu\n",
		       (unsigned long)(bus_scan_done_tsc * 1000 / khz));
		printf("TIMELINE guest0_ready_us=%lu\n",
		       (unsigned long)(x86_rdtsc() * 1000 / khz));
	}
}

/*G:180 The program. Input comes from read() on fd 0, which newlib turns
 * into _read() (lib/syscalls.c) and so into console_read(), which sleeps
 * until the console interrupt brings bytes. They come in chunks of up to
 * 256 bytes with no regard for lines, so a small line editor assembles
 * them; we echo the keystrokes ourselves, since the launcher turned off
 * its terminal's echo. :*/
void app_main(void)
{
	struct lineedit le;
	char chunk[LGUEST_CONSOLE_IN_BUF_SIZE];

	lineedit_init(&le);
	netapp_start();
	bool bench = app_has_word(bootparams_cmdline(), "hcbench", NULL);
	const char *blk_opts;
	if (bench)
		app_timeline();
	if (app_has_word(bootparams_cmdline(), "bench", &blk_opts))
		blkbench_command(blk_opts);
	printf("READY\n");
	if (bench)
		hcall_bench_run();
	app_run_boot_commands();
	printf(APP_PROMPT);
	fflush(stdout);
	for (;;) {
		ssize_t n = read(0, chunk, sizeof(chunk));
		for (ssize_t i = 0; i < n; i++) {
			enum lineedit_result r = lineedit_feed(&le, chunk[i]);
			app_echo(r, chunk[i]);
			if (r == LINEEDIT_LINE) {
				app_line(&le);
				lineedit_reset(&le);
				fputs(APP_PROMPT, stdout);
			}
		}
		fflush(stdout);
	}
}
/*:*/
