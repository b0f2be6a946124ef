#!/bin/bash
# The supervisor core: only the monitor holds the listener; every
# notification is answered (10,000 intercepted calls in a row, and four
# callers at once); a request stuck on the caller's memory does not stall
# another; it runs in daemon mode too; a monitor killed with
# SIGKILL takes the listener with it: nothing hangs, no task of the
# container and no copy of the listener is left.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
ic_compile on "security.syscalls.intercept.sysinfo = true
security.syscalls.intercept.mknod = true
security.syscalls.intercept.setxattr = true" || exit 1
R=$T/rootfs
# How many seccomp listener fds the given pids hold.
listeners() {
	local p f n=0
	for p in "$@"; do
		for f in /proc/"$p"/fd/*; do
			[ "$(readlink "$f" 2>/dev/null)" = "anon_inode:seccomp notify" ] && n=$((n + 1))
		done
	done
	echo "$n"
}
# Processes whose command line names this test's blobs (monitors) or that
# are in the container's cgroups.
ours() {
	{ pgrep -f "cordon-runtime.*$T/$N-on.blob"
	  cat $(for d in $(rt_cgroups_of "$N-on"); do echo "$d/cgroup.procs"; done) 2>/dev/null; } | sort -u
}

is "$(ic_run on 'icpt-helper sysinfo-loop 10000')" "ok 10000" "10,000 intercepted sysinfo calls, all answered"
is "$(ic_run on 'for i in 1 2 3 4; do icpt-helper sysinfo-loop 2500 & done; wait')" "ok 2500
ok 2500
ok 2500
ok 2500" "four callers at once, all answered"

# One slow request does not stall the others: setxattr's name lies on a page
# a userfaultfd holds back for 1 s, so the worker reading it waits; a sysinfo
# from another thread meanwhile is answered at once.
uffd=/proc/sys/vm/unprivileged_userfaultfd
if [ -w "$uffd" ]; then
	old=$(cat "$uffd")
	echo 1 > "$uffd"
	out=$(ic_run on 'mkdir -p /tmp/s; icpt-helper uffd-stall /tmp/s')
	echo "$old" > "$uffd"
	tap_diag "$out"
	like "$out" "^faulted 1 " "a slow request: the supervisor's read of the caller's memory waits on its userfaultfd"
	ms=$(echo "$out" | awk '{ print $5 }')
	ok "$([ "$(echo "$out" | awk '{ print $4 }')" = ok ] && [ "${ms%.*}" -lt 500 ]; echo $?)" \
		"meanwhile another intercepted call is answered at once (${ms} ms)"
	like "$out" " setxattr 0 (9[0-9][0-9]|[1-9][0-9][0-9][0-9])$" "the slow request is answered once its memory comes (after the 1 s hold)"
	echo 1 > "$uffd"
	rm -f "$R/ready"
	timeout -k 5 60 "$CORDON" start "$T/$N-on.blob" -- /bin/sh -c 'mkdir -p /tmp/s; icpt-helper uffd-die /tmp/s > /die.out; : > /ready; while [ ! -e /stop ]; do sleep 0.05; done' </dev/null >/dev/null 2>&1 &
	for _ in $(seq 200); do [ -e "$R/ready" ] && break; sleep 0.05; done
	echo "$old" > "$uffd"
	is "$(cat "$R/die.out")" "ok 100" "a caller killed while its request waits: dropped, the next calls answered"
	mon=$(pgrep -f "cordon-runtime.*$T/$N-on.blob" | head -1)
	# every worker is back: one receiving, at most one standing by (on its
	# condition variable), none stuck on the dead memory
	waits=$(for t in /proc/"$mon"/task/*; do [ "${t##*/}" = "$mon" ] || { cat "$t/wchan"; echo; }; done |
		sed 's/^futex.*/standby/' | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')
	like "$waits" "^(recv_wait_event=1 standby=1|recv_wait_event=1) $" \
		"the dead caller's worker is free again: one worker waits for a notification, one at most stands by ($waits)"
	: > "$R/stop"
	wait
	rm -f "$R/stop"
else
	skip "no vm.unprivileged_userfaultfd"
	skip "no vm.unprivileged_userfaultfd"
	skip "no vm.unprivileged_userfaultfd"
	skip "no vm.unprivileged_userfaultfd"
	skip "no vm.unprivileged_userfaultfd"
	skip "no vm.unprivileged_userfaultfd"
fi

# A notified call the supervisor does not grant gets the profile's own
# answer: bpf(PROG_LOAD) is notified (bpf interception), the profile says
# errno 13 for bpf; an allowed call's refusal is the kernel's (CONTINUE).
TRY=$top_builddir/tests/runtime/try-syscall
if [ -x "$TRY" ]; then
	cp "$TRY" "$R/bin/try-syscall"
	printf '2\ndenylist\n[all]\nbpf errno 13\n' > "$T/bpf13.seccomp"
	ic_compile bpf "lxc.seccomp.profile = $T/bpf13.seccomp
