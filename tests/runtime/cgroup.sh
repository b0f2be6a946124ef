#!/bin/bash
# The container's cgroups: made below the runtime's own, the blob's settings
# written (v1 files on v1 hierarchies, v2 files on cgroup2), refused clearly
# when the host lacks the controller, removed on exit.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
rt_setup --uid-shift 100000

base="lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro cgroup:mixed
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"

if awk '$5 == "/sys/fs/cgroup" && $0 ~ / - cgroup2 /' /proc/self/mountinfo | grep -q .; then
	layout="pure cgroup2"
elif awk '$5 == "/sys/fs/cgroup/unified" && $0 ~ / - cgroup2 /' /proc/self/mountinfo | grep -q .; then
	layout=hybrid
else
	layout="cgroup v1 only"
fi
tap_diag "layout: $layout"

# start_bg NAME: run a container of NAME.blob sleeping; $init is its pid.
start_bg() {
	"$CORDON" start "$T/$1.blob" -- /bin/sh -c 'sleep 10' </dev/null &
	mon=$!
	init=
	# the pid file is written once the init is in every cgroup (the v1
	# ones are entered after the clone)
	for _ in $(seq 100); do
		init=$(cat "/run/cordon/$1$RT_SFX/pid" 2>/dev/null)
		[ -n "$init" ] && break
		sleep 0.05
	done
}
stop_bg() { kill -TERM "$mon"; kill -KILL "$init" 2>/dev/null; wait "$mon"; }

# Which v1 hierarchy holds a controller, and the runtime's place in it.
v1_dir() {
	local mnt own
	mnt=$(awk -v c="$1" '$0 ~ / - cgroup / { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) print $5 }' /proc/self/mountinfo | head -1)
	own=$(awk -F: -v c="$1" '{ n = split($2, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) print $3 }' /proc/self/cgroup)
	[ -n "$mnt" ] && echo "$mnt${own%/}"
}

if [ "$layout" != "pure cgroup2" ] && [ -n "$(v1_dir memory)" ] && [ -n "$(v1_dir pids)" ]; then
	rt_compile v1 "$base
lxc.cgroup.memory.limit_in_bytes = 67108864
lxc.cgroup.pids.max = 42" || exit 1
	start_bg v1
	is "$(cat "$(v1_dir memory)/cordon-v1$RT_SFX/memory.limit_in_bytes")" "67108864" "v1 memory.limit_in_bytes written"
	is "$(cat "$(v1_dir pids)/cordon-v1$RT_SFX/pids.max")" "42" "v1 pids.max written"
	like "$(cat "/proc/$init/cgroup")" "memory:.*/cordon-v1$RT_SFX" "init is in the v1 memory cgroup"
	like "$(cat "/proc/$init/cgroup")" "pids:.*/cordon-v1$RT_SFX" "init is in the v1 pids cgroup"
	stop_bg
	rt_clean v1 "a container with v1 settings"
else
	skip "no v1 memory and pids hierarchies ($layout)"
fi

rt_compile v2 "$base
lxc.cgroup2.memory.max = 67108864
lxc.cgroup2.pids.max = 42" || exit 1
unified=$(awk '$0 ~ / - cgroup2 / {print $5; exit}' /proc/self/mountinfo)
own2=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
if [ -n "$unified" ] && grep -qw memory "$unified${own2%/}/cgroup.controllers" && grep -qw pids "$unified${own2%/}/cgroup.controllers"; then
	start_bg v2
	is "$(cat "$unified${own2%/}/cordon-v2$RT_SFX/memory.max")" "67108864" "cgroup2 memory.max written"
	is "$(cat "$unified${own2%/}/cordon-v2$RT_SFX/pids.max")" "42" "cgroup2 pids.max written"
	stop_bg
else
	out=$("$CORDON" start "$T/v2.blob" -- /bin/true 2>&1 </dev/null)
	is "$out" "cordon: start v2$RT_SFX: cgroup: cgroup2 controller 'memory' is not available in '$unified${own2%/}' ($layout layout)" \
		"a cgroup2 setting for a controller the host lacks is refused"
fi
rt_clean v2 "a container with cgroup2 settings"

if [ "$layout" = "pure cgroup2" ]; then
	rt_compile v1only "$base
lxc.cgroup.memory.limit_in_bytes = 67108864" || exit 1
	is "$("$CORDON" start "$T/v1only.blob" -- /bin/true 2>&1 </dev/null)" \
		"cordon: start v1only$RT_SFX: cgroup: setting 'memory.limit_in_bytes': cgroup v1 controller 'memory' is not available (pure cgroup2 layout)" \
		"a v1 setting on a pure cgroup2 host is refused"
	rt_clean v1only "a refused v1 setting"
else
	skip "the host has v1 hierarchies ($layout)"
fi

# The container's view: its own cgroup is the root of its cgroup namespace
# and the only writable one.
rt_compile view "$base" || exit 1
if [ "$layout" = "pure cgroup2" ]; then
	want="cgroup2 /sys/fs/cgroup rw"
else
	want="cgroup2 /sys/fs/cgroup/unified rw"
fi
mounts=$("$CORDON" start "$T/view.blob" -- /bin/cat /proc/self/mounts </dev/null)
like "$mounts" "cgroup[2]? /sys/fs/cgroup[^ ]* cgroup2 rw," "the container's cgroup2 is mounted writable ($want)"
if [ "$layout" != "pure cgroup2" ]; then
	like "$mounts" "cgroup /sys/fs/cgroup/memory cgroup ro," "a v1 hierarchy the container has no cgroup in is read-only"
	like "$mounts" "tmpfs /sys/fs/cgroup tmpfs ro," "/sys/fs/cgroup is a read-only tmpfs"
fi
cgdir=/sys/fs/cgroup/unified
[ "$layout" = "pure cgroup2" ] && cgdir=/sys/fs/cgroup
is "$("$CORDON" start "$T/view.blob" -- /bin/sh -c "cat $cgdir/cgroup.procs; find $cgdir -mindepth 1 -type d | wc -l" </dev/null | tr '\n' ' ')" "1 2 0 " \
	"the cgroup2 mount shows the container's own cgroup (holding only sh and cat, pids 1 and 2) as its root"
rt_clean view "a container with cgroup mounts"
done_testing
