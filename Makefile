# Makefile: the only build entry point of lgref (one file, non-recursive).
#
#   make            build host.elf, guest.elf and their C library (newlib)
#   make run        boot the default demo under QEMU (tools/lguest)
#   make check      unit tests, fuzz smoke pass and boot tests, one summary
#   make unit | boot-test | fuzz | bench | bench-report | blkbench | netbench
#   make blk-durability | soak | iso | run-iso
#   make debug | tour T=H | fresh-check | clean
#   make deps       install missing Debian packages (every build does this)
#
# Everything goes under $(O) (default build/), mirroring the source tree.
# Quiet by default; V=1 shows the commands.

O ?= build
V ?=
Q := $(if $(V),,@)
MAKEFLAGS += --no-print-directory

CC := gcc
HOSTCC ?= gcc
FUZZCC ?= clang
PYTHON ?= python3
QEMU ?= qemu-system-i386
TIMEOUT ?= 30

# ---------------------------------------------------------------- newlib
NEWLIB := $(O)/newlib
NEWLIB_STAMP := $(NEWLIB)/.installed
NEWLIB_INC := $(NEWLIB)/i686-elf/include
NEWLIB_LIBC := $(NEWLIB)/i686-elf/lib/libc.a

# ---------------------------------------------------------------- flags
# Guest and host: 32-bit, freestanding, newlib's headers instead of glibc's.
# multiboot.h comes from Debian's multiboot package.
MULTIBOOT_INC := /usr/include/multiboot
# GCC_INC and LIBGCC are asked of gcc when a recipe first needs them, not
# when this file is read: on a fresh machine `make deps` installs
# gcc-multilib first, and before that gcc names no 32-bit libgcc. So they,
# and every flag variable built on them, are recursive (=), never :=.
GCC_INC = $(eval GCC_INC := $(shell $(CC) -m32 -print-file-name=include))$(GCC_INC)
LIBGCC = $(eval LIBGCC := $(shell $(CC) -m32 -print-libgcc-file-name))$(LIBGCC)
# The one version number of lgref (host, guest and tools/lguest print it).
LGREF_VERSION := $(shell cat VERSION)
KFLAGS = -m32 -march=i686 -std=c11 -ffreestanding -fno-pie -fno-pic \
	-DLGREF_VERSION='"$(LGREF_VERSION)"' -fno-stack-protector -fno-omit-frame-pointer -ffunction-sections \
	-fdata-sections -O2 -g -Wall -Wextra -Werror -nostdinc \
	-U__linux__ -U__linux -U__gnu_linux__ -Ulinux \
	-isystem $(NEWLIB_INC) -isystem $(GCC_INC) -isystem $(MULTIBOOT_INC) \
	-Iinclude -MMD -MP
GUEST_CFLAGS = $(KFLAGS) -mno-sse -mno-mmx -mno-80387
HOST_CFLAGS = $(KFLAGS) -mno-sse -mno-mmx -mno-80387 -Ihost -flto -DLGREF_HOST_KERNEL
KLDFLAGS := -m32 -nostdlib -static -no-pie -Wl,--gc-sections \
	-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

# Unit tests and fuzzers: native, sanitized.
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
TEST_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Iinclude -Ihost \
	-Ilib -Itests/unit -D_GNU_SOURCE -MMD -MP $(SANITIZE)
FUZZ_CFLAGS := -std=c11 -g -O1 -Iinclude -Ihost -Ilib -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -MMD -MP

# How QEMU is started (its options, memory, disks, NICs) is defined once,
# in tools/lglaunch/qemu.py: tools/lguest, the boot tests, the benchmarks
# and run-iso all build their command there. $(QEMU) only names the
# program.

