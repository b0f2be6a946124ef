#!/bin/bash
# cordon attach: the attached process is in the init's namespaces and
# cgroups, with the blob's capabilities and seccomp filter; the runtime that
# enters is a sealed memfd copy and not dumpable (CVE-2019-5736); a
# container with interception gets its intercepted calls answered for the
# attached process too (tests/intercept/attach.sh has the rest).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/manager/lib.sh"
mg_require_root
mg_setup
n=mg$$-a
"$CORDON" create "$n" -t busybox -P "$P" >/dev/null || { echo "Bail out! create failed"; exit 1; }

run attach -P "$P" "$n" -- /bin/true
is "$rc:$err" "5:cordon: attach $n: '$n' is not running" "attach to a stopped container: exit 5"
run attach -P "$P"
is "$rc:$err" "2:cordon: attach: missing NAME argument
Try 'cordon attach --help'." "attach without NAME: usage error"
run attach -P "$P" "$n" /bin/true
is "$rc:$err" "2:cordon: attach: unexpected argument '/bin/true' (CMD follows '--')
Try 'cordon attach --help'." "attach NAME CMD without --: usage error"

run start -d -P "$P" "$n"
init=$(cat "/run/cordon/$n/pid")
run attach -P "$P" "$n" -- /bin/sh -c 'exit 7'
is "$rc" 7 "attach: exits with the command's status"

# The attached command, seen from the host while it runs.
"$CORDON" attach -P "$P" "$n" -- /bin/sh -c 'echo $$ > /tmp/attached; exec sleep 30' </dev/null &
cli=$!
for _ in $(seq 100); do [ -s "$P/$n/rootfs/tmp/attached" ] && break; sleep 0.05; done
child=$(pgrep -f "^sleep 30" | while read -r p; do [ "$(readlink "/proc/$p/ns/pid")" = "$(readlink "/proc/$init/ns/pid")" ] && echo "$p"; done | head -n1)
ok "$([ -n "$child" ]; echo $?)" "the attached command runs"
for ns in user mnt pid uts ipc net cgroup; do
	is "$(readlink "/proc/$child/ns/$ns")" "$(readlink "/proc/$init/ns/$ns")" "attach: the init's $ns namespace"
done
is "$(cat "/proc/$child/cgroup")" "$(cat "/proc/$init/cgroup")" "attach: the init's cgroups"
for f in CapBnd CapEff CapPrm Seccomp NoNewPrivs; do
	is "$(awk "/^$f:/ {print \$2}" "/proc/$child/status")" "$(awk "/^$f:/ {print \$2}" "/proc/$init/status")" \
		"attach: $f as the init's"
done
is "$(awk '/^Uid:/ {print $2}' "/proc/$child/status")" "100000" "attach: root in the container is host uid 100000"
rt=$(ps -o ppid= -p "$child" | tr -d ' ')
like "$(readlink "/proc/$rt/exe")" "^/memfd:cordon-runtime" "the entering runtime runs from a memfd copy"
( : >>"/proc/$rt/exe" ) 2>/dev/null
ok "$([ $? -ne 0 ]; echo $?)" "the memfd copy is sealed: not even root can write it"
kill "$child"
wait "$cli"

# Refused inside, as at the init: mknod of a device.
run attach -P "$P" "$n" -- /bin/mknod /tmp/null c 1 3
is "$rc" 1 "attach: mknod is refused (no interception)"

# A terminal: a pty of its own when stdin is one, none otherwise.
run attach -P "$P" "$n" -- /bin/sh -c 'test -t 0 || test -t 1'
is "$rc" 1 "attach without a terminal: none inside"
if command -v script >/dev/null; then
	script -qec "'$CORDON' attach -P '$P' '$n' -- /bin/sh -c 'test -t 0 && test -t 1 && exit 3'" /dev/null >/dev/null 2>&1
	is "$?" 3 "attach from a terminal: stdin and stdout are a terminal"
	out=$( (sleep 1; printf 'echo hello-$((6*7))\n'; sleep 0.5; printf 'exit 4\n'; sleep 0.5) |
		script -qec "'$CORDON' attach -P '$P' '$n'" /dev/null | tr -d '\r')
	like "$out" "hello-42" "attach from a terminal: an interactive shell reads and answers"
else
	skip "no script(1) for a terminal"
	skip "no script(1) for a terminal"
fi

run stop -k -P "$P" "$n"

# Interception on: the monitor serves the attached process's listener.
printf 'security.syscalls.intercept.mknod = true\n' >>"$P/$n/config"
run compile -P "$P" "$n"
run start -d -P "$P" "$n"
is "$rc:$err" "0:" "start with mknod interception"
run attach -P "$P" "$n" -- /bin/mknod /tmp/null c 1 3
is "$rc:$err" "0:" "attach to a container with mknod interception: mknod c 1 3 is granted"
is "$(stat -c '%F %t:%T' "$P/$n/rootfs/tmp/null")" "character special file 1:3" "... and made"
run destroy -f -P "$P" "$n"
mg_gone "$n" "destroy -f after attach"
done_testing
