#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The AppArmor tests, run as init inside the VM that tests/vm/apparmor.sh
# boots.  Every TAP line goes to the serial console prefixed with "@TAP@ "
# (the host keeps only those, whatever the kernel prints in between); the
# plan comes last, then the VM powers off.  Containers are privileged (no
# user namespace, every capability), so that what refuses an action below
# is AppArmor and nothing else: the same action is made unconfined too.
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export CORDON_RUNTIME=/usr/libexec/cordon/cordon-runtime
n=0
fails=0
tap() { echo "@TAP@ $*"; }
ok() { # ok STATUS NAME
	st=$1; shift
	n=$((n + 1))
	if [ "$st" -eq 0 ]; then tap "ok $n - $*"; else tap "not ok $n - $*"; fails=$((fails + 1)); fi
}
diag() { printf '%s\n' "$@" | sed 's/^/@TAP@ #   /'; }
is() { # is GOT WANT NAME
	got=$1 want=$2; shift 2
	if [ "$got" = "$want" ]; then ok 0 "$@"; else ok 1 "$@"; diag "got:      $got" "expected: $want"; fi
}
like() { # like GOT SUBSTRING NAME
	got=$1 want=$2; shift 2
	case $got in *"$want"*) ok 0 "$@" ;; *) ok 1 "$@"; diag "got:      $got" "expected: ...$want..." ;; esac
}
skip() { n=$((n + 1)); tap "ok $n # SKIP $*"; }
finish() { tap "1..$n"; sync; poweroff -f; sleep 10; }
bail() { tap "Bail out! $*"; poweroff -f; sleep 10; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /run /tmp /sys/fs/cgroup
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t securityfs securityfs /sys/kernel/security
mount -t cgroup2 cgroup2 /sys/fs/cgroup
dmesg -n 1
# Without auditd the kernel prints AppArmor's audit records through a rate
# limit (10 per 5 s): off, the tests read them all.
echo 0 > /proc/sys/kernel/printk_ratelimit
aa=/sys/kernel/security/apparmor

tap "# kernel $(uname -r), AppArmor enabled: $(cat /sys/module/apparmor/parameters/enabled 2>&1)"
is "$(cat /sys/module/apparmor/parameters/enabled 2>&1)" Y "the kernel has AppArmor enabled"
[ -d "$aa" ] || bail "no $aa"
ok "$([ -d $aa/features/mount ]; echo $?)" "the kernel mediates mounts (features/mount)"

for f in /aa/*; do
	name=${f##*/}
	cat "$f" > $aa/.load 2>/tmp/err
	ok $? "load $name"
done
for f in /aa/*; do
	name=${f##*/}
	ok "$(grep -qx "$name (enforce)" $aa/profiles; echo $?)" "$name is listed in enforce mode"
done

# A block device a privileged container could otherwise mount: an ext2
# image on /dev/loop0 (loop and ext4 modules from the host's kernel package).
for m in crc16 mbcache jbd2 crc32c_generic ext4 loop; do
	[ -f /modules/$m.ko ] && insmod /modules/$m.ko 2>/dev/null
done
[ -b /dev/loop0 ] || mknod /dev/loop0 b 7 0
losetup /dev/loop0 /disk.img
ok $? "losetup /dev/loop0 with an ext2 image"

