#!/bin/bash
# `cordon oci exec` (runc's exec, as conmon calls it): CMD ARGS, exit
# statuses, the environment, cwd, user, capabilities and rlimits of the
# process, --process FILE, --detach with a pid file under a subreaper (as
# conmon), a pty through --console-socket, exec into a created container
# refused, every refusal with its exact message (capabilities beyond the container's,
# another AppArmor profile, an SELinux label, rlimits above the container's,
# runc's terminal rules, a stopped container), the json log, and nothing
# left behind.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
command -v jq >/dev/null || skip_all "jq is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed (subreaper, console socket)"
rt_setup
ID=oci-exec-$$
R=$T/root
B=$T/bundle
mkdir -p "$B"
mv "$T/rootfs" "$B/rootfs"
exec_cleanup() {
	for i in "$ID" "$ID-b"; do
		timeout -k 5 20 "$CORDON" oci --root "$R" delete --force "$i" >/dev/null 2>&1
	done
	rt_teardown
}
trap exec_cleanup EXIT

CAPS='["CAP_CHOWN", "CAP_KILL"]'
jq --argjson c "$CAPS" '.process.terminal = false | .process.noNewPrivileges = false | .root.readonly = false | .process.args = ["sleep", "1000"] |
    .process.capabilities = {"bounding": $c, "effective": $c, "permitted": $c} |
    .process.env = ["PATH=/bin:/sbin", "TERM=xterm", "FROM_CONFIG=1"] |
    del(.mounts[] | select(.destination == "/dev/mqueue"))' \
	"$top_srcdir/doc/research/oci-runc-spec.json" > "$B/config.json"

oci() { timeout -k 5 30 "$CORDON" oci --root "$R" "$@" </dev/null; }
# x ARGS...: exec with stdout, stderr and the status in one string.
x() { local out; out=$(oci exec "$@" 2>&1); echo "$out|rc $?"; }
# refused WANT WHAT ARGS...: status 255 (1 for usage) and runc's message.
refused() {
	local want=$1 what=$2 rc_want=255; shift 2
	case $want in '"exec"'*|flag*) rc_want=1;; esac
	local out; out=$(oci exec "$@" 2>&1 >/dev/null); local rc=$?
	is "$rc" "$rc_want" "$what: status $rc_want"
	is "$(printf '%s' "$out" | sed -n 's/^time="[^"]*" level=error msg=//p' | jq -r .)" "$want" "$what: '$want'"
}
st() { oci state "$1" | jq -r "$2"; }
proc_json() { jq -n --argjson c "$CAPS" '{"args": ["true"], "cwd": "/", "user": {"uid": 0, "gid": 0},
	"env": ["PATH=/bin"], "capabilities": {"bounding": $c, "effective": $c, "permitted": $c}} + '"$1" > "$T/process.json"; }

oci create --bundle "$B" --pid-file "$T/pidfile" "$ID" >"$T/create.out" 2>"$T/create.err"
ok $? "create" || sed 's/^/#   /' "$T/create.err"
PID=$(cat "$T/pidfile")
is "$(stat -c %i "$R/$ID/blob")" "$(stat -c %i "$R"/blobs/*.blob)" "create keeps ROOT/ID/blob, a link to the cached blob"

# ---- exec into a created container: refused (runc allows it; cordon's
# pid 1 is then still the runtime, tests/oci/exec-escape.sh) ----
refused "exec failed: cannot exec in a created container: start it first" "exec into a created container" "$ID" echo created
is "$(st "$ID" .status)" "created" "the init still waits for start"
oci start "$ID"
ok $? "start"

# ---- CMD ARGS, output, exit status ----
is "$(x "$ID" sh -c 'echo out; echo err >&2; exit 7')" "out
err|rc 7" "stdout, stderr and exit status 7 of the process"
is "$(x "$ID" sh -c 'kill -TERM $$')" "|rc 143" "killed by SIGTERM: 128+15"
is "$(x "$ID" sh -c 'tr "\0" " " < /proc/1/cmdline')" "sleep 1000 |rc 0" "the container's pid namespace: pid 1 is its init"
oci exec -d --pid-file "$T/sleep.pid" "$ID" sleep 30
ok $? "exec -d sleep 30"
SP=$(cat "$T/sleep.pid")
for ns in mnt pid uts ipc net user cgroup; do
	[ "$(readlink "/proc/$SP/ns/$ns")" = "$(readlink "/proc/$PID/ns/$ns")" ] || echo "$ns differs"
