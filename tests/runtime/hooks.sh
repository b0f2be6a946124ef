#!/bin/bash
# lxc.hook.*: each runs at its point with LXC's arguments and environment;
# a failing hook fails the start and leaves nothing behind.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
rt_setup --uid-shift 100000
ids="lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"
log=$T/hooks.log

rt_compile hk "lxc.rootfs.path = $T/rootfs
lxc.uts.name = hooked
lxc.mount.auto = proc:mixed sys:ro
$ids
lxc.hook.pre-start = echo >>$log pre-start \$LXC_NAME \$LXC_HOOK_TYPE \$LXC_HOOK_SECTION \$LXC_HOOK_VERSION
lxc.hook.pre-mount = sh -c 'echo >>$log pre-mount \$0 \$1 \$2; test -e \$LXC_ROOTFS_MOUNT/proc/self || echo >>$log pre-mount no-proc'
lxc.hook.mount = sh -c 'test -e \$LXC_ROOTFS_MOUNT/proc/self && echo >>$log mount proc-mounted'
lxc.hook.autodev = sh -c 'test -c \$LXC_ROOTFS_MOUNT/dev/null && echo >>$log autodev dev-null'
lxc.hook.start-host = sh -c 'echo >>$log start-host \$(cat /proc/\$LXC_PID/uid_map)'
lxc.hook.stop = sh -c 'echo >>$log stop \$LXC_TARGET'
lxc.hook.post-stop = sh -c 'echo >>$log post-stop \$LXC_CONFIG_FILE'" || exit 1
# The start hook runs inside: its output is the container's.
out=$("$CORDON" start "$T/hk.blob" -- /bin/echo init </dev/null 2>&1)
is "$out" "init" "the container runs with every hook"
is "$(cat "$log")" "pre-start hk$RT_SFX pre-start lxc 0 hk$RT_SFX lxc pre-start
pre-mount hk$RT_SFX lxc pre-mount
pre-mount no-proc
mount proc-mounted
autodev dev-null
start-host 0 100000 65536
stop stop
post-stop $T/hk.conf" "hooks ran in order, with LXC's arguments and environment"

rt_compile st "lxc.rootfs.path = $T/rootfs
lxc.uts.name = inside
$ids
lxc.hook.start = /bin/sh -c 'echo start \$(hostname) \$(id -u) >/start.log'" || exit 1
"$CORDON" start "$T/st.blob" -- /bin/true </dev/null
is "$(cat "$T/rootfs/start.log")" "start inside 0" "the start hook runs inside the container"
rm -f "$T/rootfs/start.log"

for h in pre-start pre-mount mount autodev start-host start; do
	rt_compile "f$h" "lxc.rootfs.path = $T/rootfs
$ids
lxc.hook.$h = /bin/false" || exit 1
	out=$("$CORDON" start "$T/f$h.blob" -- /bin/echo must-not-run </dev/null 2>&1)
	st=$?
	is "$out" "cordon: start f$h$RT_SFX: hook $h: '/bin/false' exited with status 1" "a failing $h hook fails the start"
	is "$st" "3" "a failing $h hook: exit 3"
	rt_clean "f$h" "a failing $h hook"
done
done_testing
