#!/bin/bash
# Escape suite, `cordon attach`: TIOCSTI into the caller's terminal, and
# CVE-2019-5736 (the container overwrites the runtime that enters it,
# through /proc/PID/exe).
#
# attack                                   stopped by                           default           layer off
# TIOCSTI from an attached command         default.seccomp (ioctl TIOCSTI:      EPERM             no seccomp, stdin a terminal: lands in
#                                          EPERM)                                                 the command's own pty (attach's pty);
#                                                                                                 stdin not a terminal: EPERM (next row)
# TIOCSTI, stdin not a terminal, stderr    attach's own session: the caller's   EPERM (seccomp)   privileged without seccomp:
#   the caller's terminal                  terminal is not the command's                          CAP_SYS_ADMIN passes the kernel's
#                                          controlling tty (kernel EPERM; EIO                     check: the caller's shell reads the
#                                          with dev.tty.legacy_tiocsti=0)                         injected line
# TIOCSTI from the init of a foreground    seccomp, then the init's own         EPERM             no seccomp: EPERM (not its
#   `cordon start` (the caller's terminal  session                                                controlling tty)
#   as its stdio)
# CVE-2019-5736 against cordon attach      runtime not dumpable, memfd          open /proc/PID/exe: EACCES   -
#                                          copy sealed
# same against a dumpable runtime run      userns (the file is host root's)     open ok, reopen for writing: privileged: the host file is
#   from its file (nsenter, a stand-in)                                         EACCES                       overwritten
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/escape/lib.sh"
command -v script >/dev/null || skip_all "no script(1) for a terminal"
command -v nsenter >/dev/null || skip_all "no nsenter(1)"

esc_conf default
esc_conf priv "$NO_USERNS"
esc_conf nosc "$NO_SECCOMP"
esc_conf privnosc "$NO_USERNS" "$NO_SECCOMP"
esc_conf fg
esc_conf fgnosc "$NO_SECCOMP"
esc_start default
def_init=$init
esc_start priv
priv_init=$init
esc_start nosc
esc_start privnosc

# in_terminal STDIN-REDIRECTION FD CORDON-ARGS...: in a new terminal
# (script(1)), `cordon CORDON-ARGS -- escape-helper tiocsti FD ...`, then
# the shell that ran it reads its terminal for a second.  Prints the
# helper's outcome and what the shell read.
in_terminal() {
	local redir=$1 fd=$2; shift 2
	rm -f "$T/ti.out"
	sleep 2 | script -qec "bash -c '\"$CORDON\" $* -- /bin/escape-helper tiocsti $fd \"echo injected-$$\" $redir >\"$T/ti.out\"; read -t 1.5 line; echo; echo \"read: \$line\"'" /dev/null |
		tr -d '\r' | grep '^read: '
	echo "helper: $(tail -n1 "$T/ti.out" | tr -d "\r")"
}
get() { sed -n "s/^$2: //p" <<<"$1"; }

legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
# The kernel's answer to TIOCSTI on a terminal that is not the caller's
# controlling tty, without CAP_SYS_ADMIN.
if [ "$legacy" = 0 ]; then kernel_no="ioctl errno 5" kernel_why="EIO (dev.tty.legacy_tiocsti=0)"
else kernel_no="ioctl errno 1" kernel_why="EPERM (not its controlling tty)"; fi

# default: seccomp refuses TIOCSTI outright.
out=$(in_terminal "" 0 attach -P "$P" "$N-default")
is "$(get "$out" helper)" "ioctl errno 1" "TIOCSTI from an attached command, stdin a terminal: EPERM (default.seccomp)"
is "$(get "$out" read)" "" "TIOCSTI (default, stdin a terminal): the caller's shell reads nothing"
out=$(in_terminal "</dev/null" 2 attach -P "$P" "$N-default")
is "$(get "$out" helper)" "ioctl errno 1" "TIOCSTI into the caller's terminal (stdin not a terminal): EPERM (default.seccomp)"
is "$(get "$out" read)" "" "TIOCSTI (default, stdin not a terminal): the caller's shell reads nothing"

# seccomp off: the next layers.
out=$(in_terminal "" 0 attach -P "$P" "$N-nosc")
is "$(get "$out" helper)" "ok" "no seccomp, stdin a terminal: TIOCSTI lands in the attached command's own pty"
is "$(get "$out" read)" "" "no seccomp, stdin a terminal: the caller's shell reads nothing (attach's pty)"
out=$(in_terminal "</dev/null" 2 attach -P "$P" "$N-nosc")
is "$(get "$out" helper)" "$kernel_no" "no seccomp, stdin not a terminal: TIOCSTI into the caller's terminal: $kernel_why (attach's own session)"
is "$(get "$out" read)" "" "no seccomp, stdin not a terminal: the caller's shell reads nothing"

