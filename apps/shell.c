/*
 * apps/shell.c: lgref's default program, an echo prompt on the console.
 * The prompt is "lgref[N]> ", N being our guest id (lguest_data.guestid):
 * several guests may share one console, and a guest cannot know how many
 * there are, so every one labels its prompt, guest 0 included. A line
 * whose first word is a command (help, devices, uptime, bench, net, ping,
 * udpecho, udpblast, discard, serve, poweroff) runs it, and prints only what the
 * command prints; any other line comes back as "echo: <line>" (that is
 * the echo job). Keystrokes are echoed as typed, so a command shows on
 * its prompt line: "lgref[0]> net".
 *
 * It prints READY once the prompt is up, for tests and humans alike; the
 * UDP echo and discard services (apps/netapp.c) start first of all, and
 * run= commands from the command line (lib/bootcmd.h) run after READY.
 *
 * Command-line words read here:
 *   bench[=OPTS]        run the block benchmark (apps/blkbench.c) before
 *                       READY; OPTS as for `bench` at the prompt, commas
 *                       for spaces (bench=lgbb,quick). At boot it prints
 *                       ONE summary line, so READY stays on the screen;
 *   benchreport=full    ...unless this is given too: then the full report
 *                       (progress lines, BENCH lines, the table), as
 *                       `bench` at the prompt always prints. For scripts
 *                       that parse it (scripts/blkbench.py, blk_bench.expect).
 *                       benchreport=summary is the default;
 *   hcbench             the boot timeline and the exit costs
 *                       (apps/hcall_bench.c), for scripts/bench.py;
 *   run=CMD runwait=MS  commands to run after READY (lib/bootcmd.h).
 *
 * The programs live in apps/, above the kernel: this file defines
 * app_main() (kernel/app.h), and nothing in kernel/, drivers/ or lib/
 * includes or calls anything here (scripts/include_arrows.py checks the
 * includes; boot tests, linked without apps/, check the calls). A boot
 * test replaces all of apps/ with its own tests/boot/<name>.c.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../drivers/bus.h"
#include "../kernel/app.h"
#include "../kernel/bootparams.h"
#include "../kernel/clock.h"
#include "../kernel/irq.h"
#include "../kernel/x86.h"
#include "../lib/bootcmd.h"
#include "../lib/lineedit.h"
#include "blkbench.h"
#include "hcall_bench.h"
#include "netapp.h"
#include "udpblast.h"
#include "udpdiscard.h"
#include "udpecho.h"

/* "lgref[N]> ", N = lguest_data.guestid (0..15); set by app_main(). */
static char shell_prompt[16];

static void shell_help(const char *args)
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
	       "  udpecho <a.b.c.d> [count] [maxlen] [window]\n"
	       "            random datagrams to UDP echo (port 7), checked;\n"
	       "            lost, duplicate, out-of-order and late counted\n"
	       "  udpblast <a.b.c.d> [count] [len]\n"
	       "            datagrams to UDP discard (port 9), flat out\n"
	       "  discard [idle_ms]\n"
	       "            what our discard service got (waits for a quiet\n"
	       "            spell of idle_ms after some arrived, if given)\n"
	       "  serve <seconds>\n"
	       "            only serve UDP echo for that long, a line every 5 s\n"
	       "  (bench and udpecho also take \"for <seconds>\": repeat\n"
	       "            that long, a progress line every 5 s)\n"
	       "  poweroff  leave (LHCALL_CRASH \"Power down\")\n"
	       "any other line comes back as \"echo: <line>\".\n");
}

static void shell_devices(const char *args)
{
	(void)args;
	fflush(stdout); /* bus_print() writes the console directly */
	bus_print();
}

static void shell_uptime(const char *args)
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

static void shell_bench(const char *args)
{
	fflush(stdout);
	blkbench_command(args, BLKBENCH_REPORT_FULL);
}

static void shell_poweroff(const char *args)
{
	(void)args;
	printf("powering off\n");
	fflush(stdout);
	poweroff();
}

static const struct {
	const char *name;
	void (*run)(const char *args);
} shell_commands[] = {
	{"help", shell_help},
	{"devices", shell_devices},
	{"uptime", shell_uptime},
	{"bench", shell_bench},
	{"net", netapp_net},
	{"ping", netapp_ping},
	{"udpecho", udpecho_command},
	{"udpblast", udpblast_command},
	{"discard", udpdiscard_command},
	{"serve", netapp_serve},
	{"poweroff", shell_poweroff},
};

/* Run the command `line` (len bytes) names in its first word, if any;
 * the rest of the line is its arguments. Returns whether one ran. */
