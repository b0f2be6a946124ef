#!/bin/bash
# The monitor: signals forwarded to init, the status of a death by signal.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
rt_setup --uid-shift 100000
rt_compile sig "
lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536" || exit 1

# /ready is written inside the rootfs: the test sees it as $T/rootfs/ready.
loop='trap "exit 42" TERM; trap "exit 43" USR1; trap "exit 44" HUP; : > /ready; while :; do sleep 0.05; done'
T_ready() { [ -e "$T/rootfs/ready" ]; }
# wait_ready: until the init's traps are set (a signal sent before that would
# meet a pid-namespace init without a handler, which ignores it); up to 60 s
# on a loaded machine.
wait_ready() { for _ in $(seq 1200); do T_ready && return 0; sleep 0.05; done; return 1; }
# bounded_wait PID: wait for it, SIGKILLing it after 60 s so a lost signal
# fails the test instead of hanging it.
bounded_wait() {
	(sleep 60; kill -KILL "$1" 2>/dev/null) & local dog=$!
	wait "$1"; local rc=$?
	kill "$dog" 2>/dev/null; wait "$dog" 2>/dev/null
	return "$rc"
}

for s in TERM:42 USR1:43 HUP:44; do
	sig=${s%:*} want=${s#*:}
	rm -f "$T/rootfs/ready"
	"$CORDON" start "$T/sig.blob" -- /bin/sh -c "$loop" &
	mon=$!
	wait_ready
	kill "-$sig" "$mon"
	bounded_wait "$mon"
	is "$?" "$want" "SIG$sig to the monitor reaches init (its trap exits $want)"
done

# A caller that ignores SIGHUP (nohup, a CI): the monitor still forwards it
# and the init starts with every disposition at its default (a shell cannot
# trap a signal ignored on entry).  The whole script run with SIGHUP ignored
# (`trap "" HUP` before it, as `nohup` does) failed the loop's SIGHUP case
# before the runtime reset the init's dispositions.
rm -f "$T/rootfs/ready"
(trap '' HUP; exec "$CORDON" start "$T/sig.blob" -- /bin/sh -c "$loop") &
mon=$!
wait_ready
kill -HUP "$mon"
bounded_wait "$mon"
is "$?" "44" "under nohup: SIGHUP still reaches init and its trap"

rm -f "$T/rootfs/ready"
"$CORDON" start "$T/sig.blob" -- /bin/sh -c "$loop" &
mon=$!
wait_ready
init=$(head -1 "$(rt_cgroups_of sig | head -1)/cgroup.procs")
kill -KILL "$init"
bounded_wait "$mon"
is "$?" "137" "init killed by SIGKILL: status 128+9"

rm -f "$T/rootfs/ready"
"$CORDON" start "$T/sig.blob" -- /bin/sh -c "$loop" &
mon=$!
wait_ready
init=$(head -1 "$(rt_cgroups_of sig | head -1)/cgroup.procs")
kill -KILL "$mon"
wait "$mon" 2>/dev/null
for _ in $(seq 100); do [ -e "/proc/$init" ] || break; sleep 0.05; done
ok "$([ ! -e "/proc/$init" ]; echo $?)" "init dies with its monitor (PR_SET_PDEATHSIG)"
# A killed monitor cannot clean up: remove what it left for the checks below.
for d in $(rt_cgroups_of sig); do rmdir "$d" 2>/dev/null; done

rm -f "$T/rootfs/ready"
"$CORDON" start "$T/sig.blob" -- /bin/sh -c "sleep 100 & $loop" &
mon=$!
wait_ready
kill -TERM "$mon"; bounded_wait "$mon"
is "$?" "42" "a container with a background process stops on SIGTERM"
rt_clean sig "a signalled container"
done_testing
