#!/bin/bash
# cordon start -d: the caller returns once the container runs; the monitor
# keeps /run/cordon/NAME (lock, pid, monitor) and removes it, and the
# cgroups, when the container ends.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
rt_setup --uid-shift 100000
rt_compile dmn "lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536" || exit 1
D=dmn$RT_SFX
[ -e "/run/cordon/$D" ] && skip_all "/run/cordon/$D exists already"

"$CORDON" start -d "$T/dmn.blob" -- /bin/sh -c 'while [ ! -e /stop ]; do sleep 0.05; done; exit 5' </dev/null
is "$?" "0" "start -d returns 0 once the container runs"
st=/run/cordon/$D
ok "$([ -f $st/lock ] && [ -f $st/pid ] && [ -f $st/monitor ]; echo $?)" "state: lock, pid, monitor"
mon=$(cat $st/monitor 2>/dev/null) init=$(cat $st/pid 2>/dev/null)
like "$(tr '\0' ' ' < "/proc/$mon/cmdline")" "cordon-runtime -d .*dmn.blob" "the monitor runs"
ok "$([ "$(awk '{print $6}' "/proc/$mon/stat")" != "$(awk '{print $6}' /proc/$$/stat)" ]; echo $?)" \
	"the monitor left the caller's session (setsid)"
like "$(cat "/proc/$init/cgroup")" "cordon-$D" "the pid file names the container's init"
ok "$(flock -n $st/lock true; [ $? -ne 0 ]; echo $?)" "the lock is held"
out=$("$CORDON" start -d "$T/dmn.blob" -- /bin/true 2>&1 </dev/null)
like "$out" "^cordon: start $D: cgroup: a container named '$D' is running already" \
	"a second -d start of the name is refused, by the caller"
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$mon/status")
tap_diag "monitor peak RSS: $hwm kB"
if readelf -d "$RUNTIME" 2>/dev/null | grep -q 'libasan'; then
	skip "the monitor's peak RSS: built with the sanitizers"
else
	ok "$([ "$hwm" -le 1536 ]; echo $?)" "the monitor's peak RSS is at most 1.5 MiB ($hwm kB)"
fi

touch "$T/rootfs/stop"
for _ in $(seq 100); do [ -e "/proc/$mon" ] || break; sleep 0.05; done
ok "$([ ! -e "/proc/$mon" ]; echo $?)" "the monitor exits with the container"
rt_clean dmn "a detached container"

# State left by a monitor that was killed (its lock is free) is replaced.
rm -f "$T/rootfs/stop"
mkdir -p "/run/cordon/$D" && echo 1 > "/run/cordon/$D/pid" && : > "/run/cordon/$D/lock"
"$CORDON" start -d "$T/dmn.blob" -- /bin/sh -c 'while [ ! -e /stop ]; do sleep 0.05; done' </dev/null
st=$?
[ "$st" = 0 ] || rm -rf "/run/cordon/$D"   # what this test made, when the start failed
is "$st" "0" "start -d replaces stale state"
mon=$(cat "/run/cordon/$D/monitor" 2>/dev/null)
ok "$([ -n "$mon" ] && [ "$(cat "/run/cordon/$D/pid")" != 1 ]; echo $?)" "the stale pid file was rewritten"
touch "$T/rootfs/stop"
for _ in $(seq 100); do [ -e "/proc/$mon" ] || break; sleep 0.05; done
rt_clean dmn "a detached container over stale state"

rm -f "$T/rootfs/stop"
rt_compile dbad "lxc.rootfs.path = $T/nowhere
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536" || exit 1
out=$("$CORDON" start -d "$T/dbad.blob" 2>&1 </dev/null)
st=$?
is "$out" "cordon: start dbad$RT_SFX: rootfs: open '$T/nowhere': No such file or directory" "start -d reports a failed start"
is "$st" "3" "start -d: exit code 3 for a failed start"
rt_clean dbad "a failed detached start"
done_testing
