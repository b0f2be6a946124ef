#!/bin/bash
# Interception under load: LOAD_CONTAINERS containers (50) start, then all
# at once make LOAD_CALLS intercepted calls each (200 here; 1,000 in
# tests/long/intercept-load.sh), twice: sysinfo (its totalram checked
# against the containers' memory limit) and, every 50th call, a mknod of
# /dev/null's numbers.  Every call answered with the right result, every
# container exits 0, each monitor holds as many fds after the second round
# as after the first, and nothing is left behind.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
C=${LOAD_CONTAINERS:-50}
CALLS=${LOAD_CALLS:-200}
MIB=256
if ic_memory_v1; then limit="lxc.cgroup.memory.limit_in_bytes = ${MIB}M"; else limit="lxc.cgroup2.memory.max = ${MIB}M"; fi
ic_compile load "security.syscalls.intercept.sysinfo = true
security.syscalls.intercept.mknod = true
$limit" || exit 1
R=$T/rootfs
mkdir -p "$R/load"
chown 100000:100000 "$R/load"
names() { for i in $(seq "$C"); do echo "$N-l$i"; done; }
monitors() { pgrep -f "cordon-runtime.*$T/$N-load.blob"; }
# "PID COUNT" of every monitor's open fds, sorted by pid.
fd_counts() {
	local p
	for p in $(monitors); do echo "$p $(ls "/proc/$p/fd" 2>/dev/null | wc -l)"; done | sort -n
}
# wait_all WHAT: every container has made $R/load/WHAT.I (120 s at most).
wait_all() {
	local k
	for k in $(seq 1200); do
		[ "$(ls "$R/load" | grep -c "^$1\\.")" -ge "$C" ] && return 0
		sleep 0.1
	done
	return 1
}
cleanup_load() {
	: > "$R/load/start"; : > "$R/load/go"; : > "$R/load/end"
	wait
}
trap 'cleanup_load; rt_teardown' EXIT

t0=$(date +%s.%N)
for i in $(seq "$C"); do
	timeout -k 5 300 "$CORDON" start -n "$N-l$i" "$T/$N-load.blob" -- \
		/bin/icpt-helper load /load "$i" "$CALLS" $((MIB * 1024 * 1024)) </dev/null >"$T/start.$i" 2>&1 &
	echo $! >> "$T/pids"
done
wait_all up; ok $? "$C containers up"
t1=$(date +%s.%N)
: > "$R/load/start"
wait_all r1; ok $? "the first round ends"
t2=$(date +%s.%N)
fds1=$(fd_counts)
is "$(echo "$fds1" | grep -c .)" "$C" "one monitor per container"
: > "$R/load/go"
wait_all r2; ok $? "the second round ends"
t3=$(date +%s.%N)
fds2=$(fd_counts)
is "$fds2" "$fds1" "each monitor holds as many fds after the second round as after the first"
: > "$R/load/end"
failed=0
while read -r p; do wait "$p" || failed=$((failed + 1)); done < "$T/pids"
is "$failed" 0 "every container exited 0"
bad=$(for r in out1 out2; do for i in $(seq "$C"); do
	out=$(cat "$R/load/$r.$i" 2>/dev/null)
	case $out in "ok $CALLS "*) ;; *) echo "$r.$i: ${out:-no output} $(cat "$T/start.$i")";; esac
done; done)
is "$bad" "" "$((2 * C * CALLS)) intercepted calls: every one answered with the right result"
per=$(cat "$R/load/out1".* "$R/load/out2".* | awk '{ s += $3; n++ } END { if (n) printf "%.1f", s / n / 1000 }')
tap_diag "$C containers x $CALLS calls x 2 rounds: start $(echo "$t1 - $t0" | bc) s, round 1 $(echo "$t2 - $t1" | bc) s, round 2 $(echo "$t3 - $t2" | bc) s, ${per} us per call in a container (mean)"
left=$(for n in $(names); do rt_cgroups_of "$n"; [ -e "/run/cordon/$n" ] && echo "/run/cordon/$n"; done)
is "$left" "" "no cgroup and no state directory left"
is "$(grep -c "$T" /proc/self/mountinfo)" "0" "no mount left"
is "$(monitors | wc -l)" "0" "no monitor left"
done_testing
