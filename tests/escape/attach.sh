#!/bin/bash
# Escape suite, `cordon attach`: TIOCSTI into the caller's terminal, and
# CVE-2019-5736 (the container overwrites the runtime that enters it,
# through /proc/PID/exe).
#
# attack                                   stopped by                      default                      layer off
# TIOCSTI, stdin a terminal                attach's own pty and session    lands in the container's own pty; the caller reads nothing  (stdin not a terminal: next row)
# TIOCSTI, stdin not a terminal, stderr    the kernel: not the caller's    expected EPERM (EIO with     privileged: CAP_SYS_ADMIN passes the
#   the caller's terminal                  controlling tty (or legacy_tiocsti=0) dev.tty.legacy_tiocsti=0)  kernel's check
#                                          -- FAILS today: the attached process keeps the caller's
#                                          terminal as its controlling tty; the injected line is
#                                          read by the caller's shell
# TIOCSTI from the init of `cordon start`  as above                     expected EPERM
#   in the foreground (the caller's        -- FAILS today: the init keeps the caller's terminal as its
#   terminal as its stdio)                 controlling tty
# CVE-2019-5736 against cordon attach      runtime not dumpable, memfd     open /proc/PID/exe: EACCES   -
#                                          copy sealed
# same against a dumpable runtime run      userns (the file is host root's) open ok, reopen for writing: privileged: the host file is
#   from its file (nsenter, a stand-in)                                    EACCES                       overwritten
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/escape/lib.sh"
command -v script >/dev/null || skip_all "no script(1) for a terminal"
command -v nsenter >/dev/null || skip_all "no nsenter(1)"

esc_conf default
esc_conf priv "$NO_USERNS"
esc_conf fg
esc_start default
def_init=$init
esc_start priv
priv_init=$init

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

out=$(in_terminal "" 0 attach -P "$P" "$N-default")
is "$(get "$out" helper)" "ok" "TIOCSTI, stdin a terminal: lands in the attached command's own pty (attach gives it one)"
is "$(get "$out" read)" "" "TIOCSTI, stdin a terminal: the caller's shell reads nothing"

legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)
out=$(in_terminal "</dev/null" 2 attach -P "$P" "$N-default")
if [ "$legacy" = 0 ]; then
	is "$(get "$out" helper)" "ioctl errno 5" \
		"TIOCSTI into the caller's terminal (stdin not a terminal): EIO (kernel: dev.tty.legacy_tiocsti=0)"
else
	is "$(get "$out" helper)" "ioctl errno 1" \
		"TIOCSTI into the caller's terminal (stdin not a terminal): EPERM (kernel: not the attached process's controlling tty)"
fi
is "$(get "$out" read)" "" "TIOCSTI (stdin not a terminal): the caller's shell reads nothing"
[ "$(get "$out" read)" = "echo injected-$$" ] &&
	tap_diag "HOLE: the attached process injected 'echo injected-$$' into the terminal of the shell that ran cordon attach"

out=$(in_terminal "</dev/null" 2 attach -P "$P" "$N-priv")
if [ "$legacy" = 0 ]; then
	skip "dev.tty.legacy_tiocsti=0: CAP_SYS_ADMIN is needed even for a controlling tty"
else
	is "$(get "$out" helper)" "ok" "privileged (CAP_SYS_ADMIN): TIOCSTI into the caller's terminal passes the kernel's check"
fi

# The same from the init of a container started in the foreground from a
# terminal: it gets the caller's terminal, and should not have it as its
# controlling tty either.
out=$(in_terminal "" 0 start "$P/$N-fg/$N-fg.blob")
if [ "$legacy" = 0 ]; then
	is "$(get "$out" helper)" "ioctl errno 5" "cordon start in the foreground: TIOCSTI from the init into the caller's terminal: EIO (legacy_tiocsti=0)"
else
	is "$(get "$out" helper)" "ioctl errno 1" \
		"cordon start in the foreground: TIOCSTI from the init into the caller's terminal: EPERM (kernel: not its controlling tty)"
fi
is "$(get "$out" read)" "" "cordon start in the foreground: the caller's shell reads nothing"
[ "$(get "$out" read)" = "echo injected-$$" ] &&
	tap_diag "HOLE: the init of a foreground container injected 'echo injected-$$' into the terminal of the shell that ran cordon start"

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
