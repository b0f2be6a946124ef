#!/bin/bash
# The init process: lxc.init.uid/gid/cwd, lxc.prlimit.*, namespaces kept or
# shared, a container without a user namespace.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
rt_setup --uid-shift 100000
ids="lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"
run() { local b=$1; shift; "$CORDON" start "$T/$b.blob" -- /bin/sh -c "$1" </dev/null 2>&1; }

mkdir -p "$T/rootfs/work"
rt_compile p "lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
$ids
lxc.init.uid = 1000
lxc.init.gid = 1001
lxc.init.cwd = /work
lxc.prlimit.nofile = 1024:4096
lxc.prlimit.core = 0" || exit 1
is "$(run p 'id -u; id -g; id -G' | tr '\n' ' ')" "1000 1001 1001 " "lxc.init.uid/gid, no supplementary groups"
is "$(run p pwd)" "/work" "lxc.init.cwd"
is "$(run p 'ulimit -n; ulimit -Hn' | tr '\n' ' ')" "1024 4096 " "lxc.prlimit.nofile"
is "$(run p 'ulimit -c')" "0" "lxc.prlimit.core"
is "$(run p 'grep CapEff /proc/self/status' | awk '{print $2}')" "0000000000000000" \
	"a non-root init has no effective capabilities after exec"

hard=$(ulimit -Hn)
rt_compile lim "lxc.rootfs.path = $T/rootfs
$ids
lxc.prlimit.nofile = $((hard + 1000))" || exit 1
if ! grep -q '^CapEff:.*' /proc/self/status || [ $(( 16#$(awk '/^CapEff/ {print $2}' /proc/self/status) >> 24 & 1 )) = 0 ]; then
	is "$(run lim true)" "cordon: start lim$RT_SFX: rlimits: lxc.prlimit.nofile = $((hard + 1000)):$((hard + 1000)): Operation not permitted" \
		"an rlimit above the host's hard limit without CAP_SYS_RESOURCE"
else
	skip "root has CAP_SYS_RESOURCE here"
fi

rt_compile priv "lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.uts.name = privileged" || exit 1
is "$(run priv 'cat /proc/self/uid_map' | tr -s ' ')" " 0 0 4294967295" "no lxc.idmap: no user namespace"
is "$(run priv 'hostname; echo $$' | tr '\n' ' ')" "privileged 1 " "still its own uts and pid namespaces"
bnd=$(( 16#$(awk '/^CapBnd/ {print $2}' /proc/self/status) ))
want=$(( $("$CORDON" dump "$T/priv.blob" | awk '$1 == "bounding:" {print $2}') & bnd ))
is "$(run priv 'grep CapBnd /proc/self/status' | awk '{print $2}')" "$(printf '%016x' "$want")" \
	"without a user namespace CapBnd is the blob's within the host's"

rt_compile keep "lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
$ids
lxc.namespace.keep = net uts" || exit 1
is "$(run keep hostname)" "$(hostname)" "lxc.namespace.keep = uts shares the host's hostname"
is "$(run keep 'ls /sys/class/net | grep -c .')" "$(ls /sys/class/net | grep -c .)" \
	"lxc.namespace.keep = net shares the host's interfaces"

rt_compile none "lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
$ids
lxc.net.0.type = none" || exit 1
is "$(run none 'cat /proc/net/dev | wc -l')" "$(wc -l < /proc/net/dev)" "lxc.net.0.type = none shares the host's network"

rt_compile empty "lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
$ids
lxc.net.0.type = empty" || exit 1
is "$(run empty 'ls /sys/class/net')" "lo" "lxc.net.0.type = empty: only lo"
like "$(run empty 'ip link show lo')" "LOOPBACK,UP" "lo is up"
is "$(run empty 'ip link set lo down && echo done')" "done" "the network namespace belongs to the container (root inside may configure it)"
rt_compile arch "lxc.rootfs.path = $T/rootfs
$ids
lxc.arch = i686" || exit 1
if [ "$(uname -m)" = x86_64 ]; then
	is "$(run arch 'uname -m')" "i686" "lxc.arch = i686 sets the personality"
else
	skip "not an x86_64 host"
fi
rt_clean p "process tests"
done_testing
