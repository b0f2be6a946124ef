#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# AppArmor for real: boot Debian's kernel (AppArmor built in) under qemu
# TCG with an initramfs holding the built cordon, cordon-runtime and their
# libraries, busybox, a busybox container rootfs, the shipped profiles
# compiled here, and tests/vm/guest.sh as init; the guest's TAP comes back
# through the serial console.  qemu exits 0 even when the guest panics, so
# the verdict is only what the guest printed: a plan, and no "not ok".
# CORDON_VM_KERNEL picks the kernel image (default: the newest
# /boot/vmlinuz-*), CORDON_VM_TIMEOUT the limit in seconds (110).
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
set -u
vm_timeout=${CORDON_VM_TIMEOUT:-110}
features=/usr/share/apparmor-features/features

grep -q '^#define HAVE_APPARMOR 1' "$top_builddir/config.h" ||
	skip_all "built with --disable-apparmor (tests/apparmor/runtime.sh checks the refusal)"
for tool in qemu-system-x86_64 cpio apparmor_parser mke2fs timeout flock; do
	command -v "$tool" >/dev/null ||
		skip_all "no $tool (apt-get install qemu-system-x86 cpio apparmor e2fsprogs)"
done
kernel=${CORDON_VM_KERNEL:-$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n1)}
if [ ! -r "$kernel" ]; then skip_all "no kernel image /boot/vmlinuz-* (apt-get install linux-image-amd64)"; fi
kver=${kernel##*/vmlinuz-}
[ -r "$features" ] || skip_all "no $features (apt-get install apparmor)"
if [ ! -x "$CORDON" ] || [ ! -x "$top_builddir/cordon-runtime" ]; then skip_all "cordon not built"; fi
[ -x /bin/busybox ] || skip_all "no /bin/busybox (apt-get install busybox-static)"

# One VM at a time (tools/test-all's builds, parallel make check).
exec 9>/tmp/cordon-vm-test.lock
flock -w 300 9 || { echo "Bail out! another VM test held /tmp/cordon-vm-test.lock for 300 s"; exit 1; }

T=$(mktemp -d /tmp/cordon-vm.XXXXXX)
trap 'rm -rf "$T"' EXIT
R=$T/root
mkdir -p "$R"/{bin,usr/bin,usr/libexec/cordon,aa,modules,ctr}

# copy_elf FILE DEST: FILE and the shared libraries it loads, at their paths.
copy_elf() {
	cp "$1" "$R$2"
	ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		[ -e "$R$lib" ] && continue
		mkdir -p "$R${lib%/*}" && cp -L "$lib" "$R$lib"
	done
}
copy_elf "$CORDON" /usr/bin/cordon
copy_elf "$top_builddir/cordon-runtime" /usr/libexec/cordon/cordon-runtime
cp /bin/busybox "$R/bin/busybox"
cp "$top_srcdir/tests/vm/init" "$R/init"
cp "$top_srcdir/tests/vm/guest.sh" "$R/guest.sh"
chmod 755 "$R/init" "$R/guest.sh"
"$top_srcdir/templates/busybox" "$R/ctr/rootfs" >/dev/null || { echo "Bail out! templates/busybox failed"; exit 1; }
# A rootfs owned by 100000 for an unprivileged container (chown needs root).
if [ "$(id -u)" = 0 ]; then
	"$top_srcdir/templates/busybox" "$R/ctr/urootfs" --uid-shift 100000 >/dev/null ||
		{ echo "Bail out! templates/busybox --uid-shift failed"; exit 1; }
fi

# The shipped profiles, compiled against Debian's pinned feature set: on a
# host without AppArmor the parser would silently drop the mount, signal
# and ptrace rules.
for p in "$top_srcdir"/profiles/apparmor/cordon-container-*; do
	apparmor_parser -Q --kernel-features "$features" -o "$R/aa/${p##*/}" "$p" 2>"$T/parser.err" || {
		echo "Bail out! apparmor_parser ${p##*/}: $(cat "$T/parser.err")"; exit 1; }
done

# loop and ext2 (the ext4 driver) for the block device test.
moddir=/lib/modules/$kver
for m in crc16 mbcache jbd2 crc32c_generic ext4 loop; do
	path=$(grep -o "^[^:]*/$m\.ko[^:]*" "$moddir/modules.dep" 2>/dev/null | head -n1)
	[ -n "$path" ] || continue
	case $path in
	*.xz) xz -dc "$moddir/$path" > "$R/modules/$m.ko" ;;
	*.zst) zstd -qdc "$moddir/$path" > "$R/modules/$m.ko" ;;
	*) cp "$moddir/$path" "$R/modules/$m.ko" ;;
	esac
done
mkdir -p "$T/disk"
echo cordon-ext2 > "$T/disk/marker"
mke2fs -q -F -t ext2 -d "$T/disk" "$R/disk.img" 1M >/dev/null || { echo "Bail out! mke2fs failed"; exit 1; }

(cd "$R" && find . -print0 | cpio --null -o -H newc --quiet) > "$T/initrd" ||
	{ echo "Bail out! cpio failed"; exit 1; }

start=$(date +%s)
timeout -k 5 "$vm_timeout" qemu-system-x86_64 -accel tcg -m 1024 -smp 1 -nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$T/initrd" \
	-append 'console=ttyS0 apparmor=1 security=apparmor panic=-1 quiet' \
	</dev/null >"$T/console" 2>&1
qrc=$?
took=$(($(date +%s) - start))
tr -d '\r' < "$T/console" > "$T/console.txt"
sed -n 's/^.*@TAP@ //p' "$T/console.txt" > "$T/tap"

cat "$T/tap"
echo "# VM: kernel $kver, $(qemu-system-x86_64 --version | head -n1), $took s"
console_tail() { tail -n 30 "$T/console.txt" | sed 's/^/#   console: /'; }
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	console_tail; echo "Bail out! the VM did not power off within $vm_timeout s"; exit 1
fi
if grep -q 'Kernel panic' "$T/console.txt"; then
	console_tail; echo "Bail out! the guest kernel panicked"; exit 1
fi
if ! grep -qE '^1\.\.[0-9]+' "$T/tap"; then
	console_tail; echo "Bail out! the guest printed no TAP plan (qemu exit $qrc)"; exit 1
fi
! grep -q '^not ok' "$T/tap"