cat > /ctr/rootfs/probe <<'PROBE'
#!/bin/sh
# What the container can do, one line each.
echo "label=$(cat /proc/self/attr/current 2>&1)"
if (echo h > /proc/sysrq-trigger) 2>/tmp/e; then echo "sysrq=ok"; else echo "sysrq=fail $(cat /tmp/e)"; fi
if (echo 1 > /proc/sys/vm/drop_caches) 2>/tmp/e; then echo "dropcaches=ok"; else echo "dropcaches=fail $(cat /tmp/e)"; fi
if (echo probe > /proc/sys/kernel/hostname) 2>/tmp/e; then echo "hostname=ok"; else echo "hostname=fail $(cat /tmp/e)"; fi
mknod /tmp/disk b 7 0
mkdir -p /mnt/disk
if mount -t ext2 /tmp/disk /mnt/disk 2>/tmp/e; then echo "mount=ok $(cat /mnt/disk/marker)"; umount /mnt/disk
else echo "mount=fail $(cat /tmp/e)"; fi
if (echo "exec unconfined" > /proc/self/attr/exec) 2>/tmp/e; then echo "onexec=ok"; else echo "onexec=fail $(cat /tmp/e)"; fi
mkdir -p /mnt/b
if mount --bind /proc/sys /mnt/b 2>/tmp/e; then echo "bindproc=ok"; umount /mnt/b; else echo "bindproc=fail $(cat /tmp/e)"; fi
if mount --bind /etc /mnt/b 2>/tmp/e; then echo "bindetc=ok"; umount /mnt/b; else echo "bindetc=fail $(cat /tmp/e)"; fi
echo "nested=$(sh -c 'echo "exec cordon-container-default" > /proc/self/attr/exec && exec cat /proc/self/attr/current' 2>&1)"
PROBE
chmod 755 /ctr/rootfs/probe
# A process outside the container (unconfined), seen through a shared pid
# namespace: the container signals it and reads its environment (ptrace).
cat > /ctr/rootfs/probe-peer <<'PROBE'
#!/bin/sh
peer=$(cat /peer)
if kill -CONT "$peer" 2>/tmp/e; then echo "signal=ok"; else echo "signal=fail $(cat /tmp/e)"; fi
if cat "/proc/$peer/environ" >/dev/null 2>/tmp/e; then echo "ptrace=ok"; else echo "ptrace=fail $(cat /tmp/e)"; fi
PROBE
chmod 755 /ctr/rootfs/probe-peer
sleep 1000 &
echo $! > /ctr/rootfs/peer

# conf NAME PROFILE [EXTRA KEY LINES]: /ctr/NAME.conf compiled to NAME.blob.
conf() {
	name=$1 profile=$2; shift 2
	{
		echo "lxc.uts.name = $name"
		echo "lxc.rootfs.path = /ctr/rootfs"
		echo "lxc.mount.auto = proc:rw"
		echo "lxc.init.cmd = /bin/sh /probe"
		[ -n "$profile" ] && echo "lxc.apparmor.profile = $profile"
		for l in "$@"; do echo "$l"; done
	} > "/ctr/$name.conf"
	cordon compile "/ctr/$name.conf" -o "/ctr/$name.blob" > /tmp/compile.out 2>&1 ||
		{ diag "compile $name:" "$(cat /tmp/compile.out)"; return 1; }
}
# run NAME: start it in the foreground; $out is what it printed, $rc its exit.
run() {
	dmesg -c > /dev/null
	cordon start -F "/ctr/$1.blob" < /dev/null > /tmp/run.out 2>&1
	rc=$?
	out=$(cat /tmp/run.out)
}
val() { echo "$out" | sed -n "s/^$1=//p"; }

# 1. The default profile, from the first instruction.
conf dflt cordon-container-default && run dflt
is "$rc" 0 "default: the container runs"
is "$(val label)" "cordon-container-default (enforce)" "default: init runs in cordon-container-default"
like "$(val sysrq)" "fail" "default: writing /proc/sysrq-trigger is refused"
like "$(val sysrq)" "Permission denied" "default: ... with EACCES"
like "$(dmesg)" 'apparmor="DENIED" operation="open" profile="cordon-container-default" name="/proc/sysrq-trigger"' \
	"default: ... by AppArmor (audit log)"
