#!/bin/bash
# lxc.sysctl.*: set in the container's own namespaces and read back from
# inside (through the read-only /proc/sys of proc:mixed), the host's values
# unchanged; LXC's semantics (a name set again keeps its place, NAME =
# clears it, lxc.sysctl = clears all); the exact compile errors (a sysctl
# that is not namespaced, one whose namespace is the host's) with no blob
# written; a value the kernel refuses stops the start, naming the sysctl,
# and leaves nothing behind.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
command -v unshare >/dev/null || skip_all "no unshare(1)"
rt_setup --uid-shift 100000

base="lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"

host_shmmax=$(cat /proc/sys/kernel/shmmax)
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
host_dom=$(cat /proc/sys/kernel/domainname)
host_ping=$(cat /proc/sys/net/ipv4/ping_group_range)
host_msgmax=$(cat /proc/sys/fs/mqueue/msg_max)
fresh_shmmax=$(unshare -i cat /proc/sys/kernel/shmmax)
fresh_msgmax=$(unshare -i cat /proc/sys/fs/mqueue/msg_max)
new_fwd=$((1 - host_fwd))

run() { timeout -k 5 30 "$CORDON" start "$T/$1.blob" -- /bin/sh -c "$2" </dev/null 2>"$T/err"; }

# shmmax set twice: the second value, in the first one's place (LXC).
rt_compile set "$base
lxc.sysctl.kernel.shmmax = 11111
lxc.sysctl.net.ipv4.ip_forward = $new_fwd
lxc.sysctl.net.ipv4.ping_group_range = 0 0
lxc.sysctl.fs.mqueue.msg_max = 42
lxc.sysctl.kernel.domainname = cordon.test
lxc.sysctl.kernel.shmmax = 12345678" || exit 1
out=$(run set 'cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/ping_group_range \
	/proc/sys/fs/mqueue/msg_max /proc/sys/kernel/domainname; (echo x > /proc/sys/kernel/shmmax) 2>/dev/null || echo ro')
is "$out" "12345678
$new_fwd
0	0
42
cordon.test
ro" "lxc.sysctl: ipc, net, mqueue and uts settings read back from inside; /proc/sys stays read-only"
is "$(cat "$T/err")" "" "no message on stderr"
is "$(cat /proc/sys/kernel/shmmax) $(cat /proc/sys/net/ipv4/ip_forward) $(cat /proc/sys/kernel/domainname)" \
	"$host_shmmax $host_fwd $host_dom" "the host's kernel.shmmax, ip_forward and domainname are unchanged"
is "$(cat /proc/sys/net/ipv4/ping_group_range) $(cat /proc/sys/fs/mqueue/msg_max)" "$host_ping $host_msgmax" \
	"the host's ping_group_range and fs.mqueue.msg_max are unchanged"
rt_clean set "a container with sysctls"

# Clearing: NAME = removes that one, lxc.sysctl = removes all before it.
rt_compile clear "$base
lxc.sysctl.kernel.shmmax = 12345678
lxc.sysctl.fs.mqueue.msg_max = 42
lxc.sysctl.kernel.shmmax =
lxc.sysctl.kernel.msgmax = 5000" || exit 1
is "$(run clear 'cat /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max /proc/sys/kernel/msgmax')" "$fresh_shmmax
42
5000" "lxc.sysctl.kernel.shmmax = (empty) clears that setting only"
rt_compile clearall "$base
lxc.sysctl.kernel.shmmax = 12345678
lxc.sysctl.fs.mqueue.msg_max = 42
lxc.sysctl =
lxc.sysctl.kernel.msgmax = 6000" || exit 1
is "$(run clearall 'cat /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max /proc/sys/kernel/msgmax')" "$fresh_shmmax
$fresh_msgmax
6000" "lxc.sysctl = clears every setting before it, not after"

# Compile errors: exact text, exit 1, no blob.
compile_fails() {
	local name=$1 conf=$2 want=$3 what=$4
	printf '%s\n' "$conf" > "$T/$name.conf"
	local out st
	out=$(cd "$T" && "$CORDON" compile "$name.conf" -o "$name.blob" 2>&1)
	st=$?
	is "$(printf '%s\n' "$out" | grep 'error:')" "$want" "$what: message"
	is "$st" "1" "$what: exit code 1"
	ok "$([ ! -e "$T/$name.blob" ]; echo $?)" "$what: no blob written"
}
compile_fails core "$base
lxc.sysctl.kernel.core_pattern = |/tmp/x" \
	"cordon: core.conf:5:12: error: sysctl 'kernel.core_pattern' is not namespaced: setting it from a container would change the host (a container may set kernel.msgmax, kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall, kernel.shmmax, kernel.shmmni, kernel.shm_rmid_forced, fs.mqueue.* (ipc namespace), net.* (network namespace), kernel.hostname and kernel.domainname (uts namespace))" \
	"a sysctl that is not namespaced"
compile_fails hostnet "$base
lxc.net.0.type = none
lxc.sysctl.net.ipv4.ip_forward = 1" \
	"cordon: hostnet.conf:6:12: error: sysctl 'net.ipv4.ip_forward' needs a network namespace of the container's own, but it shares the host's (lxc.net.N.type = none, lxc.namespace.keep or lxc.namespace.clone)" \
	"a net sysctl with the host's network namespace"
compile_fails hostipc "$base
lxc.namespace.keep = ipc
lxc.sysctl.kernel.sem = 250 32000 32 128" \
	"cordon: hostipc.conf:6:12: error: sysctl 'kernel.sem' needs an ipc namespace of the container's own, but it shares the host's (lxc.namespace.keep or lxc.namespace.clone)" \
	"an ipc sysctl with the host's ipc namespace"
compile_fails uts "$base
lxc.uts.name = box
lxc.sysctl.kernel.hostname = other" \
	"cordon: uts.conf:6:12: error: sysctl 'kernel.hostname' conflicts with lxc.uts.name: set the host name with one of them" \
	"kernel.hostname with lxc.uts.name"
compile_fails names "$base
lxc.sysctl.net..ipv4 = 1
lxc.sysctl = 1" \
	"cordon: names.conf:5:12: error: invalid sysctl name 'net..ipv4': has an empty component
cordon: names.conf:6:1: error: 'lxc.sysctl' takes no value: set one with lxc.sysctl.NAME = VALUE, or leave the value empty to clear every lxc.sysctl.* setting" \
	"a bad name and a value on lxc.sysctl"

# A value the kernel refuses: the start stops before the container runs,
# naming the sysctl; nothing is left.
rt_compile badval "$base
lxc.sysctl.kernel.shmmax = lots" || exit 1
out=$("$CORDON" start "$T/badval.blob" -- /bin/true 2>&1 </dev/null)
st=$?
is "$out" "cordon: start badval$RT_SFX: sysctl 'kernel.shmmax' = 'lots': write '/proc/sys/kernel/shmmax': Invalid argument" \
	"a value the kernel refuses: message"
is "$st" "3" "a value the kernel refuses: exit code 3"
rt_clean badval "a refused sysctl value"
rt_compile nosuch "$base
lxc.sysctl.net.ipv4.no_such_setting = 1" || exit 1
out=$("$CORDON" start "$T/nosuch.blob" -- /bin/true 2>&1 </dev/null)
is "$out" "cordon: start nosuch$RT_SFX: sysctl 'net.ipv4.no_such_setting' = '1': open '/proc/sys/net/ipv4/no_such_setting': No such file or directory" \
	"a sysctl the kernel does not have: message"
rt_clean nosuch "a missing sysctl"
done_testing
