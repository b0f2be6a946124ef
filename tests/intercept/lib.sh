# shellcheck shell=bash
# Shared by tests/intercept/*.sh: an unprivileged busybox container (ids
# shifted by 100000) with tests/intercept/icpt-helper in /bin, configs
# compiled with interception keys on or off.  Source after tests/tap.sh.
. "$top_srcdir/tests/runtime/lib.sh"
HELPER=$top_builddir/tests/intercept/icpt-helper
rt_require_root
[ -x "$HELPER" ] || skip_all "tests/intercept/icpt-helper not built"
rt_setup --uid-shift 100000
cp "$HELPER" "$T/rootfs/bin/icpt-helper"
N=ic$$
base="lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"

# ic_compile NAME [KEY=VALUE LINES]: container ic$$-NAME.
ic_compile() {
	local name=$1; shift
	rt_compile "$N-$name" "lxc.uts.name = $N-$name
$base
$*"
}

# ic_run NAME SHELL-COMMAND: run it in container NAME (IC_TIMEOUT, 30 s, at most, then
# SIGKILL: the init ignores a forwarded SIGTERM).
ic_run() {
	local name=$1; shift
	timeout -k 5 "${IC_TIMEOUT:-30}" "$CORDON" start "$T/$N-$name.blob" -- /bin/sh -c "$1" </dev/null 2>&1
}

# The memory hierarchy's layout: v1 on a hybrid host, else v2.
ic_memory_v1() {
	grep -qE ' - cgroup cgroup [^ ]*memory' /proc/self/mountinfo
}