# ---------------------------------------------------------------- sources
# The host is layered (docs/host-design.md "Layout"): host/main.c on top,
# then prof/, dev/, core/, backends/, rules/ and arch/.
HOST_DIRS := arch rules core backends dev prof
HOST_SRC := $(wildcard host/*.c $(foreach d,$(HOST_DIRS),host/$(d)/*.S \
	host/$(d)/*.c))
HOST_OBJ := $(patsubst %,$(O)/%.o,$(basename $(filter-out \
	host/prof/exit_profile.c host/prof/bare_switch.c,$(HOST_SRC))))

# The guest is its core (boot/ kernel/ drivers/ lib/) and its program,
# apps/ (the echo prompt apps/shell.c and the tools it runs). A boot test
# replaces the whole program with tests/boot/<name>.c, linked against the
# same core objects; the core never includes or calls into apps/.
GUEST_SRC := $(wildcard boot/*.S kernel/*.S kernel/*.c drivers/*.c lib/*.c)
GUEST_APP := $(wildcard apps/*.c)
GUEST_BASE_OBJ := $(patsubst %,$(O)/%.o,$(basename $(GUEST_SRC)))
GUEST_APP_OBJ := $(patsubst %,$(O)/%.o,$(basename $(GUEST_APP)))

UNIT_SRC := $(wildcard tests/unit/*_test.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(UNIT_SRC))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(O)/tests/fuzz/%,$(FUZZ_SRC))
BOOT_EXPECT := $(wildcard tests/boot/*.expect)
BOOT_GUEST_SRC := $(wildcard tests/boot/*.c)
BOOT_GUEST_ELF := $(patsubst tests/boot/%.c,$(O)/tests/boot/%.elf,$(BOOT_GUEST_SRC))

# Product sources a unit test or fuzzer compiles natively, next to itself:
# <test>_SRCS := file.c ...  (the same file the product uses).
-include tests/unit/sources.mk
-include tests/fuzz/sources.mk

HAVE_GUEST := $(if $(wildcard boot/*.S),yes,)
ALL := $(O)/host.elf $(if $(HAVE_GUEST),$(O)/guest.elf)

# Keep intermediate objects (test guests), so a second make is silent.
.SECONDARY:

.PHONY: all deps run check unit boot-test fuzz fuzz-smoke bench bench-report blkbench \
	netbench blk-durability soak iso run-iso debug tour fresh-check clean
.DEFAULT_GOAL := all
all: $(ALL)

deps:
	$(Q)sh scripts/deps.sh

$(NEWLIB_STAMP): scripts/build-newlib.sh | deps
	$(Q)sh scripts/build-newlib.sh $(NEWLIB)

# ---------------------------------------------------------------- compile
# Every kernel object waits for the packages and newlib's headers, without
# being rebuilt when they are touched (order-only prerequisites).
$(O)/host/%.o: host/%.c | $(NEWLIB_STAMP)
	@mkdir -p $(@D); echo "CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@
$(O)/host/%.o: host/%.S | $(NEWLIB_STAMP)
	@mkdir -p $(@D); echo "AS      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@
$(O)/%.o: %.c | $(NEWLIB_STAMP)
	@mkdir -p $(@D); echo "CC      $@"
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@
$(O)/%.o: %.S | $(NEWLIB_STAMP)
	@mkdir -p $(@D); echo "AS      $@"
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

# The two objects that print the version are rebuilt when it changes.
$(O)/host/main.o $(O)/kernel/main.o: VERSION

# ---------------------------------------------------------------- link
$(O)/host.elf: $(HOST_OBJ) host/arch/linker.ld $(NEWLIB_STAMP)
	@echo "LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -flto=auto -O2 -T host/arch/linker.ld -o $@ $(HOST_OBJ) \
		$(NEWLIB_LIBC) $(LIBGCC)

# The same host with the exit profile compiled in (host/prof/exit_profile.h),
# for `make bench` and its check: two objects differ, one is added.
PROF_OBJ := $(O)/host-prof/arch/switcher.o $(O)/host-prof/core/run.o \
	$(O)/host-prof/prof/exit_profile.o
$(O)/host-prof/%.o: host/%.c | $(NEWLIB_STAMP)
	@mkdir -p $(@D); echo "CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -DLGREF_EXIT_PROFILE -c $< -o $@
$(O)/host-prof/%.o: host/%.S | $(NEWLIB_STAMP)
	@mkdir -p $(@D); echo "AS      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -DLGREF_EXIT_PROFILE -c $< -o $@
$(O)/host-prof.elf: $(filter-out $(O)/host/arch/switcher.o $(O)/host/core/run.o,$(HOST_OBJ)) \
		$(PROF_OBJ) host/arch/linker.ld $(NEWLIB_STAMP)
	@echo "LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -flto=auto -O2 -T host/arch/linker.ld -o $@ \
		$(filter %.o,$^) $(NEWLIB_LIBC) $(LIBGCC)

# The same host answering LHCALL_TS(0) by entering the guest again at once
# (host/core/exit_hooks.h), for `make bench`'s world switch alone and its
# check: one object differs, one is added.
BARE_OBJ := $(O)/host-bare/core/run.o $(O)/host-bare/prof/bare_switch.o
$(O)/host-bare/%.o: host/%.c | $(NEWLIB_STAMP)
	@mkdir -p $(@D); echo "CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -DLGREF_BARE_SWITCH -c $< -o $@
$(O)/host-bare.elf: $(filter-out $(O)/host/core/run.o,$(HOST_OBJ)) \
		$(BARE_OBJ) host/arch/linker.ld $(NEWLIB_STAMP)
	@echo "LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -flto=auto -O2 -T host/arch/linker.ld -o $@ \
		$(filter %.o,$^) $(NEWLIB_LIBC) $(LIBGCC)

$(O)/guest.elf: $(GUEST_BASE_OBJ) $(GUEST_APP_OBJ) linker.ld $(NEWLIB_STAMP)
	@echo "LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -T linker.ld -o $@ $(GUEST_BASE_OBJ) \
		$(GUEST_APP_OBJ) $(NEWLIB_LIBC) $(LIBGCC)

$(O)/tests/boot/%.elf: $(O)/tests/boot/%.o $(GUEST_BASE_OBJ) linker.ld $(NEWLIB_STAMP)
	@echo "LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -T linker.ld -o $@ $(GUEST_BASE_OBJ) $< \
		$(NEWLIB_LIBC) $(LIBGCC)

# ---------------------------------------------------------------- examples
# examples/hello: a guest written from scratch against include/lguest/
# alone (docs/guest-guide.md): no newlib, no lgref guest objects, its own
# link map. tests/boot/example_hello.expect boots it.
EXAMPLE_CFLAGS = -m32 -march=i686 -std=c11 -ffreestanding -nostdinc \
	-isystem $(GCC_INC) -Iinclude -fno-pie -fno-pic -fno-stack-protector \
	-mno-sse -mno-mmx -mno-80387 -O2 -g -Wall -Wextra -Werror -MMD -MP
HELLO_OBJ := $(O)/examples/hello/entry.o $(O)/examples/hello/hello.o

$(O)/examples/%.o: examples/%.c | deps
	@mkdir -p $(@D); echo "CC      $@"
	$(Q)$(CC) $(EXAMPLE_CFLAGS) -c $< -o $@
$(O)/examples/%.o: examples/%.S | deps
	@mkdir -p $(@D); echo "AS      $@"
	$(Q)$(CC) $(EXAMPLE_CFLAGS) -c $< -o $@
$(O)/examples/hello.elf: $(HELLO_OBJ) examples/hello/hello.ld
	@echo "LD      $@"
	$(Q)$(CC) -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-z,noexecstack -T examples/hello/hello.ld -o $@ $(HELLO_OBJ)

# Hand-made images for the host's loader tests, not linked against the
# guest kernel: a 64-bit ELF and a guest at a high page_offset.
BOOT_FIXTURES := $(O)/tests/boot/fixture_elf64.elf \
	$(O)/tests/boot/fixture_high_offset.elf
$(O)/tests/boot/fixture_elf64.elf: tests/boot/fixture_elf64.S | deps
	@mkdir -p $(@D); echo "AS      $@"
	$(Q)$(CC) -m64 -nostdlib -static -no-pie -Wl,--build-id=none -o $@ $<
$(O)/tests/boot/fixture_high_offset.elf: tests/boot/fixture_high_offset.S \
		tests/boot/fixture_high_offset.ld | deps
	@mkdir -p $(@D); echo "AS      $@"
	$(Q)$(CC) -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -Iinclude \
		-T tests/boot/fixture_high_offset.ld -o $@ $<

# ---------------------------------------------------------------- tests
# A test binary is rebuilt when its own file or any product source it
# compiles changes (second expansion names those sources); gcc's .d file
# covers the headers the test includes.
.SECONDEXPANSION:
$(O)/tests/unit/%: tests/unit/%.c $$($$*_SRCS) | deps
	@mkdir -p $(@D); echo "HOSTCC  $@"
	$(Q)$(HOSTCC) $(TEST_CFLAGS) -o $@ $< $($(*)_SRCS)

$(O)/tests/fuzz/%: tests/fuzz/%.c $$($$*_SRCS) | deps
	@mkdir -p $(@D); echo "FUZZCC  $@"
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -o $@ $< $($(*)_SRCS)

RUNNER = $(PYTHON) scripts/check.py --out $(O) --qemu $(QEMU) \
	--timeout $(TIMEOUT)

BOOT_DEPS := $(ALL) $(BOOT_GUEST_ELF) $(BOOT_FIXTURES) $(O)/lgref.iso \
	$(O)/host-prof.elf $(O)/host-bare.elf $(O)/tests/null-multiboot.elf \
	$(O)/examples/hello.elf \
	$(O)/guest.bzImage \
	$(O)/lgref.gdb

unit: $(UNIT_BIN)
	$(Q)$(RUNNER) --unit $(UNIT_BIN)

boot-test: $(BOOT_DEPS)
	$(Q)$(RUNNER) --boot $(BOOT_EXPECT)

# The smoke pass replays each fuzzer's seed corpus and fuzzes briefly.
fuzz-smoke: $(FUZZ_BIN)
	$(Q)$(RUNNER) --fuzz $(FUZZ_BIN) --fuzz-seconds 5

# End-to-end checks driven by a script rather than an .expect file, and
# two about the tree: scripts/include_arrows.py, every #include follows the
# allowed arrows between directories (nothing of the core includes apps/)
# and the guest has no include circles; scripts/qemu_options_check.py,
# nothing but tools/lglaunch/qemu.py spells QEMU's options;
# scripts/start_translation_check.py, QEMU translates none of newlib's
# printf before the first guest instruction (a count, not a timing).
CHECK_SCRIPTS := scripts/include_arrows.py scripts/qemu_options_check.py \
	scripts/blk_durability.py scripts/blk_integrity.py \
	scripts/tunnet_udp.py scripts/tunnet_malformed.py \
	scripts/irq_shared_load.py \
	scripts/exit_profile_check.py scripts/launcher_unit.py \
	scripts/launcher_check.py scripts/debug_check.py \
	scripts/security_table.py \
	scripts/launch_fail_release.py scripts/benchreport_check.py \
	scripts/log_deferred_check.py scripts/start_translation_check.py

check: $(UNIT_BIN) $(FUZZ_BIN) $(BOOT_DEPS)
	$(Q)$(RUNNER) --unit $(UNIT_BIN) --fuzz $(FUZZ_BIN) --fuzz-seconds 5 \
		--script $(CHECK_SCRIPTS) --boot $(BOOT_EXPECT)

# Every target for FUZZ_RUNS executions (10 million), two at a time; the
# PASS lines say how many ran and how long it took (README "Fuzzing").
FUZZ_RUNS ?= 10000000
fuzz: $(FUZZ_BIN)
	$(Q)$(RUNNER) --fuzz $(FUZZ_BIN) --fuzz-runs $(FUZZ_RUNS)

# `make bench`: every benchmark once, each writing its part into
# $(O)/bench/ (the old parts go first, so the report is of one run), then
# scripts/benchreport.py: $(O)/bench/report.json, report.txt and the SVG
# plots, and the figures table against its floors and goals. `make
# bench-report` copies them to docs/bench/, which the README shows.
# The block sweep at amount "normal": 512 requests per size, so its p99 is
# not simply the slowest request (at "quick", 64 are).
BENCH_DIR := $(O)/bench
BENCH_BLK_AMOUNT ?= normal
bench: $(ALL) $(O)/tests/null-multiboot.elf $(O)/host-prof.elf \
		$(O)/host-bare.elf | deps
	$(Q)rm -f $(BENCH_DIR)/*.json $(BENCH_DIR)/*.svg
	$(Q)$(PYTHON) scripts/bench.py --out $(O) --qemu $(QEMU) \
		--json $(BENCH_DIR)/boot.json
	@echo
	$(Q)$(PYTHON) scripts/blkbench.py --out $(O) --amount $(BENCH_BLK_AMOUNT) \
		--json $(BENCH_DIR)/blk.json
	@echo
	@# The same on tmpfs, where the write-through fsync costs nothing.
	$(Q)if [ -d /dev/shm ]; then $(PYTHON) scripts/blkbench.py --out $(O) \
		--image-dir /dev/shm --amount $(BENCH_BLK_AMOUNT) \
		--json $(BENCH_DIR)/blk-shm.json; echo; fi
	$(Q)$(PYTHON) scripts/netbench.py --out $(O) --json $(BENCH_DIR)/net.json
	@echo
	$(Q)$(PYTHON) scripts/benchreport.py --out $(O)

bench-report:
	$(Q)$(PYTHON) scripts/benchreport.py --out $(O) --publish docs/bench

# Block I/O: the host's native benchmark next to the guest's, and the
# SIGKILL durability check of acknowledged writes (docs/host-design.md).
blkbench: $(ALL)
	$(Q)$(PYTHON) scripts/blkbench.py --out $(O)

blk-durability: $(ALL)
	$(Q)$(PYTHON) scripts/blk_durability.py --out $(O)

# The soak (scripts/soak.py): sixteen guests on one host for SOAK_SECONDS
# (600 by default; about a minute more in all), every byte checked, a
# hostile guest re-launched all along, then the figures. Not in `make
# check`. SOAK_SECONDS=60 makes a smoke run.
SOAK_SECONDS ?= 600
soak: $(ALL) $(O)/tests/boot/soak_hostile.elf
	$(Q)SOAK_SECONDS=$(SOAK_SECONDS) $(PYTHON) scripts/soak.py --out $(O)

# The network: UDP echo round trips guest to guest and from this machine
# (--tunnet, --udp-forward), and packets per second guest to guest.
netbench: $(ALL)
	$(Q)$(PYTHON) scripts/netbench.py --out $(O)

# A null multiboot kernel: the floor of QEMU start-up, for `make bench`.
$(O)/tests/null-multiboot.elf: tests/bench/null_multiboot.S host/arch/linker.ld | deps
	@mkdir -p $(@D); echo "AS      $@"
	$(Q)$(CC) -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-z,noexecstack -isystem $(MULTIBOOT_INC) -T host/arch/linker.ld -o $@ $<

# The guest as a gzip bzImage, for tools/lguest's bzImage loading
# (scripts/launcher_check.py boots it).
$(O)/guest.bzImage: $(O)/guest.elf scripts/mkbzimage.py
	@echo "BZIMAGE $@"
	$(Q)$(PYTHON) scripts/mkbzimage.py $< $@

# ---------------------------------------------------------------- iso
$(O)/lgref.iso: $(ALL) scripts/make-iso.sh
	@echo "ISO     $@"
	$(Q)sh scripts/make-iso.sh $(O) $@ >$(O)/iso.log 2>&1 || \
		{ cat $(O)/iso.log; exit 1; }
iso: $(O)/lgref.iso

# The GRUB CD in QEMU: GRUB loads the host and the demo guest from it, the
# console is this terminal, the host's diagnostics go to $(O)/iso-diag.log,
# and `poweroff` at the prompt ends QEMU; success when every guest powered
# off (scripts/run_iso.py).
run-iso: $(O)/lgref.iso
	@echo "RUN     $< (host diagnostics: $(O)/iso-diag.log)"
	$(Q)$(PYTHON) scripts/run_iso.py --out $(O) --qemu $(QEMU)

# ---------------------------------------------------------------- run
# The demo: one guest with a 64 MiB scratch disk, made once, on which it
# runs a short block benchmark at boot before the echo prompt.
DEMO_DISK := $(O)/disk.img
$(DEMO_DISK):
	@mkdir -p $(@D); echo "DISK    $@ (64 MiB scratch disk for the demo)"
	$(Q)truncate -s 64M $@

run: $(ALL) $(DEMO_DISK)
	$(Q)tools/lguest --out $(O) --qemu $(QEMU) --block=$(DEMO_DISK) 64 \
		$(O)/guest.elf bench=quick

# The demo under gdb: QEMU starts stopped, with its gdb stub on
# 127.0.0.1:$(GDB_PORT); `gdb -x $(O)/lgref.gdb` in another terminal loads
# the host's and the guest's symbols and attaches (README "Debugging").
GDB_PORT ?= 1234
$(O)/lgref.gdb: Makefile
	@mkdir -p $(@D); echo "GEN     $@"
	$(Q)printf '%s\n' \
	  '# $@: made by make debug. Loads the symbols of the host and of' \
	  '# the demo guest, then attaches to QEMU (tools/lguest --gdb) on' \
	  '# port $$LGREF_GDB_PORT, default $(GDB_PORT).' \
	  'set pagination off' \
	  'file $(abspath $(O))/host.elf' \
	  'set confirm off' \
	  'add-symbol-file $(abspath $(O))/guest.elf' \
	  'set confirm on' \
	  'python import os; gdb.execute("target remote 127.0.0.1:" + os.environ.get("LGREF_GDB_PORT", "$(GDB_PORT)"))' \
	  >$@

debug: $(ALL) $(DEMO_DISK) $(O)/lgref.gdb
	@echo "DEBUG   QEMU waits for gdb: in another terminal, gdb -x $(O)/lgref.gdb"
	$(Q)tools/lguest --out $(O) --qemu $(QEMU) --gdb=$(GDB_PORT) \
		--block=$(DEMO_DISK) 64 $(O)/guest.elf bench=quick

tour:
	$(Q)$(PYTHON) scripts/tour.py $(T)

# The README's two commands on a brand-new Debian root (debootstrap), from
# a clone of the committed tree: proves a fresh machine needs nothing else.
fresh-check:
	$(Q)sh scripts/fresh-check.sh $(abspath $(O))/fresh

clean:
	rm -rf $(O)

-include $(shell find $(O) -path $(O)/fresh -prune -o -type f -name '*.d' -print 2>/dev/null)
