#!/bin/bash
# A managed container's life: start NAME -d, list and info (JSON checked
# against /proc; a foreground start -F too), stop (halt signal; SIGKILL after -t; -k), the lock (two
# starts at once), destroy (refused while running, -f) leaving nothing.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/manager/lib.sh"
mg_require_root
mg_setup
n=mg$$-l
"$CORDON" create "$n" -t busybox -P "$P" >/dev/null || { echo "Bail out! create failed"; exit 1; }

run stop -P "$P" "$n"
is "$rc:$err" "5:cordon: stop $n: '$n' is not running" "stop of a stopped container: exit 5"
run list -P "$P" --format json
is "$(printf '%s' "$out" | jq -c '.[0] | [.name, .state, .pid]')" "[\"$n\",\"STOPPED\",null]" "list: stopped"
want=$(date -u -d "@$(stat -c %Y "$P/$n/$n.blob")" +%Y-%m-%dT%H:%M:%SZ)
is "$(printf '%s' "$out" | jq -r '.[0].compiled_at')" "$want" "list: compiled_at is the blob's mtime"

# Two starts at once: one wins, the other is told why (the lock, or the
# container running already), exit 5.
"$CORDON" start -d -P "$P" "$n" </dev/null >"$T/s1.out" 2>&1 & p1=$!
"$CORDON" start -d -P "$P" "$n" </dev/null >"$T/s2.out" 2>&1 & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
is "$(printf '%s\n' "$r1" "$r2" | sort | tr '\n' ' ')" "0 5 " "two starts at once: one wins (0), the other exits 5"
loser=$(cat "$T/s1.out" "$T/s2.out")
like "$loser" "^cordon: start $n: ('$n' is running already \(pid [0-9]+\)|another cordon command is working on '$n' \($P/$n/.lock is locked\); try again)$" \
	"two starts at once: the loser's message"

# The lock held by another command: exact message.
flock "$P/$n/.lock" sleep 2 & holder=$!
sleep 0.3
run stop -P "$P" "$n"
is "$rc:$err" "5:cordon: stop $n: another cordon command is working on '$n' ($P/$n/.lock is locked); try again" \
	"stop while another command holds the lock: exit 5"
wait $holder

init=$(cat "/run/cordon/$n/pid")
mon=$(cat "/run/cordon/$n/monitor")
run list -P "$P" --format json
is "$(printf '%s' "$out" | jq -c '.[0] | [.state, .pid]')" "[\"RUNNING\",$init]" "list --format json: RUNNING with the init's pid"
run list -P "$P"
like "$out" "^$n +RUNNING +$init +default +[0-9T:Z-]+$" "list: a table row"

run info -P "$P" "$n" --format json
is "$rc" 0 "info --format json: exit 0"
j=$out
is "$(jq -r .state <<<"$j")" RUNNING "info: state"
is "$(jq -r .pid <<<"$j")" "$init" "info: pid"
is "$(jq -r .monitor_pid <<<"$j")" "$mon" "info: monitor pid"
is "$(jq -r .uid_map <<<"$j")" "$(sed -n 's/^lxc.idmap = u \(0 [0-9]* 65536\)$/\1/p' "$P/$n/config")" \
	"info: the uid map (the config's, from /etc/subuid)"
is "$(jq -r '.cgroups | join("\n")' <<<"$j")" "$(cat "/proc/$init/cgroup")" "info: cgroups are /proc/PID/cgroup"
like "$(jq -r '.cgroups[]' <<<"$j" | grep '^0::')" "/cordon-$n$" "info: the container's own cgroup2"
is "$(jq -r .namespaces.pid.id <<<"$j")" "$(readlink "/proc/$init/ns/pid")" "info: pid namespace"
is "$(jq -r '[.namespaces[] | select(.own)] | length' <<<"$j")" "7" "info: 7 namespaces of its own (all but time)"
is "$(jq -r .capabilities.CapBnd <<<"$j")" "$(awk '/^CapBnd:/ {print $2}' "/proc/$init/status")" "info: CapBnd"
is "$(jq -r .seccomp <<<"$j")" "filter" "info: seccomp mode filter"
is "$(jq -r '.intercept | length' <<<"$j")" "0" "info: no interception under the default profile"
is "$(jq -r .blob <<<"$j")" "$P/$n/$n.blob" "info: blob path"
ok "$(jq -e '.blob_age_seconds >= 0' <<<"$j" >/dev/null; echo $?)" "info: blob age"
run info -P "$P" "$n"
like "$out" "^state +RUNNING$" "info: a table"

