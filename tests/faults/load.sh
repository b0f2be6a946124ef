#!/bin/bash
# Load: LOAD_CONTAINERS managed containers (default 10) started with -d at
# once, exercised at once (each init keeps writing a heartbeat; two
# commands through `cordon attach`, one of them making intercepted sysinfo
# calls), and stopped at once, for LOAD_ROUNDS rounds (default 2).  Every
# command succeeds; after each round no cgroup, mount, state directory,
# process or zombie is left; each monitor's fd count (/proc/PID/fd) is the
# same after the exercise as after the start, and the same in every round.
# tests/long/load.sh runs it with 50 containers for 10 rounds; the figures
# (seconds per round, peak RSS of a monitor, memory in use) are printed as
# TAP comments.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faults/lib.sh"
. "$top_srcdir/tests/manager/lib.sh"
NC=${LOAD_CONTAINERS:-10}
ROUNDS=${LOAD_ROUNDS:-2}
mg_require_root
mg_setup
# The profiles as they are now: a long run outlives edits to the tree's.
cp -rL "$top_srcdir/profiles" "$T/profiles"
export CORDON_PROFILES_DIR=$T/profiles
N=ld$$
names=
for i in $(seq "$NC"); do names="$names $N-$i"; done
load_teardown() {
	local d
	for d in /run/cordon/$N-*; do
		[ -d "$d" ] && kill -KILL "$(cat "$d/monitor" 2>/dev/null)" 2>/dev/null
	done
	sleep 0.3
	for d in $(ft_cgroups_of "$N-*"); do rmdir "$d" 2>/dev/null; done
	rm -rf /run/cordon/"$N"-*
	mg_teardown
}
trap load_teardown EXIT

# Create them (in parallel, two at a time per core is plenty).
fail=0
for n in $names; do
	"$CORDON" create "$n" -t busybox -P "$P" >/dev/null 2>"$T/create-$n.err" &
done
wait
for n in $names; do
	[ -f "$P/$n/$n.blob" ] || { fail=1; tap_diag "create $n: $(cat "$T/create-$n.err")"; }
	printf 'security.syscalls.intercept.sysinfo = true\n' >> "$P/$n/config"
	"$CORDON" compile -P "$P" "$n" >/dev/null 2>>"$T/create-$n.err" || fail=1
done
[ "$fail" = 0 ] || { echo "Bail out! creating $NC containers failed"; exit 1; }

init_cmd='trap "exit 0" PWR; i=0; while :; do i=$((i + 1)); echo $i > /tmp/beat; sleep 0.2; done'
mem_used() { awk '/^MemTotal:/ {t = $2} /^MemAvailable:/ {a = $2} END {print t - a}' /proc/meminfo; }
base_mem=$(mem_used)
peak_hwm=0 peak_mem=0 peak_rss=0 first_fds=
# run_all CMD...: run "CMD NAME" for every container at once; the names
# whose command failed are printed, with their output under $T/out-NAME.
run_all() {
	local n pids=() bad=
	for n in $names; do
		"$@" "$n" >"$T/out-$n" 2>&1 </dev/null &
		pids+=("$!")
	done
	local k=0
	for n in $names; do
		wait "${pids[$k]}" || bad="$bad $n"
		k=$((k + 1))
	done
	echo "$bad"
}
# diag_some WHAT NAMES...: the output of the first three.
diag_some() {
	local what=$1 n; shift
	for n in "${@:1:3}"; do tap_diag "$what $n: $(cat "$T/out-$n")"; done
}
start_one() { "$CORDON" start -d -P "$P" "$1" -- /bin/sh -c "$init_cmd"; }
attach_one() {
	"$CORDON" attach -P "$P" "$1" -- /bin/sh -c 'echo $((6 * 7)); ls / | grep -c bin; free | grep -c Mem' &&
	"$CORDON" attach -P "$P" "$1" -- /bin/sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo'
}
stop_one() { "$CORDON" stop -t 5 -P "$P" "$1"; }
fds_of() { local n m; for n in $names; do m=$(cat "/run/cordon/$n/monitor" 2>/dev/null); ls "/proc/$m/fd" 2>/dev/null | wc -l; done | tr '\n' ' '; }

for r in $(seq "$ROUNDS"); do
	t0=$(date +%s.%N)
	rm -f "$P"/*/rootfs/tmp/beat
	bad=$(run_all start_one)
	is "$bad" "" "round $r: $NC containers start at once"
	diag_some start $bad
	after_start=$(fds_of)
	beats=0
	for _ in $(seq 100); do
		beats=$(for n in $names; do [ -s "$P/$n/rootfs/tmp/beat" ] && echo; done | wc -l)
		[ "$beats" = "$NC" ] && break
		sleep 0.1
	done
	is "$beats" "$NC" "round $r: every init is working"
	bad=$(run_all attach_one)
	is "$bad" "" "round $r: two attached commands in each, at once"
	diag_some attach $bad
	wrong=
	for n in $names; do
		[ "$(cat "$T/out-$n")" = "42
2
1
/bin/sh -c $init_cmd " ] || wrong="$wrong $n"
	done
	is "$wrong" "" "round $r: the attached commands' output is right"
	diag_some output $wrong
	after_exercise=$(fds_of)
	is "$after_exercise" "$after_start" "round $r: each monitor's fd count is flat across the exercise"
	[ -z "$first_fds" ] && first_fds=$after_start
	is "$after_start" "$first_fds" "round $r: the monitors' fd counts are round 1's"
	# Memory while all run: the largest monitor peak, and the resident
	# memory of every monitor and every process in the containers.
	rss=0
	for n in $names; do
		m=$(cat "/run/cordon/$n/monitor" 2>/dev/null)
		h=$(awk '/^VmHWM:/ {print $2}' "/proc/$m/status" 2>/dev/null)
		[ -n "$h" ] && [ "$h" -gt "$peak_hwm" ] && peak_hwm=$h
		for p in $m $(cat $(ft_cgroups_of "$n" | sed 's|$|/cgroup.procs|') 2>/dev/null | sort -u); do
			v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null)
			rss=$((rss + ${v:-0}))
		done
	done
	[ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
	m=$(( $(mem_used) - base_mem )); [ "$m" -gt "$peak_mem" ] && peak_mem=$m
	bad=$(run_all stop_one)
	is "$bad" "" "round $r: $NC containers stop at once"
	diag_some stop $bad
	t1=$(date +%s.%N)
	left=
	for n in $names; do
		[ -n "$(ft_cgroups_of "$n")" ] && left="$left cgroup:$n"
		[ -e "/run/cordon/$n" ] && left="$left state:$n"
	done
	is "$left" "" "round $r: no cgroup or state left"
	is "$(grep -cF " $P/" /proc/self/mountinfo)" "0" "round $r: no mount left"
	is "$(pgrep -f -- "$P/" | tr '\n' ' ')" "" "round $r: no process left"
	is "$(ft_zombies_of_cordon)" "" "round $r: no zombie left by cordon or the runtime"
	tap_diag "round $r: $(echo "$t1 - $t0" | bc) s for $NC containers (start, exercise, stop); resident: $((rss / 1024)) MiB (monitors and containers); host memory in use after the stop: $(( ($(mem_used) - base_mem) / 1024 )) MiB over the start"
done
tap_diag "peak: a monitor's VmHWM $peak_hwm kB; monitors and containers resident $((peak_rss / 1024)) MiB; host memory in use +$((peak_mem / 1024)) MiB over the start (other processes of the host included)"
done_testing
