#!/bin/bash
# Escape suite, descriptors and processes: CVE-2024-21626 (a host
# directory reached through the working directory or an inherited
# descriptor of the init or of an attached process) and processes outside
# the container (ptrace, pidfd_open, kill of a host pid number).
#
# attack                                     stopped by                   default                      layer off
# host fd / cwd inherited by the init        cordon start closes fds,     fds: stdio only; cwd "/"     nsenter (keeps fds, a stand-in):
#   (cordon start 9<HOSTDIR from HOSTDIR)      chdir to the new root                                   fd outside, host file read through it
# host fd / cwd inherited by an attached     cordon attach should close   expected: no fd 9, cwd "/"
#   process (cordon attach 9<HOSTDIR)          them                       -- FAILS today: fd 9 is the caller's
#                                                                         host directory and the host file is read through it
# ptrace / pidfd_open / kill of a host pid   pid namespace                ESRCH, ESRCH, ESRCH          lxc.namespace.keep = pid: ptrace EPERM
#                                                                                                      (userns), pidfd_open succeeds, kill EPERM;
#                                                                                                      and privileged: ptrace succeeds
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/escape/lib.sh"
command -v nsenter >/dev/null || skip_all "no nsenter(1)"

chmod 755 "$T"
mkdir "$T/host"
echo "host-secret-$$" > "$T/host/secret"

esc_conf default
esc_conf keeppid "lxc.namespace.keep = pid"
esc_conf privpid "$NO_USERNS" "lxc.namespace.keep = pid"

# The init, started from a host directory with a host directory open as fd 9.
(cd "$T/host" && esc_start default 9<"$T/host") || exit 1
init=$(cat "/run/cordon/$N-default/pid")
is "$(ls "/proc/$init/fd" | sort -n | tr '\n' ' ')" "0 1 2 " "the init holds fds 0, 1 and 2 only (seen from the host)"
out=$("$CORDON" attach -P "$P" "$N-default" -- /bin/escape-helper fds 1 </dev/null 2>&1)
is "$(grep -c '^fd 9:' <<<"$out")" "0" "the init has no fd 9 (cordon start closes what it inherits)"
is "$(grep '^leaks' <<<"$out")" "leaks 0" "no fd, cwd or root of the init is outside the container"
is "$(grep -E '^(cwd|root):' <<<"$out")" "cwd: inside /
root: inside /" "the init's cwd and root are the container's /"

# An attached process, run from a host directory with fd 9 open on it.
out=$(cd "$T/host" && "$CORDON" attach -P "$P" "$N-default" -- /bin/escape-helper fds self 9<"$T/host" </dev/null 2>&1)
is "$(grep -E '^(cwd|root):' <<<"$out")" "cwd: inside /
root: inside /" "attach: the attached process's cwd and root are the container's /"
is "$(grep '^fd 9:' <<<"$out")" "" "attach: the caller's fd 9 (a host directory) is not passed into the container"
is "$(grep '^leaks' <<<"$out")" "leaks 0" "attach: no fd of the attached process is outside the container"
grep -E '^(fd [0-9]+|cwd|root): outside' <<<"$out" | sed 's/^/# attached process: /'
secret=$(cd "$T/host" && "$CORDON" attach -P "$P" "$N-default" -- /bin/cat /proc/self/fd/9/secret 9<"$T/host" </dev/null 2>/dev/null)
is "$secret" "" "attach: the host file cannot be read through an inherited fd"
[ "$secret" = "host-secret-$$" ] && tap_diag "HOLE: cordon attach passes the caller's descriptors into the container; through fd 9 (a host directory) the container read $T/host/secret"

# The layer off: a joining tool that keeps the caller's descriptors.
out=$(nsenter -t "$init" -p -m -U -- /bin/sh -c 'escape-helper fds self; cat /proc/self/fd/7/secret' 7<"$T/host" </dev/null 2>&1)
is "$(grep '^fd 7:' <<<"$out")" "fd 7: outside $T/host" "nsenter (fds kept): the checker sees fd 7 outside the container"
like "$(grep '^leaks' <<<"$out")" "^leaks [1-9]" "nsenter (fds kept): counted as a leak"
is "$(tail -n1 <<<"$out")" "host-secret-$$" "nsenter (fds kept): the host file is read through it (CVE-2024-21626)"

# Host processes: a host sleep's pid number from inside.
sleep 30 &
hp=$!
moves="echo \"ptrace: \$(escape-helper ptrace $hp)\"
echo \"pidfd: \$(escape-helper pidfd $hp)\"
kill -0 $hp 2>/dev/null; echo \"kill: \$?\"
echo \"visible: \$([ -d /proc/$hp ] && echo yes || echo no)\""
out=$("$CORDON" attach -P "$P" "$N-default" -- /bin/sh -c "$moves" </dev/null 2>&1)
get() { sed -n "s/^$2: //p" <<<"$1"; }
is "$(get "$out" visible)" "no" "default: the host pid is not in the container's /proc (pid namespace)"
is "$(get "$out" ptrace)" "ptrace errno 3" "default: ptrace of the host pid: ESRCH (pid namespace)"
is "$(get "$out" pidfd)" "pidfd_open errno 3" "default: pidfd_open of the host pid: ESRCH (pid namespace)"
is "$(get "$out" kill)" "1" "default: kill -0 of the host pid fails"
out=$(esc_run keeppid "$moves")
is "$(get "$out" visible)" "yes" "host pid namespace kept: the host pid is visible"
is "$(get "$out" ptrace)" "ptrace errno 1" "host pid namespace kept: ptrace: EPERM (userns: the target is in the host's user namespace)"
is "$(get "$out" pidfd)" "ok" "host pid namespace kept: pidfd_open succeeds (it checks nothing)"
is "$(get "$out" kill)" "1" "host pid namespace kept: kill -0: EPERM (userns)"
out=$(esc_run privpid "$moves")
is "$(get "$out" ptrace)" "ok" "host pid namespace kept, privileged: ptrace of the host process succeeds"
is "$(get "$out" kill)" "0" "host pid namespace kept, privileged: kill -0 succeeds"
kill "$hp" 2>/dev/null
wait "$hp" 2>/dev/null

esc_clean
done_testing
