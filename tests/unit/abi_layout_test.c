/*
 * tests/unit/abi_layout_test.c: the ABI headers against the layout table.
 *
 * include/lguest/ checks each offset against a number with _Static_assert.
 * This test adds a second, independent check: docs/abi-layout.tsv lists
 * every shared struct field as "struct<TAB>field<TAB>offset<TAB>size", and
 * every row must match what the compiler says about the headers. The C
 * table below and the TSV must name exactly the same fields, so neither can
 * drift alone. If the spec's own table is present, each of its rows must
 * appear unchanged in ours.
 *
 * Usage: abi_layout_test [project.tsv [spec.tsv]], run from the repo root.
 * Defaults: docs/abi-layout.tsv and ../shared/spec/lguest-abi-layout.tsv.
 * A missing default spec table prints "SKIP ..."; a missing file given on
 * the command line is a failure.
 */
#include <lguest/bootparam.h>
#include <lguest/launcher.h>
#include <lguest/lguest.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define DEFAULT_PROJECT_TSV "docs/abi-layout.tsv"
#define DEFAULT_SPEC_TSV "../shared/spec/lguest-abi-layout.tsv"
#define TSV_HEADER "struct\tfield\toffset\tsize"
#define MAX_LINE 256
#define MAX_ROWS 256

static const char *project_tsv = DEFAULT_PROJECT_TSV;
static const char *spec_tsv = DEFAULT_SPEC_TSV;
static int spec_tsv_given;

/* One (struct, field) as the compiler sees it; names as in the TSV. */
struct layout_entry {
	const char *strct;
	const char *field;
	size_t offset;
	size_t size;
};

#define MEMBER_SIZE(type, member) sizeof(((type *)0)->member)
#define FIELD(sname, fname, type, member)                                  \
	{ sname, fname, offsetof(type, member), MEMBER_SIZE(type, member) }
#define SIZEOF(sname, type) { sname, "sizeof", 0, sizeof(type) }