static bool shell_dispatch(const char *line, size_t len)
{
	size_t word = strcspn(line, " ");

	if (word > len)
		word = len; /* a NUL inside the line ends it */
	for (size_t i = 0;
	     i < sizeof(shell_commands) / sizeof(shell_commands[0]); i++)
		if (strlen(shell_commands[i].name) == word &&
		    memcmp(shell_commands[i].name, line, word) == 0) {
			shell_commands[i].run(line + word);
			return true;
		}
	return false;
}

/*G:190 A line has been typed. If its first word names a command, the
 * command runs with the rest as its arguments, and prints what it has to
 * say: the keystrokes already showed the line. Anything else we print
 * back as "echo: <line>", exactly as it came (bytes, not a C string: it
 * may hold anything). A line too long to hold in full is never taken for
 * a command: its arguments would be cut short. :*/
static void shell_line(const struct lineedit *le)
{
	const char *line = lineedit_line(le);

	if (le->len == 0 && le->dropped == 0)
		return;
	if (le->dropped == 0 && shell_dispatch(line, le->len))
		return;
	fputs("echo: ", stdout);
	fwrite(line, 1, le->len, stdout);
	putchar('\n');
	if (le->dropped)
		printf("(line too long: %lu more bytes dropped)\n",
		       (unsigned long)le->dropped);
}
/*:*/

/* The run= commands of the command line, after runwait= milliseconds:
 * each is printed as "run: <command>" and runs as if typed. */
static void shell_run_boot_commands(void)
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
		shell_dispatch(cmd, strlen(cmd));
		fflush(stdout);
	} while (bootcmd_next(cmdline, &pos, cmd, sizeof(cmd)));
}

/* Echo what one byte did to the line, as a terminal would. */
static void shell_echo(enum lineedit_result r, char c)
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
static bool shell_has_word(const char *line, const char *word,
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

/* Lines before READY go to the console with write(), formatted by the
 * vsnprintf the kernel's kprintf() already ran: newlib's stdio sets itself
 * up on its first use (FILE, a buffer from the heap, vfprintf translated
 * by QEMU the first time), about 1 ms that the prompt pays after READY
 * instead (docs/host-design.md "Boot"). */
static void shell_say(const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	write(1, line, (size_t)n);
}

/* `bench[=OPTS]` on the command line: the block benchmark before READY,
 * one summary line of it unless `benchreport=full` asks for the whole
 * report (see the top of this file). */
static bool shell_boot_bench(void)
{
	const char *cmdline = bootparams_cmdline();
	enum blkbench_report report = BLKBENCH_REPORT_SUMMARY;
	const char *value;
	char opts[128];

	if (!shell_has_word(cmdline, "bench", &value))
		return false;
	snprintf(opts, sizeof(opts), "%s", value); /* value is reused below */
	if (shell_has_word(cmdline, "benchreport", &value)) {
		if (strcmp(value, "full") == 0)
			report = BLKBENCH_REPORT_FULL;
		else if (strcmp(value, "summary") != 0)
			printf("bench: benchreport=%s is not a report (use "
			       "benchreport=full or benchreport=summary); "
			       "printing the summary\n", value);
	}
	blkbench_command(opts, report);
	return true;
}

/* `hcbench` on the command line: the boot timeline as "TIMELINE" lines
 * for scripts/bench.py (the exit costs follow READY). TSC values count
 * from QEMU's start, as the host's TIMELINE lines do. */
static void shell_timeline(void)
{
	uint32_t khz = clock_tsc_khz();

	if (khz) {
		shell_say("TIMELINE guest0_bus_scan_us=%lu\n",
			  (unsigned long)(bus_scan_done_tsc * 1000 / khz));
		shell_say("TIMELINE guest0_ready_us=%lu\n",
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

	snprintf(shell_prompt, sizeof(shell_prompt), "lgref[%u]> ",
		 (unsigned)lguest_data.guestid);
	lineedit_init(&le);
	netapp_start();
	bool bench = shell_has_word(bootparams_cmdline(), "hcbench", NULL);
	if (bench)
		shell_timeline();
	if (shell_boot_bench())
		fflush(stdout);	/* its lines before READY */
	shell_say("READY\n");
	if (bench)
		hcall_bench_run();
	shell_run_boot_commands();
	fputs(shell_prompt, stdout);
	fflush(stdout);
	for (;;) {
		ssize_t n = read(0, chunk, sizeof(chunk));
		for (ssize_t i = 0; i < n; i++) {
			enum lineedit_result r = lineedit_feed(&le, chunk[i]);
			shell_echo(r, chunk[i]);
			if (r == LINEEDIT_LINE) {
				shell_line(&le);
				lineedit_reset(&le);
				fputs(shell_prompt, stdout);
			}
		}
		fflush(stdout);
	}
}
/*:*/
