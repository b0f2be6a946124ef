#!/bin/bash
# Escape suite, /proc and /sys: proc:mixed and sys:mixed (read-only
# /proc/sys, /sys and overmounts, locked by the kernel because the
# container's mount namespace belongs to its user namespace), and the user
# namespace (sysctl files belong to host root; the pid namespace and the
# network namespace's sysfs are not the container's to mount).  Host
# sysctls are only ever written with the value they already hold.
#
# attack                                 stopped by          default            privileged (no userns)          privileged, proc:rw sys:rw
# write /proc/sys/kernel/core_pattern    userns, proc:mixed  EACCES (userns)    EROFS (proc:mixed)              succeeds
# write /proc/sysrq-trigger              absent (kernel)     ENOENT             (CONFIG_MAGIC_SYSRQ=n: absent on the host too)
# mount a fresh proc to unmask /proc/sys userns              EPERM              succeeds, its core_pattern written
# mount a fresh sysfs                    userns              EPERM              succeeds
# umount /proc/sys (the read-only mask)  mount lock (userns) EINVAL (locked)    succeeds, core_pattern written
# remount /proc/sys read-write           mount lock (userns) EPERM (locked ro)  succeeds
# umount /sys/firmware (an overmount)    mount lock (userns) EINVAL             succeeds
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/escape/lib.sh"

esc_conf default
esc_conf priv "$NO_USERNS"
esc_conf privrw "$NO_USERNS" "lxc.mount.auto =" "lxc.mount.auto = proc:rw sys:rw cgroup:mixed"

moves='cp=$(cat /proc/sys/kernel/core_pattern); mkdir -p /tmp/p /tmp/s
echo "core: $(escape-helper write /proc/sys/kernel/core_pattern "$cp")"
echo "sysrq: $(escape-helper write /proc/sysrq-trigger h)"
echo "mount proc: $(escape-helper mount proc /tmp/p proc)"
echo "fresh core: $(escape-helper write /tmp/p/sys/kernel/core_pattern "$cp")"
echo "mount sysfs: $(escape-helper mount sysfs /tmp/s sysfs)"
echo "umount firmware: $(escape-helper umount /sys/firmware)"
echo "remount sys: $(escape-helper remount /proc/sys rw)"
echo "umount sys: $(escape-helper umount /proc/sys)"
echo "core after: $(escape-helper write /proc/sys/kernel/core_pattern "$cp")"'
before=$(cat /proc/sys/kernel/core_pattern)
for c in default priv privrw; do
	esc_run "$c" "$moves" > "$T/$c.out"
done
get() { sed -n "s/^$2: //p" "$T/$1.out"; }
is "$(cat /proc/sys/kernel/core_pattern)" "$before" "the host's core_pattern is unchanged"

c=default
is "$(get $c core)" "open errno 13" "default: write to /proc/sys/kernel/core_pattern: EACCES (userns: host root's file)"
is "$(get $c "mount proc")" "mount errno 1" "default: mount of a fresh proc: EPERM (userns)"
is "$(get $c "fresh core")" "open errno 2" "default: so no unmasked /proc/sys"
is "$(get $c "mount sysfs")" "mount errno 1" "default: mount of a fresh sysfs: EPERM (userns)"
is "$(get $c "umount firmware")" "umount errno 22" "default: umount of the /sys/firmware overmount: EINVAL (locked)"
is "$(get $c "remount sys")" "mount errno 1" "default: remount of /proc/sys read-write: EPERM (locked read-only)"
is "$(get $c "umount sys")" "umount errno 22" "default: umount of /proc/sys: EINVAL (locked)"
is "$(get $c "core after")" "open errno 13" "default: core_pattern still refused"
if [ -e /proc/sysrq-trigger ]; then
	like "$(get $c sysrq)" "^open errno (2|13|30)$" "default: write to /proc/sysrq-trigger refused"
	skip "the host has /proc/sysrq-trigger: not written from a privileged container"
else
	is "$(get $c sysrq)" "open errno 2" "default: no /proc/sysrq-trigger (ENOENT)"
	is "$(get priv sysrq)" "open errno 2" "no userns: none either: the kernel has no magic SysRq (CONFIG_MAGIC_SYSRQ=n)"
fi

c=priv
is "$(get $c core)" "open errno 30" "no userns: core_pattern reaches proc:mixed: EROFS"
is "$(get $c "mount proc")" "ok" "no userns: a fresh proc mounts"
is "$(get $c "fresh core")" "ok" "no userns: and its /proc/sys/kernel/core_pattern is written (the mask is gone)"
is "$(get $c "mount sysfs")" "ok" "no userns: a fresh sysfs mounts"
is "$(get $c "umount firmware")" "ok" "no userns: the /sys/firmware overmount comes off"
is "$(get $c "remount sys")" "ok" "no userns: /proc/sys is remounted read-write"
is "$(get $c "umount sys")" "ok" "no userns: /proc/sys comes off"
is "$(get $c "core after")" "ok" "no userns: then core_pattern is written"

c=privrw
is "$(get $c core)" "ok" "no userns, proc:rw: core_pattern is written at once"

esc_clean
done_testing