static const struct layout_entry c_table[] = {
	FIELD("lguest_data", "irq_enabled", struct lguest_data, irq_enabled),
	FIELD("lguest_data", "blocked_interrupts", struct lguest_data,
	      blocked_interrupts),
	FIELD("lguest_data", "cr2", struct lguest_data, cr2),
	FIELD("lguest_data", "time", struct lguest_data, time),
	FIELD("lguest_data", "time.tv_sec", struct lguest_data, time.tv_sec),
	FIELD("lguest_data", "time.tv_nsec", struct lguest_data, time.tv_nsec),
	FIELD("lguest_data", "hcall_status", struct lguest_data, hcall_status),
	FIELD("lguest_data", "hcalls", struct lguest_data, hcalls),
	FIELD("lguest_data", "reserve_mem", struct lguest_data, reserve_mem),
	FIELD("lguest_data", "guestid", struct lguest_data, guestid),
	FIELD("lguest_data", "pad0", struct lguest_data, pad0),
	FIELD("lguest_data", "tsc_khz", struct lguest_data, tsc_khz),
	FIELD("lguest_data", "noirq_start", struct lguest_data, noirq_start),
	FIELD("lguest_data", "noirq_end", struct lguest_data, noirq_end),
	SIZEOF("lguest_data", struct lguest_data),

	FIELD("hcall_ring", "eax", struct hcall_ring, eax),
	FIELD("hcall_ring", "edx", struct hcall_ring, edx),
	FIELD("hcall_ring", "ebx", struct hcall_ring, ebx),
	FIELD("hcall_ring", "ecx", struct hcall_ring, ecx),
	SIZEOF("hcall_ring", struct hcall_ring),

	FIELD("lguest_timespec", "tv_sec", struct lguest_timespec, tv_sec),
	FIELD("lguest_timespec", "tv_nsec", struct lguest_timespec, tv_nsec),
	SIZEOF("lguest_timespec", struct lguest_timespec),

	FIELD("lguest_dma", "used_len", struct lguest_dma, used_len),
	FIELD("lguest_dma", "addr", struct lguest_dma, addr),
	FIELD("lguest_dma", "len", struct lguest_dma, len),
	SIZEOF("lguest_dma", struct lguest_dma),

	FIELD("lguest_device_desc", "type", struct lguest_device_desc, type),
	FIELD("lguest_device_desc", "features", struct lguest_device_desc,
	      features),
	FIELD("lguest_device_desc", "status", struct lguest_device_desc,
	      status),
	FIELD("lguest_device_desc", "num_pages", struct lguest_device_desc,
	      num_pages),
	FIELD("lguest_device_desc", "pfn", struct lguest_device_desc, pfn),
	SIZEOF("lguest_device_desc", struct lguest_device_desc),

	FIELD("lguest_block_page", "type", struct lguest_block_page, type),
	FIELD("lguest_block_page", "sector", struct lguest_block_page, sector),
	FIELD("lguest_block_page", "bytes", struct lguest_block_page, bytes),
	FIELD("lguest_block_page", "result", struct lguest_block_page, result),
	FIELD("lguest_block_page", "num_sectors", struct lguest_block_page,
	      num_sectors),
	SIZEOF("lguest_block_page", struct lguest_block_page),

	FIELD("lguest_net", "mac", struct lguest_net, mac),
	SIZEOF("lguest_net", struct lguest_net),

	FIELD("e820entry", "addr", struct e820entry, addr),
	FIELD("e820entry", "size", struct e820entry, size),
	FIELD("e820entry", "type", struct e820entry, type),
	SIZEOF("e820entry", struct e820entry),

	/* Linux calls the 0x1F1.. fields "hdr.x"; bootparam.h flattens them. */
	FIELD("boot_params", "e820_entries", struct boot_params, e820_entries),
	FIELD("boot_params", "hdr.type_of_loader", struct boot_params,
	      type_of_loader),
	FIELD("boot_params", "hdr.ramdisk_image", struct boot_params,
	      ramdisk_image),
	FIELD("boot_params", "hdr.ramdisk_size", struct boot_params,
	      ramdisk_size),
	FIELD("boot_params", "hdr.cmd_line_ptr", struct boot_params,
	      cmd_line_ptr),
	FIELD("boot_params", "hardware_subarch(guest_type)", struct boot_params,
	      hardware_subarch),
	FIELD("boot_params", "e820_map", struct boot_params, e820_map),
	FIELD("boot_params", "e820_map[0].addr", struct boot_params,
	      e820_map[0].addr),
	FIELD("boot_params", "e820_map[0].size", struct boot_params,
	      e820_map[0].size),
	FIELD("boot_params", "e820_map[0].type", struct boot_params,
	      e820_map[0].type),
	SIZEOF("boot_params", struct boot_params),
};
#define C_TABLE_LEN (sizeof(c_table) / sizeof(c_table[0]))

/* Print one failure with the file and line it concerns, and count it. */
static void fail_at(const char *path, int line, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s:%d: ", path, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	check_failures_in_test++;
}

/*
 * Read one line into buf without its "\n" (or "\r\n"). Returns 1 for a
 * line, 0 at end of file, -1 for a line too long for buf.
 */
static int read_line(FILE *f, char *buf, size_t bufsize)
{
	size_t n;

	if (!fgets(buf, (int)bufsize, f))
		return 0;
	n = strlen(buf);
	if (n == bufsize - 1 && buf[n - 1] != '\n' && !feof(f))
		return -1;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 1;
}