done > "$T/ns.diff"
is "$(cat "$T/ns.diff")" "" "every namespace of the init's (pid namespace: the children's)"
is "$(cat "/proc/$SP/cgroup")" "$(cat "/proc/$PID/cgroup")" "the init's cgroups"
kill -9 "$SP"

# ---- environment: the container's process.env, then -e ----
is "$(x -e FOO=bar --env=BAZ=1 "$ID" sh -c 'echo $FROM_CONFIG:$TERM:$FOO:$BAZ')" "1:xterm:bar:1|rc 0" \
	"env: the container's, then -e and --env="
is "$(x -e $'BAD=\xff' "$ID" true | sed 's/^time="[^"]*" level=error msg=//')" "\"exec failed: --env 1 is not UTF-8\"|rc 255" \
	"an -e value that is not UTF-8: refused, not dropped"
proc_json '{"args": ["cat", "/proc/self/environ"], "env": ["PATH=/bin", "ONLY=this"]}'
is "$(oci exec --process "$T/process.json" "$ID" | tr '\0' ' ')" "PATH=/bin ONLY=this " \
	"--process: exactly process.env, nothing else"

# ---- cwd ----
is "$(x --cwd /tmp "$ID" pwd)" "/tmp|rc 0" "--cwd /tmp"
is "$(x "$ID" pwd)" "/|rc 0" "cwd from config.json: /"
refused 'exec failed: unable to start container process: chdir to cwd ("/nonexistent") set in config.json failed: No such file or directory' \
	"--cwd of a missing directory" --cwd /nonexistent "$ID" true

# ---- user ----
is "$(x -u 1000:1001 "$ID" sh -c 'echo $(id -u):$(id -g):$(id -G)')" "1000:1001:1001|rc 0" "-u 1000:1001: ids, no other groups"
is "$(x -u 1000 "$ID" sh -c 'echo $(id -u):$(id -g)')" "1000:0|rc 0" "-u 1000: the gid from config.json"
is "$(x -u 1000 "$ID" grep -E '^Cap(Prm|Eff)' /proc/self/status | tr '\t' ' ')" \
	"CapPrm: 0000000000000000
CapEff: 0000000000000000|rc 0" "a non-root process has no capabilities after exec"

# ---- capabilities: those of the container, never more ----
is "$(x "$ID" grep -E '^Cap(Bnd|Eff)' /proc/self/status)" "$(grep -E '^Cap(Bnd|Eff)' "/proc/$PID/status")|rc 0" \
	"root: the init's bounding and effective sets"
proc_json '{"args": ["grep", "CapEff", "/proc/self/status"], "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}}'
is "$(oci exec -p "$T/process.json" "$ID" | tr '\t' ' ')" "CapEff: 0000000000000020" "fewer capabilities than the container's: taken"
refused "exec failed: process.capabilities.bounding: CAP_SYS_ADMIN is not in the container's bounding set" \
	"--cap CAP_SYS_ADMIN" --cap CAP_SYS_ADMIN "$ID" true
proc_json '{"capabilities": {"bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_NET_ADMIN"]}}'
refused "exec failed: process.capabilities.effective: CAP_NET_ADMIN is not in the container's effective set" \
	"an effective capability the container lacks" --process "$T/process.json" "$ID"
proc_json '{"capabilities": {"ambient": ["CAP_KILL"], "inheritable": ["CAP_KILL"], "permitted": ["CAP_KILL"]}}'
refused "exec failed: process.capabilities.inheritable: CAP_KILL is not in the container's inheritable set" \
	"an inheritable capability the container lacks" --process "$T/process.json" "$ID"

# ---- AppArmor, SELinux, no_new_privs ----
refused "exec failed: process.apparmorProfile: 'cordon-other' is not the container's profile (it has none)" \
	"--apparmor of another profile" --apparmor cordon-other "$ID" true
refused "exec failed: process.selinuxLabel: SELinux labels are not supported by cordon" \
	"--process-label" --process-label system_u:system_r:container_t:s0 "$ID" true
is "$(x --no-new-privs "$ID" grep NoNewPrivs /proc/self/status | tr '\t' ' ')" "NoNewPrivs: 1|rc 0" "--no-new-privs"
is "$(x "$ID" grep NoNewPrivs /proc/self/status | tr '\t' ' ')" "NoNewPrivs: $(awk '/NoNewPrivs/ {print $2}' "/proc/$PID/status")|rc 0" \
	"no_new_privs otherwise as the init's"

# ---- rlimits: lower taken, higher refused ----
proc_json '{"args": ["sh", "-c", "ulimit -n; ulimit -Hn"], "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 256, "hard": 512}]}'
is "$(oci exec -p "$T/process.json" "$ID" | tr '\n' ' ')" "256 512 " "rlimits below the container's: taken"
proc_json '{"rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 4096}]}'
refused "exec failed: RLIMIT_NOFILE: hard limit 4096 is above the container's (1024)" \
	"an rlimit above the container's hard limit" -p "$T/process.json" "$ID"

HU=$(ulimit -Hu)
if [ "$HU" != unlimited ]; then
	proc_json "{\"rlimits\": [{\"type\": \"RLIMIT_NPROC\", \"soft\": 1, \"hard\": $((HU + 1))}]}"
	refused "exec failed: RLIMIT_NPROC: hard limit $((HU + 1)) is above the container's ($HU)" \
		"an rlimit the container does not set, above the one its init inherited" -p "$T/process.json" "$ID"
else
	skip "the hard nproc limit is unlimited here"
	skip "the hard nproc limit is unlimited here"
fi

# ---- a pty without a console socket: relayed ----
is "$(oci exec -t "$ID" sh -c '[ -t 0 ] && [ -t 1 ] && echo on a tty; exit 4' | tr -d '\r'; echo "rc ${PIPESTATUS[0]}")" \
	"on a tty
rc 4" "--tty without --detach: a pty relayed to the caller, exit 4"

# ---- runc's words for a command that cannot run (podman: 127, 126) ----
refused 'exec failed: unable to start container process: exec: "/nonexistent": stat /nonexistent: No such file or directory' \
	"a missing absolute command" "$ID" /nonexistent
refused 'exec failed: unable to start container process: exec: "/etc": Permission denied' \
	"a directory as the command" "$ID" /etc
refused 'exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH' \
	"a command not in PATH" "$ID" nosuchcmd
refused "exec failed: process args cannot be empty" "no command" "$ID"
refused "exec failed: container does not exist" "an unknown id" nosuch-$$ true
refused '"exec" requires a minimum of 1 argument(s)' "no id"
refused "flag provided but not defined: --bogus" "an unknown flag" --bogus "$ID" true
refused "exec failed: cannot allocate tty if runc will detach without setting console socket" \
	"--tty --detach without a console socket" -t -d "$ID" true
refused "exec failed: cannot use console socket if runc will not detach or allocate tty" \
	"--console-socket without --tty" -d --console-socket "$T/none.sock" "$ID" true

# ---- the json log podman reads: one object ----
timeout -k 5 30 "$CORDON" oci --root "$R" --log "$T/log.json" --log-format json exec "$ID" /nonexistent </dev/null >/dev/null 2>"$T/stderr"
is "$?" "255" "json log: a failed exec: 255"
is "$(jq -s 'length' "$T/log.json")" "1" "json log: one object"
like "$(jq -r .msg "$T/log.json")" '^exec failed: unable to start container process: exec: "/nonexistent"' "json log: the message"
is "$(cat "$T/stderr")" "$(jq -r .msg "$T/log.json")" "json log: the bare message on stderr too"

# ---- signals and descriptors: defaults, nothing inherited ----
is "$( (trap '' PIPE; oci exec "$ID" grep -E '^Sig(Ign|Blk)' /proc/self/status | tr '\t\n' '  ') )" \
	"SigBlk: 0000000000000000 SigIgn: 0000000000000000 " "dispositions and mask reset (conmon ignores SIGPIPE)"
is "$(oci exec "$ID" ls /proc/self/fd 4</dev/null 5</dev/null | sort -n | tr '\n' ' ')" "0 1 2 3 " \
	"only stdio reaches the process (3: ls's own directory)"
is "$(timeout -k 5 30 "$CORDON" oci --root "$R" exec --preserve-fds 2 "$ID" ls /proc/self/fd 3</dev/null 4</dev/null 5</dev/null | sort -n | tr '\n' ' ')" \
	"0 1 2 3 4 5 " "--preserve-fds 2: fds 3 and 4 reach it (5: ls's own)"

# ---- --detach --pid-file, under a subreaper (as conmon) ----
cat > "$T/reaper.py" <<'EOF'
import ctypes, os, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)        # PR_SET_CHILD_SUBREAPER
rc = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL).returncode
text = open(sys.argv[1]).read()
pid = int(text)
ppid = int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[1])
_, status = os.waitpid(pid, 0)
print(rc, repr(text) == repr(str(pid)), ppid == os.getpid(), os.waitstatus_to_exitcode(status))
EOF
is "$(timeout -k 5 30 python3 "$T/reaper.py" "$T/exec.pid" "$CORDON" oci --root "$R" exec --detach --pid-file "$T/exec.pid" \
	"$ID" sh -c 'sleep 1; exit 5')" "0 True True 5" \
	"--detach: exits 0 at once, pid file without newline, the process adopted and reaped by the subreaper: 5"