# privileged and no seccomp: CAP_SYS_ADMIN in the host's user namespace
# passes the kernel's check; the line reaches the caller's shell.
out=$(in_terminal "</dev/null" 2 attach -P "$P" "$N-privnosc")
if [ "$legacy" = 0 ]; then
	skip "dev.tty.legacy_tiocsti=0: TIOCSTI needs CAP_SYS_ADMIN even on the controlling tty"
	skip "dev.tty.legacy_tiocsti=0: nothing reaches the caller's shell"
else
	is "$(get "$out" helper)" "ok" "privileged without seccomp: TIOCSTI into the caller's terminal passes the kernel's check"
	is "$(get "$out" read)" "echo injected-$$" "privileged without seccomp: the caller's shell reads the injected line"
fi

# The init of a container started in the foreground from a terminal.
out=$(in_terminal "" 0 start "$P/$N-fg/$N-fg.blob")
is "$(get "$out" helper)" "ioctl errno 1" "cordon start in the foreground: TIOCSTI from the init: EPERM (default.seccomp)"
is "$(get "$out" read)" "" "cordon start in the foreground: the caller's shell reads nothing"
out=$(in_terminal "" 0 start "$P/$N-fgnosc/$N-fgnosc.blob")
is "$(get "$out" helper)" "$kernel_no" "foreground, no seccomp: TIOCSTI from the init into the caller's terminal: $kernel_why (the init's own session)"
is "$(get "$out" read)" "" "foreground, no seccomp: the caller's shell reads nothing"

# CVE-2019-5736: the container watches for new processes and opens their
# /proc/PID/exe while cordon attach enters it 12 times.
sum=$(sha256sum < "$RUNTIME")
"$CORDON" attach -P "$P" "$N-default" -- /bin/sh -c 'escape-helper race - 3 > /tmp/race.out 2>&1' </dev/null &
racer=$!
sleep 0.3
for _ in $(seq 12); do "$CORDON" attach -P "$P" "$N-default" -- /bin/true </dev/null; done
wait "$racer"
race=$(cat "$T/rootfs/tmp/race.out")
like "$race" "^exe opened 0, reopened for writing 0, overwritten 0" \
	"CVE-2019-5736: the container never opens the entering runtime's /proc/PID/exe"
like "$race" "open exe errno 13" "CVE-2019-5736: it tried, and got EACCES (the entering runtime is not dumpable)"
is "$(sha256sum < "$RUNTIME")" "$sum" "CVE-2019-5736: cordon-runtime is unchanged"

# The layer off: a dumpable "runtime" run from a host file, entering the
# container's pid namespace (nsenter, as a runtime without those defences).
chmod 755 "$T"
race_standin() { # NAME INIT NSENTER-OPTIONS
	cp /bin/sleep "$T/fake-rt"
	chmod 755 "$T/fake-rt"
	"$CORDON" attach -P "$P" "$N-$1" -- /bin/sh -c 'escape-helper race fake-rt 2.5 > /tmp/race.out 2>&1' </dev/null &
	racer=$!
	sleep 0.3
	nsenter -t "$2" $3 -- "$T/fake-rt" 1
	wait "$racer"
	cat "$T/rootfs/tmp/race.out"
}
race=$(race_standin default "$def_init" "-p -U")
like "$race" "^exe opened [1-9][0-9]*, reopened for writing 0, overwritten 0" \
	"stand-in runtime, default profile: /proc/PID/exe opens (dumpable)"
like "$race" "reopen errno 13" "stand-in runtime, default profile: reopening it for writing: EACCES (userns: a host root file)"
is "$(cmp -s /bin/sleep "$T/fake-rt"; echo $?)" "0" "stand-in runtime, default profile: the host file is unchanged"
race=$(race_standin priv "$priv_init" "-p")
like "$race" "^exe opened [1-9][0-9]*, reopened for writing 1, overwritten 1" \
	"stand-in runtime, privileged: reopened for writing once it exits (ETXTBSY before)"
like "$(head -c 100 "$T/fake-rt")" "overwritten by the container" \
	"stand-in runtime, privileged: the container overwrote the host binary (CVE-2019-5736)"

esc_clean
done_testing
