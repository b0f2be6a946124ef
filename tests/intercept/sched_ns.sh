#!/bin/bash
# sched_setscheduler interception resolves the pid in the caller's pid
# namespace (a child of the supervisor made in that namespace makes the
# call), so a number can only name a process of the container: the
# container's own process by its in-container pid (its policy read back
# there), a process of a pid namespace nested in the container by the pid
# the caller sees, and ESRCH for a number that is a host process's but no
# container process's (that host process keeps its policy).  With
# SCHED_BENCH=N the handler's cost per call is printed (pid 0 and another
# process's pid, N calls each).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
SH=$top_builddir/tests/intercept/sched_helper
[ -x "$SH" ] || skip_all "tests/intercept/sched_helper not built"
cp "$SH" "$T/rootfs/bin/sched_helper"
ic_compile on "security.syscalls.intercept.sched_setscheduler = true" || exit 1

out=$(ic_run on 'sleep 30 & p=$!; sched_helper set $p fifo 7; kill $p')
is "$out" "ok 1" "the container's own process, by its in-container pid, gets SCHED_FIFO (read back in the container)"
out=$(ic_run on 'sleep 30 & p=$!; sched_helper set $p rr 3; sched_helper set $p other 0; kill $p')
is "$out" "ok 2
ok 0" "... and SCHED_RR, then SCHED_OTHER again"
is "$(ic_run on 'sched_helper nested')" "ok 1" \
	"a process of a pid namespace nested in the container, by the pid the caller sees: SCHED_FIFO"

# A host process whose pid number no container process has (the container
# has a handful of low pids).
sleep 60 &
hp=$!
policy() { awk '{ sub(/.*\) /, ""); print $39 }' "/proc/$1/stat"; }
is "$(policy "$hp")" 0 "the host process ($hp) starts as SCHED_OTHER"
is "$(ic_run on "sched_helper set $hp fifo 9")" "errno 3" \
	"a pid that names no process in the container but a host process: ESRCH"
is "$(policy "$hp")" 0 "... and the host process keeps SCHED_OTHER"
kill "$hp"
wait "$hp" 2>/dev/null

if [ -n "${SCHED_BENCH:-}" ]; then
	tap_diag "pid 0: $(ic_run on "sched_helper bench 0 $SCHED_BENCH")"
	tap_diag "another pid: $(ic_run on "sleep 30 & p=\$!; sched_helper bench \$p $SCHED_BENCH; kill \$p")"
fi
rt_clean "$N-on" "sched_setscheduler in the caller's pid namespace"
done_testing
