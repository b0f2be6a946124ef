#!/bin/bash
# `cordon oci exec` and the ways out of the container that a review found
# (each case fails on the code before the fix):
#  - --cwd through a symlink to a magic link (/proc/self/fd/N, with N the
#    runtime's descriptor of --pid-file's host directory): refused, and no
#    host directory is ever the process's cwd; argv[0] and PATH are
#    resolved without magic links either;
#  - a created container: exec refused, and its init (the runtime waiting
#    on exec.fifo) not dumpable and holding no host descriptor but the FIFO;
#  - the environment never on a command line (the runtime's, or the
#    process's before exec);
#  - SIGUSR1 sent to `cordon oci exec` reaches the process.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
command -v jq >/dev/null || skip_all "jq is not installed"
command -v setpriv >/dev/null || skip_all "setpriv is not installed"
rt_setup
ID=oci-exesc-$$
R=$T/root
B=$T/bundle
mkdir -p "$B" "$T/piddir"
mv "$T/rootfs" "$B/rootfs"
escape_cleanup() {
	[ -n "${BG:-}" ] && kill "$BG" 2>/dev/null
	timeout -k 5 20 "$CORDON" oci --root "$R" delete --force "$ID" >/dev/null 2>&1
	rt_teardown
}
trap escape_cleanup EXIT

CAPS='["CAP_CHOWN", "CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH"]'
jq --argjson c "$CAPS" '.process.terminal = false | .process.noNewPrivileges = false | .root.readonly = false |
    .process.args = ["sleep", "1000"] |
    .process.capabilities = {"bounding": $c, "effective": $c, "permitted": $c} |
    .process.env = ["PATH=/bin:/sbin"] |
    del(.mounts[] | select(.destination == "/dev/mqueue"))' \
	"$top_srcdir/doc/research/oci-runc-spec.json" > "$B/config.json"

oci() { timeout -k 5 30 "$CORDON" oci --root "$R" "$@" </dev/null; }
x() { local out; out=$(oci exec "$@" 2>&1); echo "$out|rc $?"; }
msg() { sed -n 's/^time="[^"]*" level=error msg=//p' | jq -r .; }

oci create --bundle "$B" "$ID" 2>"$T/create.err"
ok $? "create" || sed 's/^/#   /' "$T/create.err"
PID=$(cut -d' ' -f1 "$R/$ID/pid")

# ---- a created container: pid 1 is the runtime, waiting on exec.fifo ----
out=$(oci exec "$ID" ls /proc/1/fd/ 2>&1 >/dev/null)
is "$?" 255 "exec into a created container: status 255"
is "$(printf '%s' "$out" | msg)" "exec failed: cannot exec in a created container: start it first" \
	"exec into a created container: refused"
ls -l "/proc/$PID/fd" | awk '$9 ~ /^[0-9]+$/ && $9 >= 3' > "$T/init.fds"   # stdio is the caller's
is "$(grep -c -e /run/cordon -e /sys/fs/cgroup -e bpf-prog -e pipe: "$T/init.fds")" 0 \
	"the waiting init holds no host descriptor (state lock, cgroup directory, device program, pipes)" ||
	sed 's/^/#   /' "$T/init.fds"
is "$(grep -c 'exec.fifo$' "$T/init.fds")" 1 "the waiting init holds the FIFO"
# Root without CAP_SYS_PTRACE, as the container's root is: a dumpable init
# would show its executable (the host's cordon-runtime) and descriptors.
! setpriv --bounding-set -sys_ptrace --inh-caps -sys_ptrace readlink "/proc/$PID/exe" >"$T/exe.out" 2>&1
ok $? "the waiting init is not dumpable: /proc/INIT/exe unreadable without CAP_SYS_PTRACE" ||
	sed 's/^/#   /' "$T/exe.out"
! setpriv --bounding-set -sys_ptrace --inh-caps -sys_ptrace readlink "/proc/$PID/fd/0" >"$T/fd.out" 2>&1
ok $? "the waiting init is not dumpable: /proc/INIT/fd/0 unreadable without CAP_SYS_PTRACE" ||
	sed 's/^/#   /' "$T/fd.out"
oci start "$ID"
ok $? "start"
PID=$(cut -d' ' -f1 "$R/$ID/pid")

