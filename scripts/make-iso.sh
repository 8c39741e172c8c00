#!/bin/sh
# scripts/make-iso.sh OUT ISO: a GRUB rescue ISO that boots host.elf, with
# guest.elf as a module when it exists. Proves a real GRUB loads our
# multiboot header; `make iso` builds it and a boot test boots it.
set -eu
out=$1
iso=$2
root="$out/iso"
rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$out/host.elf" "$root/boot/host.elf"
module=""
if [ -f "$out/guest.elf" ]; then
	cp "$out/guest.elf" "$root/boot/guest.elf"
	module="	module /boot/guest.elf 64 guest.elf booted-by=grub"
fi
cat >"$root/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "lgref" {
	multiboot /boot/host.elf from=grub
$module
	boot
}
CFG
grub-mkrescue -o "$iso" "$root"
