#!/bin/bash
# Escape suite, the user namespace: a nested user namespace made inside
# (`unshare -Urm`, plus a cgroup namespace as the CVE-2022-0492 exploit
# does: `unshare -UrmC`) to regain capabilities over the container's mounts
# and to reach a cgroup v1 release_agent.
#
# attack                                   stopped by                 default                        privileged (no userns)
# mount cgroup v1 (pids), write release_agent  userns                  mount EPERM (cgroup ns is not the container's)  mount ok, release_agent written
# same from unshare -UrmC (the exploit)    userns, then the kernel    mount ok, release_agent EACCES, notify_on_release EACCES (host root's files)  release_agent EPERM (kernel's CVE-2022-0492 check), notify_on_release written
# nested userns: umount/remount /proc/sys  mount lock                 EINVAL / EPERM                 EINVAL / EPERM (locked by the nested userns itself)
# nested userns: umount/remount the container's own read-only tmpfs    EINVAL / EPERM; container root itself (no nested userns): both succeed
# (release_agent is written only with its current, empty, value.)
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/escape/lib.sh"

esc_conf default
esc_conf priv "$NO_USERNS"

ra=$(cat /sys/fs/cgroup/pids/release_agent 2>/dev/null)
[ -d /sys/fs/cgroup/pids ] && [ -z "$ra" ] || skip_all "no cgroup v1 pids hierarchy with an empty release_agent"

moves='mkdir -p /tmp/cg /tmp/t
echo "cg mount: $(escape-helper mount cgroup /tmp/cg cgroup pids)"
echo "cg release_agent: $(escape-helper write /tmp/cg/release_agent "")"
echo "cg notify_on_release: $(escape-helper write /tmp/cg/notify_on_release 0)"
umount /tmp/cg 2>/dev/null
escape-helper nest "echo \"nest cg mount: \$(escape-helper mount cgroup /tmp/cg cgroup pids)\"
echo \"nest cg release_agent: \$(escape-helper write /tmp/cg/release_agent \"\")\"
echo \"nest cg notify_on_release: \$(escape-helper write /tmp/cg/notify_on_release 0)\""
mount -t tmpfs -o ro tmpfs /tmp/t
escape-helper nest "echo \"nest umount sys: \$(escape-helper umount /proc/sys)\"
echo \"nest remount sys: \$(escape-helper remount /proc/sys rw)\"
echo \"nest remount own: \$(escape-helper remount /tmp/t rw)\"
echo \"nest umount own: \$(escape-helper umount /tmp/t)\"
echo \"nest uid: \$(id -u)\""
echo "remount own: $(escape-helper remount /tmp/t rw)"
echo "umount own: $(escape-helper umount /tmp/t)"'
for c in default priv; do
	esc_run "$c" "$moves" > "$T/$c.out"
done
get() { sed -n "s/^$2: //p" "$T/$1.out"; }
is "$(cat /sys/fs/cgroup/pids/release_agent)" "$ra" "the host's release_agent is unchanged"

c=default
is "$(get $c "cg mount")" "mount errno 1" "default: mount of the cgroup v1 pids hierarchy: EPERM (userns: the cgroup namespace is not the container's)"
is "$(get $c "nest cg mount")" "ok" "default, unshare -UrmC: the pids hierarchy mounts (a cgroup namespace of its own)"
is "$(get $c "nest cg release_agent")" "open errno 13" "default, unshare -UrmC: write to release_agent: EACCES (userns: host root's file)"
is "$(get $c "nest cg notify_on_release")" "open errno 13" "default, unshare -UrmC: write to notify_on_release: EACCES (userns)"
is "$(get $c "nest uid")" "0" "default, nested userns: root in it"
is "$(get $c "nest umount sys")" "umount errno 22" "default, nested userns: umount of /proc/sys: EINVAL (locked)"
is "$(get $c "nest remount sys")" "mount errno 1" "default, nested userns: remount of /proc/sys read-write: EPERM (locked)"
is "$(get $c "nest remount own")" "mount errno 1" "default, nested userns: remount of the container's own read-only tmpfs: EPERM (locked read-only)"
is "$(get $c "nest umount own")" "umount errno 22" "default, nested userns: umount of it: EINVAL (locked)"
is "$(get $c "remount own")" "ok" "default, container root without a nested userns: that tmpfs remounts read-write (the lock is the nested userns's)"
is "$(get $c "umount own")" "ok" "default, container root without a nested userns: and unmounts"

c=priv
is "$(get $c "cg mount")" "ok" "no userns: the pids hierarchy mounts"
is "$(get $c "cg release_agent")" "ok" "no userns: release_agent is written (CVE-2022-0492's target)"
is "$(get $c "cg notify_on_release")" "ok" "no userns: notify_on_release is written"
is "$(get $c "nest cg release_agent")" "write errno 1" \
	"no userns, unshare -UrmC: release_agent reaches the kernel's own check: EPERM (not the host's user namespace)"
is "$(get $c "nest cg notify_on_release")" "ok" "no userns, unshare -UrmC: notify_on_release is written"

esc_clean
done_testing