like "$(val dropcaches)" "Permission denied" "default: writing /proc/sys/vm/drop_caches is refused"
is "$(val hostname)" "ok" "default: writing the namespaced /proc/sys/kernel/hostname is allowed"
like "$(val mount)" "Permission denied" "default: mounting the ext2 block device is refused"
like "$(dmesg | grep 'apparmor="DENIED" operation="mount"' | grep 'profile="cordon-container-default"')" \
	'fstype="ext2" srcname="/tmp/disk"' "default: ... by AppArmor (audit log)"
like "$(val bindproc)" "Permission denied" "default: bind-mounting /proc/sys elsewhere is refused"
is "$(val bindetc)" "ok" "default: bind-mounting /etc elsewhere is allowed"
like "$(val onexec)" "Permission denied" "default: the container cannot change its own profile to unconfined"
like "$(val nested)" "Permission denied" "default: ... nor to another profile"
[ "$rc" = 0 ] || diag "$out"

# 2. The same actions unconfined, all else equal: they succeed.
conf unconf unconfined && run unconf
is "$rc" 0 "unconfined: the container runs"
is "$(val label)" "unconfined" "unconfined: init is unconfined"
is "$(val sysrq)" "ok" "unconfined: writing /proc/sysrq-trigger succeeds"
is "$(val dropcaches)" "ok" "unconfined: writing /proc/sys/vm/drop_caches succeeds"
is "$(val mount)" "ok cordon-ext2" "unconfined: mounting the ext2 block device succeeds"
is "$(val bindproc)" "ok" "unconfined: bind-mounting /proc/sys elsewhere succeeds"
[ "$rc" = 0 ] || diag "$out"

# Signals and ptrace to a process outside the profile.
conf peer cordon-container-default "lxc.namespace.keep = pid" "lxc.init.cmd = /bin/sh /probe-peer" && run peer
like "$(val signal)" "ermission denied" "default: a signal to a process outside the profile is refused"
like "$(val ptrace)" "ermission denied" "default: reading its environment (ptrace read) is refused"
like "$(dmesg)" 'apparmor="DENIED" operation="signal" profile="cordon-container-default"' \
	"default: ... by AppArmor (audit log)"
[ -n "$(val signal)" ] || diag "$out"
conf peeru unconfined "lxc.namespace.keep = pid" "lxc.init.cmd = /bin/sh /probe-peer" && run peeru
is "$(val signal)" "ok" "unconfined: the same signal is delivered"
is "$(val ptrace)" "ok" "unconfined: its environment is readable"

# 3. with-mounting adds block filesystems, keeps the rest.
conf mnt cordon-container-default-with-mounting && run mnt
is "$(val label)" "cordon-container-default-with-mounting (enforce)" "with-mounting: init runs in it"
is "$(val mount)" "ok cordon-ext2" "with-mounting: mounting the ext2 block device succeeds"
like "$(val sysrq)" "Permission denied" "with-mounting: writing /proc/sysrq-trigger is still refused"

# 4. generated: the shipped profiles.
conf gen generated && run gen
is "$(val label)" "cordon-container-default (enforce)" "generated: cordon-container-default"
conf gennest generated "lxc.apparmor.allow_nesting = 1" && run gennest
is "$(val label)" "cordon-container-default-with-nesting (enforce)" "generated + allow_nesting: the -with-nesting profile"
is "$(val nested)" "cordon-container-default (enforce)" "with-nesting: a nested container can be put in cordon-container-default"
like "$(val onexec)" "Permission denied" "with-nesting: ... but not unconfined"

# 5. no_new_privs does not stop the change (unconfined -> profile at exec).
conf nnp cordon-container-default "lxc.no_new_privs = 1" && run nnp
is "$(val label)" "cordon-container-default (enforce)" "no_new_privs: init still runs in cordon-container-default"

# An unprivileged container (user namespace): the same switch.
if [ -d /ctr/urootfs ]; then
	cp /ctr/rootfs/probe /ctr/urootfs/probe
	conf user cordon-container-default "lxc.rootfs.path = /ctr/urootfs" \
		"lxc.idmap = u 0 100000 65536" "lxc.idmap = g 0 100000 65536" && run user
	is "$(val label)" "cordon-container-default (enforce)" "user namespace: init runs in cordon-container-default"
	like "$(val sysrq)" "Permission denied" "user namespace: writing /proc/sysrq-trigger is refused"
	[ -n "$(val label)" ] || diag "$out"