/* Parse a plain decimal number that fills all of s. Returns 0 on success. */
static int parse_decimal(const char *s, size_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Split "a\tb\tc\td" in place into exactly four fields. */
static int split4(char *line, char *fields[4])
{
	int i;

	for (i = 0; i < 4; i++) {
		fields[i] = line;
		line = strchr(line, '\t');
		if (i < 3) {
			if (!line)
				return -1;
			*line++ = '\0';
		}
	}
	return line ? -1 : 0; /* a fifth field is an error too */
}

static const struct layout_entry *c_lookup(const char *strct,
					   const char *field)
{
	size_t i;

	for (i = 0; i < C_TABLE_LEN; i++)
		if (!strcmp(c_table[i].strct, strct) &&
		    !strcmp(c_table[i].field, field))
			return &c_table[i];
	return NULL;
}

/* Every TSV row names a known field with the compiler's offset and size,
 * each C-table entry appears exactly once, and nothing else is there. */
static void test_tsv_matches_headers(void)
{
	int seen[C_TABLE_LEN] = { 0 };
	char buf[MAX_LINE];
	FILE *f;
	int lineno = 0, rows = 0, r;
	size_t i;

	f = fopen(project_tsv, "r");
	if (!f) {
		fail_at(project_tsv, 0, "cannot open the layout table");
		return;
	}
	while ((r = read_line(f, buf, sizeof(buf))) != 0) {
		const struct layout_entry *e;
		char *col[4];
		size_t off, size;

		lineno++;
		if (r < 0) {
			fail_at(project_tsv, lineno, "line too long");
			break;
		}
		if (lineno == 1) {
			if (strcmp(buf, TSV_HEADER))
				fail_at(project_tsv, 1, "header is \"%s\"", buf);
			continue;
		}
		if (buf[0] == '\0')
			continue;
		if (split4(buf, col) || parse_decimal(col[2], &off) ||
		    parse_decimal(col[3], &size)) {
			fail_at(project_tsv, lineno,
				"not struct<TAB>field<TAB>offset<TAB>size");
			continue;
		}
		rows++;
		e = c_lookup(col[0], col[1]);
		if (!e) {
			fail_at(project_tsv, lineno,
				"%s.%s is not in the C table", col[0], col[1]);
			continue;
		}
		if (seen[e - c_table]++)
			fail_at(project_tsv, lineno, "%s.%s listed twice",
				col[0], col[1]);
		if (off != e->offset || size != e->size)
			fail_at(project_tsv, lineno,
				"%s.%s: table says offset %zu size %zu, "
				"headers say offset %zu size %zu",
				col[0], col[1], off, size, e->offset, e->size);
	}
	fclose(f);
	CHECK(rows > 0);
	for (i = 0; i < C_TABLE_LEN; i++)
		if (!seen[i])
			fail_at(project_tsv, 0, "%s.%s is missing from the table",
				c_table[i].strct, c_table[i].field);
}

/* Read a whole table as lines; returns the count, or -1 if unopenable. */
static int load_lines(const char *path, char lines[][MAX_LINE], int max)
{
	FILE *f = fopen(path, "r");
	int n = 0, r;

	if (!f)
		return -1;
	while (n < max && (r = read_line(f, lines[n], MAX_LINE)) != 0) {
		if (r < 0) {
			fail_at(path, n + 1, "line too long");
			break;
		}
		n++;
	}
	if (n == max)
		fail_at(path, n, "more than %d lines", max);
	fclose(f);
	return n;
}

static char project_lines[MAX_ROWS][MAX_LINE];
static char spec_lines[MAX_ROWS][MAX_LINE];

/* Every row of the spec's table, header included, is also ours. */
static void test_spec_rows_in_project_table(void)
{
	int np, ns, i, j;

	ns = load_lines(spec_tsv, spec_lines, MAX_ROWS);
	if (ns < 0) {
		if (spec_tsv_given)
			fail_at(spec_tsv, 0, "cannot open the spec table");
		else
			printf("SKIP shared spec table not present\n");
		return;
	}
	np = load_lines(project_tsv, project_lines, MAX_ROWS);
	if (np < 0) {
		fail_at(project_tsv, 0, "cannot open the layout table");
		return;
	}
	CHECK(ns > 1);
	for (i = 0; i < ns; i++) {
		if (spec_lines[i][0] == '\0')
			continue;
		for (j = 0; j < np; j++)
			if (!strcmp(spec_lines[i], project_lines[j]))
				break;
		if (j == np)
			fail_at(spec_tsv, i + 1, "row \"%s\" not in %s",
				spec_lines[i], project_tsv);
	}
}

/* A handful of constants, spelled out once more as plain numbers. */
static void test_abi_constants(void)
{
	/* Hypercalls. */
	CHECK_EQ(LGUEST_TRAP_ENTRY, 0x1F);
	CHECK_EQ(LHCALL_FLUSH_ASYNC, 0);
	CHECK_EQ(LHCALL_LGUEST_INIT, 1);
	CHECK_EQ(LHCALL_CRASH, 2);
	CHECK_EQ(LHCALL_LOAD_GDT, 3);
	CHECK_EQ(LHCALL_NEW_PGTABLE, 4);
	CHECK_EQ(LHCALL_FLUSH_TLB, 5);
	CHECK_EQ(LHCALL_LOAD_IDT_ENTRY, 6);
	CHECK_EQ(LHCALL_SET_STACK, 7);
	CHECK_EQ(LHCALL_TS, 8);
	CHECK_EQ(LHCALL_SET_CLOCKEVENT, 9);
	CHECK_EQ(LHCALL_HALT, 10);
	CHECK_EQ(LHCALL_UNASSIGNED_11, 11);
	CHECK_EQ(LHCALL_BIND_DMA, 12);
	CHECK_EQ(LHCALL_SEND_DMA, 13);
	CHECK_EQ(LHCALL_SET_PTE, 14);
	CHECK_EQ(LHCALL_SET_PMD, 15);
	CHECK_EQ(LHCALL_LOAD_TLS, 16);
	CHECK_EQ(LHCALL_NR, 17);
	CHECK_EQ(LHCALL_RING_SIZE, 64);
	CHECK_EQ(LHCALL_STATUS_FREE, 0xFF);
	CHECK_EQ(LHCALL_STATUS_PENDING, 0);

	/* lguest_data offsets used from assembly. */
	CHECK_EQ(LGUEST_DATA_IRQ_ENABLED, 0);
	CHECK_EQ(LGUEST_DATA_CR2, 8);
	CHECK_EQ(LGUEST_DATA_TIME_TV_SEC, 12);
	CHECK_EQ(LGUEST_DATA_HCALL_STATUS, 20);
	CHECK_EQ(LGUEST_DATA_NOIRQ_START, 1120);
	CHECK_EQ(LGUEST_DATA_NOIRQ_END, 1124);
	CHECK_EQ(LGUEST_DATA_SIZEOF, 1128);

	/* Interrupts, segments, limits. */
	CHECK_EQ(LGUEST_IRQS, 32);
	CHECK_EQ(FIRST_EXTERNAL_VECTOR, 0x20);
	CHECK_EQ(SYSCALL_VECTOR, 0x80);
	CHECK_EQ(LGUEST_IRQ_ENABLED_ON, 0x200);
	CHECK_EQ(LGUEST_KERNEL_CS, 0x61);
	CHECK_EQ(LGUEST_KERNEL_DS, 0x69);
	CHECK_EQ(LGUEST_USER_CS, 0x73);
	CHECK_EQ(LGUEST_USER_DS, 0x7B);
	CHECK_EQ(GDT_ENTRIES, 32);
	CHECK_EQ(LGUEST_INITIAL_EFLAGS, 0x202);
	CHECK_EQ(LGUEST_IDT_GATE_HI_MASK, 0xFFFFEF00);
	CHECK_EQ(LGUEST_RESERVE_MEM, 0x00400000);
	CHECK_EQ(LGUEST_SWITCHER_ADDR, 0xFFC00000);
	CHECK_EQ(LGUEST_CRASH_MSG_LEN, 128);
	CHECK_EQ(LGUEST_STACK_MAX_PAGES, 2);
	CHECK_EQ(MAX_LGUEST_GUESTS, 16);
	CHECK_EQ(LGUEST_PDE_ALLOWED_FLAGS, 0x067);
	CHECK_EQ(LG_CLOCK_MIN_DELTA, 100);
	CHECK_EQ(LG_CLOCK_MAX_DELTA, 0xFFFFFFFF);
	CHECK(LGUEST_TRAP_HAS_ERRCODE(14));
	CHECK(LGUEST_TRAP_HAS_ERRCODE(17));
	CHECK(!LGUEST_TRAP_HAS_ERRCODE(9));
	CHECK(!LGUEST_TRAP_HAS_ERRCODE(32));

	/* DMA, devices, launcher. */
	CHECK_EQ(LGUEST_MAX_DMA, 32);
	CHECK_EQ(LGUEST_MAX_DMA_SECTIONS, 16);
	CHECK_EQ(LGUEST_DMA_KEY_ALIGN, 4);
	CHECK_EQ(LGUEST_MAX_DEVICES, 16);
	CHECK_EQ(LGUEST_DEVICE_T_CONSOLE, 1);
	CHECK_EQ(LGUEST_DEVICE_T_NET, 2);
	CHECK_EQ(LGUEST_DEVICE_T_BLOCK, 3);
	CHECK_EQ(LGUEST_DEVICE_S_DRIVER_OK, 4);
	CHECK_EQ(LGUEST_DEVICE_S_FAILED, 128);
	CHECK_EQ(LGUEST_DEVICE_IRQ(0), 1);
	CHECK_EQ(LGUEST_NET_SLOTS_PER_PAGE, 682);
	CHECK_EQ(LGUEST_NET_SLOT_KEY(0x4001000u, 3), 0x400100Cu);
	CHECK_EQ(NUM_SKBS, 8);
	CHECK_EQ(LGUEST_NET_BUF_SIZE, 1514);
	CHECK_EQ(LHREQ_INITIALIZE, 0);
	CHECK_EQ(LHREQ_GETDMA, 1);
	CHECK_EQ(LHREQ_IRQ, 2);
	CHECK_EQ(LHREQ_BREAK, 3);

	/* Boot. */
	CHECK_EQ(BOOT_PARAMS_E820_ENTRIES, 0x1E8);
	CHECK_EQ(BOOT_PARAMS_E820_MAP, 0x2D0);
	CHECK_EQ(BOOT_PARAMS_TYPE_OF_LOADER, 0x210);
	CHECK_EQ(BOOT_PARAMS_RAMDISK_IMAGE, 0x218);
	CHECK_EQ(BOOT_PARAMS_RAMDISK_SIZE, 0x21C);
	CHECK_EQ(BOOT_PARAMS_CMD_LINE_PTR, 0x228);
	CHECK_EQ(BOOT_PARAMS_HARDWARE_SUBARCH, 0x23C);
	CHECK_EQ(LGUEST_CMDLINE_ADDR, 0x1000);
	CHECK_EQ(COMMAND_LINE_SIZE, 2048);
	CHECK_EQ(strlen(LGUEST_ENTRY_SIGNATURE), LGUEST_ENTRY_SIGNATURE_LEN);
	CHECK(!memcmp(LGUEST_ENTRY_SIGNATURE, "GenuineLguest", 13));
}

int main(int argc, char **argv)
{
	if (argc > 1)
		project_tsv = argv[1];
	if (argc > 2) {
		spec_tsv = argv[2];
		spec_tsv_given = 1;
	}
	RUN(test_tsv_matches_headers);
	RUN(test_spec_rows_in_project_table);
	RUN(test_abi_constants);
	return CHECK_DONE();
}
