#!/bin/sh
# scripts/deps.sh: install the Debian packages the build and tests need,
# and only those that are missing. Silent when everything is present, so
# `make` stays quiet; a clear message naming the packages when it cannot
# install them (not root, or no apt-get).
set -eu
packages="qemu-system-x86 gcc-multilib newlib-source multiboot grub-pc-bin
grub-common xorriso mtools clang python3 gdb netcat-openbsd xz-utils
iproute2 gnuplot-nox"

missing=""
for p in $packages; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "DEPS   installing:$missing"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: apt-get not found; please install these Debian packages:$missing" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; please run: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || {
	echo "deps: apt-get update failed; please install:$missing" >&2
	exit 1
}
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null || {
	echo "deps: apt-get install failed; please install:$missing" >&2
	exit 1
}