security.syscalls.intercept.bpf = true
security.syscalls.intercept.bpf.devices = true
security.syscalls.intercept.mknod = true" || exit 1
	like "$("$CORDON" dump "$T/$N-bpf.blob")" "bpf\(321\) notify \[0 & 0xffffffff == 0x5\]" "the profile's bpf rule is split: PROG_LOAD is notified"
	is "$(ic_run bpf 'try-syscall 321 5 0 0; try-syscall 321 0 0 0')" "errno 13
errno 13" "a notified bpf not granted gets the profile's errno 13, as the filter gives the rest"
	is "$(ic_run bpf 'icpt-helper mknod /tmp/blk2 b 7 0')" "errno 1" \
		"a notified mknod not granted, which the profile allows: the kernel's EPERM"
else
	skip "tests/runtime/try-syscall not built"
	skip "tests/runtime/try-syscall not built"
	skip "tests/runtime/try-syscall not built"
fi

# Foreground: the monitor is the only holder of the listener.
rm -f "$R/ready"
timeout -k 5 60 "$CORDON" start "$T/$N-on.blob" -- /bin/sh -c 'icpt-helper sysinfo >/dev/null; for i in 1 2 3; do icpt-helper mknod /tmp/fg$i c 1 3; mkdir -p /tmp/fgd; icpt-helper setxattr /tmp/fgd trusted.overlay.opaque y; done >/dev/null; : > /ready; sleep 20' </dev/null >/dev/null 2>&1 &
for _ in $(seq 100); do [ -e "$R/ready" ] && break; sleep 0.05; done
held=$(pgrep -f "cordon-runtime.*$T/$N-on.blob" | head -1)
is "$(listeners "$held")" "1" "the monitor holds the container's listener, once"
tasks=$(cat $(for d in $(rt_cgroups_of "$N-on"); do echo "$d/cgroup.procs"; done) 2>/dev/null | sort -u)
ok "$([ -n "$tasks" ]; echo $?)" "the container's tasks are known ($(echo $tasks))"
is "$(listeners $tasks)" "0" "no task of the container holds a copy of the listener"
# Workers that acted as the caller (mknod, setxattr) are gone: every thread
# left is in the monitor's own mount namespace and root.
same=0
for t in /proc/"$held"/task/*; do
	[ "$(readlink "$t/ns/mnt")" = "$(readlink "/proc/$held/ns/mnt")" ] &&
		[ "$(readlink "$t/root")" = "$(readlink "/proc/$held/root")" ] || same=1
done
ok "$same" "after mknod and setxattr requests, every worker is in the monitor's mount namespace and root"
threads=$(awk '/^Threads:/ { print $2 }' "/proc/$held/status")
ok "$([ "$threads" -ge 2 ] && [ "$threads" -le 17 ]; echo $?)" \
	"the monitor keeps between one and 16 workers ($((threads - 1)))"
rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$held/status")
tap_diag "monitor peak RSS after the intercepted calls: $rss kB"

# SIGKILL the monitor; the container's tasks (from its cgroups) must go.
kill -KILL "$held"
wait 2>/dev/null
gone=1
for _ in $(seq 100); do
	left=0
	for p in $tasks; do [ -e "/proc/$p" ] && left=1; done
	[ "$left" = 0 ] && { gone=0; break; }
	sleep 0.05
done
ok "$gone" "monitor killed: the container's tasks are gone within 5 s (none hangs)"
is "$(ours | wc -l)" "0" "monitor killed: neither it nor a task of the container is left (no copy of the listener)"
# What a SIGKILLed monitor cannot clean: its cgroups (empty now).
for d in $(rt_cgroups_of "$N-on"); do rmdir "$d" 2>/dev/null; done

# (Inside the container the ENOSYS a closed listener gives cannot be seen:
# the init has PDEATHSIG, so the container dies with its monitor.)
# (the manager may first say it removed the killed monitor's stale state)
is "$(ic_run on 'icpt-helper sysinfo-loop 1' | grep -v 'removed its stale state')" "ok 1" "after the kill, a new container is served"

# Daemon mode: the monitor runs the supervisor too.
rm -f "$R/out"
"$CORDON" start -d "$T/$N-on.blob" -- /bin/sh -c 'icpt-helper sysinfo-loop 1000 > /out.tmp; mv /out.tmp /out' </dev/null
for _ in $(seq 200); do [ -e "$R/out" ] && break; sleep 0.05; done
is "$(cat "$R/out" 2>/dev/null)" "ok 1000" "daemon mode: intercepted calls answered"
for _ in $(seq 100); do [ -e "/run/cordon/$N-on" ] || break; sleep 0.05; done
rt_clean "$N-on" "the supervisor tests"
done_testing