cd "$T" && timeout -k 5 30 python3 "$T/reaper.py" rel.pid "$CORDON" oci --root "$R" exec -d --pid-file rel.pid "$ID" true >/dev/null
ok $? "--pid-file relative to the caller's directory"; cd - >/dev/null
ok "$([ ! -e "$T/exec.pid.tmp" ] && [ ! -e "$T/rel.pid.tmp" ]; echo $?)" "no temporary pid file left"

# ---- --tty --console-socket: the pty master goes to the socket ----
cat > "$T/recv.py" <<'EOF'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 64, 1)
out = b""
while True:
    try:
        d = os.read(fds[0], 1024)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.write(msg.decode() + "|" + out.decode().replace("\r", ""))
EOF
timeout -k 5 30 python3 "$T/recv.py" "$T/console.sock" > "$T/console.out" &
rp=$!
for _ in $(seq 50); do [ -S "$T/console.sock" ] && break; sleep 0.1; done
oci exec --detach --tty --console-socket "$T/console.sock" "$ID" sh -c 'tty; echo hello tty; [ -t 0 ] && echo stdin is a tty' 2>"$T/tty.err"
ok $? "exec --detach --tty --console-socket" || sed 's/^/#   /' "$T/tty.err"
wait "$rp"
like "$(cat "$T/console.out")" "^/dev/ptmx\|/dev/pts/[0-9]+
hello tty
stdin is a tty\$" "the master came over the socket; the process's stdio is a pty of the container"

