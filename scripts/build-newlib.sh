#!/bin/sh
# scripts/build-newlib.sh OUT: build newlib, the guest's (and host's) C
# library, from Debian's newlib-source tarball into OUT, once.
#
# i686, `gcc -m32`, nano formatted I/O, no newlib-supplied syscalls: the
# syscall glue is ours (lib/syscalls.c for the guest, host/arch/libc_glue.c for
# the host). newlib's generic configuration would rename the syscalls to
# `write`, `sbrk`, ...; -UMISSING_SYSCALL_NAMES keeps the usual `_write`,
# `_sbrk` names, and -U__linux__ (and friends) stops the build machine's
# gcc from telling newlib it targets Linux, which would switch on its
# 64-bit file interfaces. The full log is OUT/build.log; the terminal gets a progress
# line every 200 files, because this takes a minute or more.
set -eu
out=$1
tarball=$(ls /usr/src/newlib/newlib-*.tar.* 2>/dev/null | head -n 1)
if [ -z "$tarball" ]; then
	echo "newlib: no source tarball in /usr/src/newlib (package newlib-source; run 'make deps')" >&2
	exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/src" "$out/obj" "$out/i686-elf" "$out/.installed"
mkdir -p "$out/src" "$out/obj"
log="$out/build.log"
: > "$log"
echo "NEWLIB unpacking $(basename "$tarball") (log: $log)"
tar -xf "$tarball" -C "$out/src" --strip-components=1

cflags="-O2 -g -march=i686 -ffreestanding -fno-pie -fno-stack-protector"
cflags="$cflags -ffunction-sections -fdata-sections -UMISSING_SYSCALL_NAMES"
cflags="$cflags -U__linux__ -U__linux -U__gnu_linux__ -Ulinux"
echo "NEWLIB configure (i686, nano formatted I/O, our own syscalls)"
cd "$out/obj"
"$out/src/configure" --target=i686-elf --prefix="$out" \
	--disable-multilib --disable-nls \
	--disable-newlib-supplied-syscalls \
	--enable-newlib-nano-formatted-io --enable-newlib-nano-malloc \
	CC_FOR_TARGET="gcc -m32" AR_FOR_TARGET=ar AS_FOR_TARGET=as \
	LD_FOR_TARGET=ld NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib \
	CFLAGS_FOR_TARGET="$cflags" >>"$log" 2>&1 ||
	{ echo "newlib: configure failed; see $log" >&2; exit 1; }

jobs=$(nproc 2>/dev/null || echo 2)
echo "NEWLIB compiling with $jobs jobs (about 900 files)"
status=0
{ make -j"$jobs" all-target-newlib 2>&1 || echo "NEWLIB-MAKE-FAILED"; } |
	tee -a "$log" | awk '
		/^gcc -m32 .* -c / { n++; if (n % 200 == 0) { printf "NEWLIB   %d files compiled\n", n; fflush() } }
		/NEWLIB-MAKE-FAILED/ { failed = 1 }
		END { exit failed }' || status=1
if [ "$status" -ne 0 ]; then
	echo "newlib: build failed; see $log" >&2
	exit 1
fi
make install-target-newlib >>"$log" 2>&1 ||
	{ echo "newlib: install failed; see $log" >&2; exit 1; }
rm -rf "$out/src" "$out/obj"
touch "$out/.installed"
echo "NEWLIB installed in $out/i686-elf"
