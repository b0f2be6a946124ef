#!/bin/bash
# A failure injected at each step of the start sequence (CORDON_FAULT=step,
# tests/faults/cordon-runtime-faults): cordon start fails with exit 3 and
# "fault injected at step 'STEP'", and leaves no cgroup (below any cgroup
# mount point), no mount, no /run/cordon/NAME and no process, in the
# foreground and in daemon mode.  The container has every feature a step
# acts on: a user namespace, device rules, ttys, hooks, mounts, limits,
# capabilities, a seccomp filter with a listener (interception).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faults/lib.sh"
ft_require
RUNTIME=$FAULTS_RUNTIME
export CORDON_RUNTIME=$RUNTIME
rt_setup --uid-shift 100000
N=flt$$
rt_compile "$N" "lxc.include = $top_srcdir/profiles/default.conf
lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.mount.entry = tmpfs tmp tmpfs rw,nosuid,size=1m 0 0
lxc.tty.max = 2
lxc.prlimit.nofile = 1024
lxc.hook.pre-start = true
lxc.hook.start = true
lxc.hook.start-host = true
security.syscalls.intercept.sysinfo = true" || exit 1
# Whatever a failed test left: kill it by the cgroups named after it.
ft_teardown() {
	local d
	for d in /run/cordon/$N-*; do
		[ -d "$d" ] && kill -KILL "$(cat "$d/monitor" 2>/dev/null)" 2>/dev/null
	done
	sleep 0.2
	for d in $(ft_cgroups_of "$N-*"); do rmdir "$d" 2>/dev/null; done
	rm -rf /run/cordon/"$N"-*
	rt_teardown
}
trap ft_teardown EXIT
before=$(grep -F "$T" /proc/self/mountinfo)
is "$before" "" "no mount of the test directory to start with"

# The container starts with no fault (and with a point that names no step).
out=$(CORDON_FAULT=nowhere timeout -k 5 30 "$CORDON" start -n "$N-ok" "$T/$N.blob" -- /bin/sh -c 'echo started' </dev/null 2>&1)
is "$?:$out" "0:started" "no fault: the container runs"
ft_clean "$N-ok" "no fault" "$before"

steps="cgroup-create devices state hook-pre-start ttys userns clone cgroup-enter ns-early rootfs mounts
dev masks pivot ns-late hostname hook-start limits ids caps apparmor hook-start-host seccomp listener exec
state-pid"
for step in $steps; do
	for mode in F d; do
		n=$N-$mode-$step
		out=$(CORDON_FAULT=$step timeout -k 5 30 "$CORDON" start -$mode -n "$n" "$T/$N.blob" \
			-- /bin/sh -c 'while :; do sleep 1; done' "$n" </dev/null 2>&1)
		rc=$?
		is "$rc:$out" "3:cordon: start $n: fault injected at step '$step': Input/output error" \
			"-$mode, fault at $step: exit 3 and the step named"
		ft_clean "$n" "-$mode, fault at $step" "$before"
	done
done
is "$(ft_zombies_of_cordon)" "" "no zombie left by cordon or the runtime"

# The errno given with the point is the one reported.
n=$N-errno
out=$(CORDON_FAULT=clone:ENOMEM timeout -k 5 30 "$CORDON" start -n "$n" "$T/$N.blob" -- /bin/true </dev/null 2>&1)
is "$?:$out" "3:cordon: start $n: fault injected at step 'clone': Cannot allocate memory" "CORDON_FAULT=clone:ENOMEM"
out=$(CORDON_FAULT=mounts:28 timeout -k 5 30 "$CORDON" start -n "$n" "$T/$N.blob" -- /bin/true </dev/null 2>&1)
is "$?:$out" "3:cordon: start $n: fault injected at step 'mounts': No space left on device" "CORDON_FAULT=mounts:28"
ft_clean "$n" "errno variants" "$before"
done_testing