# ---- interception: the exec's listener is registered with the monitor ----
mkdir -p "$T/b2" && ln -s "$B/rootfs" "$T/b2/rootfs"
jq '.annotations = {"org.cordon.intercept.sysinfo": "true"}' "$B/config.json" > "$T/b2/config.json"
oci create --bundle "$T/b2" "$ID-b" >/dev/null 2>"$T/b.err" && oci start "$ID-b"
ok $? "a container with interception" || sed 's/^/#   /' "$T/b.err"
is "$(x "$ID-b" sh -c 'echo intercepted; exit 3')" "intercepted|rc 3" "exec into it: the listener acknowledged, the command ran"

# ---- config.json changed after create: the create-time process ----
cp "$B/config.json" "$T/config.saved"
jq '.process.env += ["EDITED=1"] | .process.capabilities.bounding += ["CAP_NET_ADMIN"]' "$T/config.saved" > "$B/config.json"
is "$(x "$ID" sh -c 'echo ${EDITED:-create-time}; grep CapBnd /proc/self/status')" \
	"create-time
$(grep CapBnd "/proc/$PID/status")|rc 0" \
	"config.json edited after create: the process the container was created with (runc's state.json), its blob"
cp "$T/config.saved" "$B/config.json"

# ---- a stopped container ----
oci kill "$ID" KILL
for _ in $(seq 100); do [ "$(st "$ID" .status)" = stopped ] && break; sleep 0.1; done
is "$(st "$ID" .status)" "stopped" "killed: stopped"
refused "exec failed: cannot exec in a stopped container" "exec in a stopped container" "$ID" true

# ---- nothing left ----
oci delete "$ID" && oci delete --force "$ID-b"
ok $? "delete both"
ok "$([ ! -e "$R/$ID" ] && [ ! -e "/run/cordon/$ID" ] && [ ! -e "/run/cordon/$ID-b" ]; echo $?)" \
	"no state left (ROOT/ID with its blob link, /run/cordon/ID)"
is "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "*$ID*" 2>/dev/null)" "" "no cgroup left"
is "$(pgrep -f "cordon-runtime.*$ID" | wc -l)" "0" "no runtime process left"
done_testing
