#!/bin/sh
# scripts/fresh-check.sh: the README's two commands on a brand-new machine.
#
# A machine that already has the build's packages hides a missing install
# step (a Makefile that asks gcc for the 32-bit libgcc before `make deps`
# installed gcc-multilib, say). So this script builds a fresh Debian 12
# root with debootstrap holding only what a new machine has (gcc, make,
# git, python3), clones the committed project into it alone, and there
# runs, as root in a chroot:
#
#   make run      must build everything, boot the demo and print READY;
#                 we then type "poweroff" and want exit status 0
#   make check    must end with "N passed, 0 failed" and exit 0
#
# Usage: scripts/fresh-check.sh [DIR]   (default build/fresh; needs root
# and Debian's package archive; takes 15-25 minutes). `make fresh-check`
# runs it. The root is rebuilt from scratch every time.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$here/build/fresh}
suite=bookworm
log() { echo "fresh-check: $*"; }

if [ "$(id -u)" -ne 0 ]; then
	echo "fresh-check: needs root (debootstrap, chroot, mount)" >&2
	exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
	log "installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap \
		>/dev/null
fi

mounted=""
cleanup() {
	for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# Leftover mounts from an interrupted run would make rm -rf dangerous.
for m in dev/shm dev/pts dev sys proc; do
	mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
done
rm -rf "$root"
mkdir -p "$root"

log "debootstrap $suite (minbase + gcc make git python3) into $root"
debootstrap --variant=minbase --include=gcc,make,git,python3,ca-certificates \
	"$suite" "$root" http://deb.debian.org/debian >"$root.debootstrap.log" 2>&1 || {
	tail -20 "$root.debootstrap.log"
	exit 1
}
# The same package sources as this machine (security updates included).
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"
	rm -f "$root/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

for m in proc sys dev dev/pts dev/shm; do
	mkdir -p "$root/$m"
done
mount -t proc proc "$root/proc"; mounted="$root/proc $mounted"
mount --rbind /sys "$root/sys"; mounted="$root/sys $mounted"
mount --rbind /dev "$root/dev"; mounted="$root/dev $mounted"
mount -t tmpfs shm "$root/dev/shm"; mounted="$root/dev/shm $mounted"

log "cloning $(git -C "$here" rev-parse --short HEAD) (committed files only)"
git clone -q --no-local "$here" "$root/root/lgref"

# `make run` waits at the echo prompt: a small driver types poweroff once
# READY is out, and fails on a timeout or a non-zero status.
cat >"$root/root/drive-run.py" <<'EOF'
import subprocess, sys, time, threading
proc = subprocess.Popen(["make", "run"], cwd="/root/lgref",
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
out = b""
timer = threading.Timer(3600, proc.kill)
timer.start()
while b"READY" not in out:
    chunk = proc.stdout.read1(4096)
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    sys.stdout.flush()
    out += chunk
if b"READY" in out:
    time.sleep(0.5)
    proc.stdin.write(b"poweroff\r")
    proc.stdin.flush()
rest = proc.stdout.read()
sys.stdout.buffer.write(rest)
status = proc.wait()
timer.cancel()
ok = b"READY" in out and status == 0
print(f"fresh-check: make run: {'READY, ' if b'READY' in out else 'no READY, '}"
      f"exit status {status}")
sys.exit(0 if ok else 1)
EOF

start=$(date +%s)
log "make run (installs packages, builds newlib, host and guest, boots)"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	TERM=dumb python3 /root/drive-run.py
log "make run passed after $(( $(date +%s) - start )) s"

start=$(date +%s)
log "make check"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	TERM=dumb sh -c 'cd /root/lgref && make check' >"$root.check.log" 2>&1 || {
	tail -40 "$root.check.log"
	log "make check FAILED (log: $root.check.log)"
	exit 1
}
tail -1 "$root.check.log"
log "make check passed after $(( $(date +%s) - start )) s"
log "PASS: the README's two commands work on a fresh Debian $suite root"