run destroy -P "$P" "$n"
is "$rc:$err" "5:cordon: destroy $n: '$n' is running; stop it first, or use -f" "destroy of a running container: exit 5"
ok "$([ -e "/proc/$init" ]; echo $?)" "a refused destroy leaves it running"

# stop: busybox init halts on SIGPWR (lxc.signal.halt's default).
start=$(date +%s)
run stop -P "$P" "$n" -t 20
is "$rc:$err" "0:" "stop: exit 0"
ok "$(mg_wait_gone "$mon"; echo $?)" "stop: the monitor is gone"
ok "$([ $(($(date +%s) - start)) -lt 20 ]; echo $?)" "stop: init halted before the timeout"
is "$(mg_cgroups_of "$n")" "" "stop: no cgroup left"
ok "$([ ! -e "/run/cordon/$n" ]; echo $?)" "stop: no /run/cordon/$n left"

# An init that ignores the halt signal: SIGKILL after -t.
run start -d -P "$P" "$n" -- /bin/sh -c 'trap "" PWR; while :; do sleep 1; done'
is "$rc:$err" "0:" "start -d NAME -- CMD: exit 0"
start=$(date +%s)
run stop -P "$P" "$n" -t 1
took=$(($(date +%s) - start))
is "$rc:$err" "0:" "stop -t 1 of an init that ignores SIGPWR: exit 0"
ok "$([ "$took" -ge 1 ] && [ "$took" -le 5 ]; echo $?)" "stop -t 1: killed after the timeout (${took}s)"

# stop -k: at once.
run start -d -P "$P" "$n" -- /bin/sh -c 'trap "" PWR; while :; do sleep 1; done'
start=$(date +%s)
run stop -k -P "$P" "$n"
is "$rc:$err" "0:" "stop -k: exit 0"
ok "$([ $(($(date +%s) - start)) -le 1 ]; echo $?)" "stop -k: at once"

# A foreground start keeps /run/cordon/NAME too: list and info show it
# RUNNING with its init's pid, and stop ends it.
"$CORDON" start -F -P "$P" "$n" -- /bin/sleep 30 </dev/null >"$T/fg.out" 2>&1 & fg=$!
for _ in $(seq 200); do [ -s "/run/cordon/$n/pid" ] && [ -s "/run/cordon/$n/monitor" ] && break; sleep 0.05; done
init=$(cat "/run/cordon/$n/pid" 2>/dev/null)
mon=$(cat "/run/cordon/$n/monitor" 2>/dev/null)
is "$(cat "/proc/${init:-0}/comm" 2>/dev/null)" "sleep" "start -F: /run/cordon/$n/pid is the container's init"
run list -P "$P" --format json
is "$(jq -c '.[0] | [.name, .state, .pid]' <<<"$out")" "[\"$n\",\"RUNNING\",${init:-0}]" \
	"list --format json: a foreground container is RUNNING with its init's pid"
run list -P "$P"
like "$out" "^$n +RUNNING +${init:-0} +default +[0-9T:Z-]+$" "list: a foreground container's table row"
run info -P "$P" "$n" --format json
is "$(jq -c '[.state, .pid, .monitor_pid]' <<<"$out")" "[\"RUNNING\",${init:-0},${mon:-0}]" \
	"info --format json: a foreground container's state, pid and monitor"
is "$(jq -r .namespaces.pid.id <<<"$out")" "$(readlink "/proc/${init:-0}/ns/pid")" "info: a foreground container's pid namespace"
run stop -k -P "$P" "$n"
is "$rc:$err" "0:" "stop -k of a foreground container: exit 0"
wait "$fg"; fgrc=$?
is "$fgrc" 137 "the foreground start exits with its init's status (killed: 137)"
run list -P "$P" --format json
is "$(jq -c '.[0] | [.state, .pid]' <<<"$out")" '["STOPPED",null]' "list: STOPPED after the foreground container ends"

# destroy -f of a running container: killed, then nothing left.
run start -d -P "$P" "$n"
init=$(cat "/run/cordon/$n/pid")
run destroy -f -P "$P" "$n"
is "$rc:$err" "0:" "destroy -f of a running container: exit 0"
ok "$(mg_wait_gone "$init"; echo $?)" "destroy -f: the init is gone"
mg_gone "$n" "destroy -f"
run list -P "$P" --format json
is "$out" "[]" "list: empty after destroy"
done_testing
