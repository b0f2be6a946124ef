#!/bin/bash
# Attach slots (runtime/control.c): an attached listener holds one of the
# monitor's 64 slots for as long as any task is left on its filter, the
# attached command's background children included (they still need their
# intercepted calls answered), and no longer: when the last of them exits
# the listener reports POLLHUP and the slot is free again at once.  64
# attaches that each leave a background child behind fill every slot (the
# 65th is refused, its command not run); once those children are killed,
# every slot comes back within a second, attaches are served again, and
# the monitor's fds and threads are as before.  Stopping the container with
# every slot held is quick.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/manager/lib.sh"
mg_require_root
HELPER=$top_builddir/tests/intercept/icpt-helper
[ -x "$HELPER" ] || skip_all "tests/intercept/icpt-helper not built"
mg_setup
mkdir "$T/profiles"
cp "$top_srcdir"/profiles/*.conf "$top_srcdir"/profiles/*.seccomp "$T/profiles/"
export CORDON_PROFILES_DIR=$T/profiles
n=mg$$-slots
"$CORDON" create "$n" -t busybox -P "$P" >/dev/null || { echo "Bail out! create failed"; exit 1; }
cp "$HELPER" "$P/$n/rootfs/bin/icpt-helper"
echo "security.syscalls.intercept.mknod = true" >>"$P/$n/config"
run compile -P "$P" "$n"
run start -d -P "$P" "$n"
is "$rc:$err" "0:" "start with mknod interception"
mon=$(cat "/run/cordon/$n/monitor")
init=$(cat "/run/cordon/$n/pid")

att() {
	out=$(timeout -k 5 30 "$CORDON" attach -P "$P" "$n" -- "$@" 2>"$T/err" </dev/null) && rc=0 || rc=$?
	err=$(cat "$T/err")
}
counts() {
	local fds=("/proc/$mon/fd/"*) tasks=("/proc/$mon/task/"*)
	echo "fds ${#fds[@]} threads ${#tasks[@]}"
}
listeners() {
	local f k=0
	for f in "/proc/$mon/fd/"*; do
		[ "$(readlink "$f" 2>/dev/null)" = "anon_inode:seccomp notify" ] && k=$((k + 1))
	done
	echo "$k"
}
settle() {
	for _ in $(seq 100); do [ "$(counts)" = "$1" ] && break; sleep 0.05; done
	counts
}
# The container's processes running "sleep 3600" (host pids).
sleepers() {
	local p ns
	ns=$(readlink "/proc/$init/ns/pid")
	for p in $(pgrep -x sleep); do
		[ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ] &&
			[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "sleep 3600 " ] && echo "$p"
	done
}

att icpt-helper mknod /tmp/first c 1 3
is "$rc:$out" "0:ok" "an attached mknod is granted"
base=$(settle "$(counts)")
is "$(listeners)" 1 "with no attach running, the monitor serves the init's listener only"

# 64 attaches whose commands return at once, each leaving a background child.
fails=0
for i in $(seq 64); do
	att /bin/sh -c 'sleep 3600 </dev/null >/dev/null 2>&1 & echo started'
	[ "$rc:$out" = "0:started" ] || fails=$((fails + 1))
done
is "$fails" 0 "64 attaches that leave a background child behind: each returned"
is "$(sleepers | wc -l)" 64 "... and 64 background children run"
is "$(listeners)" 65 "their listeners stay served while their children live (65 with the init's)"
att /bin/touch /tmp/ran-65
is "$rc:$err" "3:cordon: attach $n: control: the monitor refused the seccomp listener: 64 attached processes use interception already (the limit)" \
	"every slot held: the 65th attached listener is refused (exit 3)"
ok "$([ ! -e "$P/$n/rootfs/tmp/ran-65" ]; echo $?)" "... and its command did not run"

# Half the children end: half the slots come back.
mapfile -t kids < <(sleepers)
kill "${kids[@]:0:32}"
for _ in $(seq 40); do [ "$(listeners)" = 33 ] && break; sleep 0.025; done
is "$(listeners)" 33 "32 children killed: their 32 slots are free within a second"
att icpt-helper mknod /tmp/after-half c 1 3
is "$rc:$out" "0:ok" "... and an attach is served again"
kill "${kids[@]:32}"
for _ in $(seq 40); do [ "$(listeners)" = 1 ] && break; sleep 0.025; done
is "$(listeners)" 1 "the other 32 killed: every slot is free within a second"
is "$(settle "$base")" "$base" "the monitor's fds and threads are as before the 64 attaches"
fails=0
for i in $(seq 5); do
	att icpt-helper mknod "/tmp/n$i" c 1 3
	[ "$rc:$out" = "0:ok" ] || fails=$((fails + 1))
done
is "$fails" 0 "5 more attaches: every mknod granted"

# Every slot held again, then the container stops: quick, nothing left.
for i in $(seq 64); do
	att /bin/sh -c 'sleep 3600 </dev/null >/dev/null 2>&1 &'
done
is "$(listeners)" 65 "every slot held again"
start=$(date +%s)
run stop -k -P "$P" "$n"
is "$rc" 0 "stop -k with every slot held"
ok "$([ $(($(date +%s) - start)) -lt 10 ]; echo $?)" "... takes less than 10 s"
ok "$(mg_wait_gone "$mon"; echo $?)" "... the monitor is gone"
is "$(sleepers | wc -l)" 0 "... and so are the background children"
run destroy -f -P "$P" "$n"
is "$rc" 0 "destroy"
mg_gone "$n" "destroy"
done_testing
