#!/bin/bash
# A SIGKILLed monitor: the container's init dies with it (PDEATHSIG); its
# cgroups and /run/cordon/NAME stay, recorded in /run/cordon/NAME/cgroups.
# The next cordon command on the container (list, info, start, stop,
# destroy) says "cordon: NAME: the monitor died (pid N); removed its stale
# state" once and removes them; so does the runtime when a blob of the name
# is started.  Only what the file names is removed, and only a cgroup named
# cordon-NAME on a cgroup filesystem below a cgroup mount point: decoys are
# refused and kept.  (A killed supervisor is tests/intercept/core.sh's:
# it is the monitor's threads, and a killed monitor leaves no task waiting.)
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faults/lib.sh"
. "$top_srcdir/tests/manager/lib.sh"
mg_require_root
mg_setup
cp -rL "$top_srcdir/profiles" "$T/profiles"
export CORDON_PROFILES_DIR=$T/profiles
N=stl$$
DECOYS=
teardown() {
	local d
	for d in $DECOYS; do rmdir "$d" 2>/dev/null; done
	for d in /run/cordon/$N-*; do
		[ -d "$d" ] && kill -KILL "$(cat "$d/monitor" 2>/dev/null)" 2>/dev/null
	done
	sleep 0.2
	for d in $(ft_cgroups_of "$N-*"); do rmdir "$d" 2>/dev/null; done
	rm -rf /run/cordon/$N-*
	mg_teardown
}
trap teardown EXIT

# kill_monitor NAME: start NAME -d, SIGKILL its monitor; $mon, $init, $cgs.
kill_monitor() {
	local n=$1
	"$CORDON" start -d -P "$P" "$n" </dev/null || { tap_diag "start $n failed"; return 1; }
	mon=$(cat "/run/cordon/$n/monitor") init=$(cat "/run/cordon/$n/pid")
	cgs=$(ft_cgroups_of "$n" | sort)
	kill -KILL "$mon"
	mg_wait_gone "$init"
}

for cmd in list info start stop destroy; do
	n=$N-$cmd
	"$CORDON" create "$n" -t busybox -P "$P" >/dev/null || { echo "Bail out! create failed"; exit 1; }
	kill_monitor "$n"
	ok "$?" "$cmd: the init (pid $init) dies with its SIGKILLed monitor (PDEATHSIG)"
	ok "$([ -n "$cgs" ]; echo $?)" "$cmd: the container had cgroups ($(echo $cgs))"
	is "$(sort "/run/cordon/$n/cgroups" 2>/dev/null)" "$cgs" "$cmd: /run/cordon/$n/cgroups names them"
	is "$(ft_cgroups_of "$n" | sort)" "$cgs" "$cmd: the killed monitor left them"
	msg="cordon: $n: the monitor died (pid $mon); removed its stale state"
	case $cmd in
	list)
		run list -P "$P" --format json
		is "$rc:$err" "0:$msg" "list: exit 0, the dead monitor reported"
		is "$(jq -r '.[0].state' <<<"$out")" "STOPPED" "list: STOPPED" ;;
	info)
		run info -P "$P" "$n" --format json
		is "$rc:$err" "0:$msg" "info: exit 0, the dead monitor reported"
		is "$(jq -r .state <<<"$out")" "STOPPED" "info: STOPPED" ;;
	start)
		run start -d -P "$P" "$n"
		is "$rc:$err" "0:$msg" "start: the dead monitor reported, the container starts again"
		new=$(cat "/run/cordon/$n/monitor" 2>/dev/null)
		ok "$([ -n "$new" ] && [ "$new" != "$mon" ] && [ -e "/proc/$new" ]; echo $?)" "start: a new monitor runs"
		is "$(sort "/run/cordon/$n/cgroups" 2>/dev/null)" "$cgs" "start: its cgroups are recorded"
		run stop -k -P "$P" "$n"
		is "$rc:$err" "0:" "start: then it stops" ;;
	stop)
		run stop -P "$P" "$n"
		is "$rc:$err" "5:$msg
