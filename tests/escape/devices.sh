#!/bin/bash
# Escape suite, device layers: the user namespace (mknod of a device needs
# CAP_MKNOD in the host's user namespace) and the device cgroup (v1 devices
# controller or the cgroup2 eBPF program: an allowlist with `m` only for
# everything else).  The host block device is a loop device set up for the
# test (an ext2 image holding a marker file); /dev/mem does not exist on
# kernels without CONFIG_DEVMEM.
#
# attack                       stopped by             default             privileged (no userns)         privileged + device rule
# mknod b LOOP + raw read      userns                 mknod EPERM         mknod ok, open EPERM (devices) read succeeds
# mount of the host block dev  userns                 mknod EPERM         mknod ok, mount EPERM (devices) mount succeeds, marker read
# /dev/mem                     absent; userns         ENOENT, mknod EPERM mknod ok, open EPERM (devices) open ENXIO (kernel: no /dev/mem) or succeeds
# /dev/kmsg write              absent; userns         ENOENT, mknod EPERM mknod ok, open EPERM (devices) write succeeds (host kernel log)
# write 'a' to devices.allow   userns; cgroup2 eBPF   EACCES              v1 loosened to a *:* rwm; the raw read still EPERM (cgroup2 eBPF program)
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/escape/lib.sh"
command -v losetup >/dev/null && command -v mkfs.ext2 >/dev/null || skip_all "no losetup or mkfs.ext2"

mkdir "$T/img"
echo "host-secret-$$" > "$T/img/marker"
truncate -s 4M "$T/disk.img"
mkfs.ext2 -q -F -d "$T/img" "$T/disk.img" >/dev/null 2>&1 || skip_all "mkfs.ext2 -d failed"
LOOP=$(losetup -f --show "$T/disk.img") || skip_all "no loop device"
trap 'losetup -d "$LOOP"; esc_teardown' EXIT
maj=$((0x$(stat -c %t "$LOOP"))) min=$((0x$(stat -c %T "$LOOP")))

rules=()
for r in "b $maj:$min rw" "c 1:1 rw" "c 1:11 w"; do
	rules+=("lxc.cgroup.devices.allow = $r" "lxc.cgroup2.devices.allow = $r")
done
esc_conf default
esc_conf priv "$NO_USERNS"
esc_conf privdev "$NO_USERNS" "${rules[@]}"

moves="mkdir -p /tmp/m; rm -f /tmp/blk /tmp/mem /tmp/kmsg
echo \"mknod blk: \$(escape-helper mknod /tmp/blk b $maj $min)\"
echo \"read blk: \$(escape-helper read /tmp/blk)\"
echo \"mount blk: \$(escape-helper mount /tmp/blk /tmp/m ext2 ro)\"
echo \"marker: \$(cat /tmp/m/marker 2>&1)\"
echo \"dev mem: \$(escape-helper read /dev/mem)\"
echo \"mknod mem: \$(escape-helper mknod /tmp/mem c 1 1)\"
echo \"read mem: \$(escape-helper read /tmp/mem)\"
echo \"dev kmsg: \$(escape-helper write /dev/kmsg cordon-escape-test)\"
echo \"mknod kmsg: \$(escape-helper mknod /tmp/kmsg c 1 11)\"
echo \"write kmsg: \$(escape-helper write /tmp/kmsg cordon-escape-test-$$)\"
rm -f /tmp/blk /tmp/mem /tmp/kmsg
echo \"devices.allow: \$(escape-helper write /sys/fs/cgroup/devices/devices.allow a)\"
echo \"v1 list: \$(head -n1 /sys/fs/cgroup/devices/devices.list 2>&1)\"
escape-helper mknod /tmp/blk b $maj $min >/dev/null
echo \"read after: \$(escape-helper read /tmp/blk)\"
rm -f /tmp/blk"
for c in default priv privdev; do
	esc_run "$c" "$moves" > "$T/$c.out"
done
get() { sed -n "s/^$2: //p" "$T/$1.out"; }

[ -e /dev/mem ] && tap_diag "this host has /dev/mem" || tap_diag "/dev/mem does not exist on this host (CONFIG_DEVMEM=n): the move is mknod c 1:1"
c=default
is "$(get $c "mknod blk")" "mknod errno 1" "default: mknod of the host's block device: EPERM (userns: no CAP_MKNOD)"
is "$(get $c "read blk")" "open errno 2" "default: so there is nothing to read raw"
is "$(get $c "mount blk")" "mount errno 1" "default: mount of an ext2 block device: EPERM (userns: not a user-namespace filesystem)"
is "$(get $c "dev mem")" "open errno 2" "default: no /dev/mem in the container"
is "$(get $c "mknod mem")" "mknod errno 1" "default: mknod c 1:1 (/dev/mem): EPERM (userns)"
is "$(get $c "dev kmsg")" "open errno 2" "default: no /dev/kmsg in the container"
is "$(get $c "mknod kmsg")" "mknod errno 1" "default: mknod c 1:11 (/dev/kmsg): EPERM (userns)"

c=priv
is "$(get $c "mknod blk")" "ok" "no userns: mknod of the block device succeeds (the device cgroup allows m)"
is "$(get $c "read blk")" "open errno 1" "no userns: its raw read: EPERM (device cgroup)"
is "$(get $c "mount blk")" "mount errno 1" "no userns: its mount: EPERM (device cgroup)"
is "$(get $c "mknod mem")" "ok" "no userns: mknod c 1:1 succeeds"
is "$(get $c "read mem")" "open errno 1" "no userns: open of c 1:1: EPERM (device cgroup)"
is "$(get $c "mknod kmsg")" "ok" "no userns: mknod c 1:11 succeeds"
is "$(get $c "write kmsg")" "open errno 1" "no userns: open of c 1:11 for writing: EPERM (device cgroup)"

c=privdev
is "$(get $c "read blk")" "ok read 512" "no userns, device rule: the host block device is read raw"
is "$(get $c "mount blk")" "ok" "no userns, device rule: and mounted"
is "$(get $c "marker")" "host-secret-$$" "no userns, device rule: the host's file is read through it"
if [ -e /dev/mem ]; then
	is "$(get $c "read mem")" "ok read 512" "no userns, device rule: /dev/mem is read"
else
	is "$(get $c "read mem")" "open errno 6" "no userns, device rule: c 1:1 reaches the kernel: ENXIO (no /dev/mem driver)"
fi
is "$(get $c "write kmsg")" "ok" "no userns, device rule: the host's kernel log is written"
like "$(dmesg 2>/dev/null | grep -c "cordon-escape-test-$$")" "^[1-9]" "and the line is in the host's kernel log"

# The device cgroup loosened from inside: on a hybrid host both the v1
# controller and the cgroup2 eBPF program enforce the rules.
if [ -d /sys/fs/cgroup/devices ] && grep -q ' - cgroup2 ' /proc/self/mountinfo; then
	is "$(get default "devices.allow")" "open errno 13" "default: write 'a' to its own devices.allow: EACCES (userns: host root's file)"
	is "$(get priv "devices.allow")" "ok" "no userns: 'a' is written to the v1 devices.allow"
	is "$(get priv "v1 list")" "a *:* rwm" "no userns: the v1 controller now allows everything"
	is "$(get priv "read after")" "open errno 1" "no userns: the raw read is still refused: EPERM (the cgroup2 eBPF program, a further layer)"
else
	skip "not a hybrid cgroup host (v1 devices controller and cgroup2)"
fi

esc_clean
done_testing