# ---- --cwd through magic links, with --pid-file's directory open ----
touch "$T/piddir/HOST-MARKER"
ln -s /proc/self/cwd "$B/rootfs/wself"
ln -s /tmp "$B/rootfs/wtmp"
: > "$T/cwd.out"
for n in 3 4 5 6 7 8 9 10 11 12; do
	ln -s "/proc/self/fd/$n" "$B/rootfs/w$n"
	oci exec --pid-file "$T/piddir/pid" --cwd "/w$n" "$ID" sh -c 'pwd; ls; ls ..' >>"$T/cwd.out" 2>&1
done
is "$(grep -c -e HOST-MARKER -e '^pid$' "$T/cwd.out")" 0 \
	"--cwd /proc/self/fd/N (N = 3..12) with --pid-file: never the host's directory" ||
	sed 's/^/#   /' "$T/cwd.out"
out=$(oci exec --pid-file "$T/piddir/pid" --cwd /wself "$ID" pwd 2>&1)
is "$?" 255 "--cwd a symlink to a magic link: status 255"
is "$(printf '%s' "$out" | msg)" \
	"exec failed: unable to start container process: chdir to cwd (\"/wself\") set in config.json failed: Too many levels of symbolic links" \
	"--cwd a symlink to a magic link: refused"
is "$(x --cwd /wtmp "$ID" pwd)" "/tmp|rc 0" "--cwd a plain symlink: followed"
is "$(x --cwd /../../../tmp "$ID" pwd)" "/tmp|rc 0" "--cwd with ..: never above the container's root"
out=$(oci exec "$ID" /proc/self/root/bin/true 2>&1)
is "$?" 255 "argv[0] through a magic link: status 255"
is "$(printf '%s' "$out" | msg)" \
	"exec failed: unable to start container process: exec: \"/proc/self/root/bin/true\": stat /proc/self/root/bin/true: Too many levels of symbolic links" \
	"argv[0] through a magic link: refused"
out=$(oci exec -e PATH=/proc/self/root/bin "$ID" true 2>&1)
is "$(printf '%s' "$out" | msg)" \
	"exec failed: unable to start container process: exec: \"true\": executable file not found in \$PATH" \
	"PATH through a magic link: not searched"

# ---- the environment is never on a command line ----
SECRET="hunter2-$$-$RANDOM"
printf '%s\n' "$SECRET" > "$T/secret.pat"
CG=$(cat "/proc/$PID/cgroup")
timeout -k 5 30 "$CORDON" oci --root "$R" exec -e "DBPASS=$SECRET" "$ID" sleep 7 </dev/null &
BG=$!
seen=
for _ in $(seq 100); do
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/cgroup" 2>/dev/null)" = "$CG" ] && [ "$(tr '\0' ' ' 2>/dev/null < "$p/cmdline")" = "sleep 7 " ] && seen=1
	done
	[ -n "$seen" ] && break
	sleep 0.1
done
ok "$([ -n "$seen" ] && echo 0 || echo 1)" "exec -e DBPASS=... sleep 7 runs"
: > "$T/leaks"
for p in /proc/[0-9]*; do
	c=$(tr '\0' ' ' 2>/dev/null < "$p/cmdline") || continue
	case $c in
	*cordon-runtime*) ;;
	*) [ "$(cat "$p/cgroup" 2>/dev/null)" = "$CG" ] || continue ;;
	esac
	grep -qF -f "$T/secret.pat" "$p/cmdline" 2>/dev/null && echo "${p#/proc/}: $c" >> "$T/leaks"
done
is "$(wc -l < "$T/leaks")" 0 "the value is on no command line (cordon-runtime, the container's processes)" ||
	sed "s/$SECRET/SECRET/g; s/^/#   /" "$T/leaks"
is "$(x -e "DBPASS=$SECRET" "$ID" sh -c 'echo "$DBPASS"')" "$SECRET|rc 0" "the value reaches the process's environment"
kill "$BG" 2>/dev/null
wait "$BG" 2>/dev/null
BG=

# ---- SIGUSR1 to `cordon oci exec` reaches the process ----
rm -f "$B/rootfs/ready"
"$CORDON" oci --root "$R" exec "$ID" sh -c 'trap "echo got USR1; exit 0" USR1; touch /ready; sleep 5 & wait; echo no signal' \
	>"$T/usr1.out" 2>&1 </dev/null &
BG=$!
for _ in $(seq 100); do [ -e "$B/rootfs/ready" ] && break; sleep 0.1; done
kill -USR1 "$BG"
wait "$BG"
is "$?" 0 "SIGUSR1: the process's trap exits 0"
BG=
is "$(cat "$T/usr1.out")" "got USR1" "SIGUSR1 forwarded to the process"

oci delete --force "$ID"
ok $? "delete --force"
done_testing