else
	skip "no rootfs for an unprivileged container (the host side needs root)"
	skip "no rootfs for an unprivileged container (the host side needs root)"
fi

# 6. attach (cordon-runtime attach, as `cordon attach` runs it): the attached command changes to the container's profile at its
# exec, also after /proc inside was mounted over with plain files where the
# attr files were (the runtime writes the label through the host's /proc).
# pids_of CMDLINE: the processes with that command line (busybox has no pgrep).
pids_of() {
	for d in /proc/[0-9]*; do
		[ "$(tr '\0' ' ' 2>/dev/null < "$d/cmdline")" = "$1 " ] && echo "${d#/proc/}"
	done
}
# attach_label N: the profile of an attached `sleep N`, read from outside.
attach_label() {
	"$CORDON_RUNTIME" attach att /ctr/att.blob -- /bin/sleep "$1" < /dev/null > /tmp/attach.out 2>&1 &
	i=0 p=
	while [ $i -lt 100 ] && [ -z "$p" ]; do p=$(pids_of "/bin/sleep $1"); sleep 0.1; i=$((i + 1)); done
	if [ -n "$p" ]; then cat "/proc/$p/attr/current" 2>&1; kill "$p"; else cat /tmp/attach.out; fi
	wait
}
printf '%s\n' "lxc.uts.name = att" "lxc.rootfs.path = /ctr/rootfs" "lxc.mount.auto = proc:rw" \
	"lxc.init.cmd = /bin/sleep 1000" "lxc.apparmor.profile = cordon-container-default" > /ctr/att.conf
if cordon compile /ctr/att.conf -n att -o /ctr/att.blob > /tmp/compile.out 2>&1 &&
	cordon start -d /ctr/att.blob < /dev/null > /tmp/att.out 2>&1; then
	is "$(attach_label 31)" "cordon-container-default (enforce)" "attach: the command runs in the container's profile"
	nsenter -t "$(cat /run/cordon/att/pid)" -m sh -c 'mount -t tmpfs none /proc && mkdir -p /proc/thread-self/attr/apparmor &&
		touch /proc/thread-self/attr/exec /proc/thread-self/attr/apparmor/exec'
	ok $? "attach: the container's /proc mounted over, plain files where the attr files were"
	is "$(attach_label 32)" "cordon-container-default (enforce)" "attach: the profile holds with /proc mounted over"
	cordon stop att -k > /dev/null 2>&1
	i=0; while [ $i -lt 50 ] && [ -n "$(pids_of "/bin/sleep 1000")" ]; do sleep 0.1; i=$((i + 1)); done
else
	diag "start att:" "$(cat /tmp/compile.out /tmp/att.out)"
	ok 1 "attach: the command runs in the container's profile"
	skip "attach: no container"
	skip "attach: no container"
fi

# 7. A profile that is not loaded: refused before anything is made.
conf missing cordon-missing && run missing
is "$rc" 3 "missing profile: the start fails (exit 3)"
is "$out" "cordon: start missing: apparmor: profile 'cordon-missing' is not loaded (not in $aa/profiles; load it with apparmor_parser -r FILE)" \
	"missing profile: the message"
is "$(find /sys/fs/cgroup -name 'cordon-missing*' | wc -l)" 0 "missing profile: no cgroup left"
ok "$([ ! -e /run/cordon/missing ]; echo $?)" "missing profile: no state left"
is "$(grep -c /ctr/rootfs /proc/self/mountinfo)" 0 "missing profile: no mount left"
is "$(pgrep -f cordon-runtime | wc -l)" 0 "missing profile: no process left"

finish