cordon: stop $n: '$n' is not running" "stop: the dead monitor reported; not running (exit 5)" ;;
	destroy)
		run destroy -P "$P" "$n"
		is "$rc:$err" "0:$msg" "destroy: exit 0, the dead monitor reported" ;;
	esac
	is "$(ft_cgroups_of "$n")" "" "$cmd: no cgroup left"
	ok "$([ ! -e "/run/cordon/$n" ]; echo $?)" "$cmd: no /run/cordon/$n left"
	is "$(ft_procs_of "$n" | tr '\n' ' ')" "" "$cmd: no process left"
	run list -P "$P"
	is "$err" "" "$cmd: the next command has nothing to report"
done

# The runtime itself, for a blob of the name (cordon start BLOB -n NAME).
n=$N-blob
"$CORDON" create "$n" -t busybox -P "$P" >/dev/null || { echo "Bail out! create failed"; exit 1; }
kill_monitor "$n"
out=$("$CORDON" start -n "$n" "$P/$n/$n.blob" -- /bin/true 2>&1 </dev/null)
is "$?:$out" "0:cordon: start $n: the monitor died (pid $mon); removed its stale state" \
	"the runtime removes the stale state of a name it starts, and says so"
is "$(ft_cgroups_of "$n")" "" "the runtime: no cgroup left"
ok "$([ ! -e "/run/cordon/$n" ]; echo $?)" "the runtime: no /run/cordon/$n left"

# Refused: whatever is not one of the container's cgroups.  A decoy cgroup
# (empty, so rmdir would take it), a directory named cordon-NAME outside any
# cgroup mount, '..', a file others may write.
n=$N-bad
"$CORDON" create "$n" -t busybox -P "$P" >/dev/null || { echo "Bail out! create failed"; exit 1; }
m=$(ft_cgroup_mounts | head -1)
decoy=$m/faults-decoy-$$
mkdir "$decoy" && DECOYS=$decoy
mkdir "$T/cordon-$n"
fake() {   # fake PATH [MODE]: the stale state of a monitor that never was
	rm -rf "/run/cordon/$n"
	mkdir -p "/run/cordon/$n" && : > "/run/cordon/$n/lock" && echo 4194000 > "/run/cordon/$n/monitor"
	printf '%s\n' "$1" > "/run/cordon/$n/cgroups"
	chmod "${2:-0644}" "/run/cordon/$n/cgroups"
}
refused() {   # refused PATH REASON [MODE]
	fake "$1" "${3:-}"
	run list -P "$P"
	is "$rc:$err" "0:cordon: $n: the monitor died (pid 4194000); its stale state is kept: stale state: refusing to remove '$1': $2" \
		"refused: $2 ($1)"
	ok "$([ -d "/run/cordon/$n" ]; echo $?)" "refused ($1): the state is kept"
}
refused "$decoy" "not named after the container"
ok "$([ -d "$decoy" ]; echo $?)" "the decoy cgroup is still there"
refused "$T/cordon-$n" "not below a cgroup mount point"
ok "$([ -d "$T/cordon-$n" ]; echo $?)" "the directory outside the cgroup mounts is still there"
refused "$m/faults-decoy-$$/../cordon-$n" "not a plain absolute path"
refused "$m//cordon-$n" "not a plain absolute path"
fake "$m/cordon-$n" 0666
run list -P "$P"
is "$err" "cordon: $n: the monitor died (pid 4194000); its stale state is kept: stale state: refusing '/run/cordon/$n/cgroups': not a file of ours, or writable by others" \
	"refused: a cgroups file others may write"
# A path already gone is fine: the state goes.
fake "$m/cordon-$n"
run list -P "$P"
is "$err" "cordon: $n: the monitor died (pid 4194000); removed its stale state" "a recorded cgroup already gone: the state goes"
ok "$([ ! -e "/run/cordon/$n" ]; echo $?)" "and /run/cordon/$n with it"
ok "$([ -d "$decoy" ]; echo $?)" "the decoy cgroup survived it all"
# A held lock is a running monitor's: never touched.
fake "$decoy"
flock "/run/cordon/$n/lock" sleep 1 & holder=$!
sleep 0.2
run list -P "$P"
is "$err" "" "a held lock: nothing reported"
ok "$([ -e "/run/cordon/$n/cgroups" ]; echo $?)" "a held lock: the state is left alone"
wait $holder
rm -rf "/run/cordon/$n"
done_testing
