#!/bin/bash
# `cordon oci` (and cordon-oci): the OCI state machine create -> start ->
# kill -> delete, runc's wording for each wrong order, the pid file, the
# blob cache, signals by name and number, delete --force of a running
# container, unknown ids, the json log podman reads.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
command -v jq >/dev/null || skip_all "jq is not installed"
rt_setup
ID=oci-cli-$$
R=$T/root
B=$T/bundle
mkdir -p "$B"
mv "$T/rootfs" "$B/rootfs"
oci_cleanup() {
	for i in "$ID" "$ID-b" "$ID-c" "$ID-d" "$ID-e" "$ID-f"; do
		timeout -k 5 20 "$CORDON" oci --root "$R" delete --force "$i" >/dev/null 2>&1
	done
	rt_teardown
}
trap oci_cleanup EXIT

jq '.process.terminal = false | .root.readonly = false | .process.args = ["sleep", "1000"] |
    .process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_CHOWN", "CAP_KILL"],
                             "permitted": ["CAP_CHOWN", "CAP_KILL"]} |
    .annotations = {"org.example.z": "1", "org.example.a": "2"} |
    del(.mounts[] | select(.destination == "/dev/mqueue"))' \
	"$top_srcdir/doc/research/oci-runc-spec.json" > "$B/config.json"

oci() { timeout -k 5 30 "$CORDON" oci --root "$R" "$@" </dev/null; }
# Run, expect status 1 and runc's message (the text log line on stderr).
refused() {
	local want=$1 what=$2; shift 2
	local out; out=$(oci "$@" 2>&1); local rc=$?
	is "$rc" "1" "$what: status 1"
	# logrus quotes the message as a JSON string.
	local q; q=$(jq -n --arg s "$want" '$s | tojson' -r | sed 's/[][\.*^$()+?{}|]/\\&/g')
	like "$out" "level=error msg=$q\$" "$what: '$want'"
}
st() { oci state "$1" | jq -r "$2"; }
# create ID, the container's stdio in files (never a pipe the test waits on).
create() { local id=$1; shift; oci create --bundle "$B" "$@" "$id" >"$T/$id.out" 2>"$T/$id.err"; }

like "$("$CORDON" oci --version)" "^cordon-oci version " "--version"
ln -s "$CORDON" "$T/cordon-oci"
is "$("$T/cordon-oci" --version)" "$("$CORDON" oci --version)" "called as cordon-oci it is 'cordon oci'"
is "$("$T/cordon-oci" --root "$R" features | jq -c '[.linux.seccomp.enabled, .linux.cgroup.v1, (.linux.namespaces | index("user") != null)]')" \
	'[true,true,true]' "features: seccomp, cgroup v1, user namespaces"

# ---- create -> state(created) ----
create "$ID" --pid-file "$T/pidfile"
ok $? "create" || sed 's/^/#   /' "$T/$ID.err"
PID=$(cat "$T/pidfile")
like "$PID" '^[0-9]+$' "the pid file holds a decimal pid"
is "$(wc -c < "$T/pidfile")" "${#PID}" "the pid file has no newline (as runc)"
is "$(stat -c %a "$R" "$R/$ID" "$R/$ID/exec.fifo" | tr '\n' ' ')" "700 700 600 " \
	"only root reaches the state: ROOT and ROOT/ID 0700, exec.fifo 0600"
is "$(st "$ID" '[.status, .pid, .id, .bundle, .ociVersion] | @tsv')" "created	$PID	$ID	$B	1.0.2" "state: created, the pid, id, bundle"
is "$(st "$ID" '.annotations | keys | join(",")')" "org.example.a,org.example.z" "state: annotations, keys sorted"
PPID_OF=$(ps -o ppid= -p "$PID" | tr -d ' ')
isnt_monitor=$(ps -o comm= -p "$PPID_OF")
ok "$([ "$isnt_monitor" != cordon-runtime ]; echo $?)" "the init's parent is not a cordon monitor (CLONE_PARENT; parent: $isnt_monitor)"
like "$(tr '\0' ' ' < "/proc/$PID/cmdline")" "cordon-runtime" "created: the init waits before exec"
BLOB=$(ls "$R"/blobs/*.blob)
MTIME=$(stat -c %y "$BLOB")

refused "create failed: container with given ID already exists" "create of an existing id" create "$ID"
refused "create failed: invalid container ID format" "create of id 'bad/id'" create "bad/id"

# ---- start -> state(running) ----
oci start "$ID"
ok $? "start"
is "$(st "$ID" '[.status, .pid] | @tsv')" "running	$PID" "state: running, the same pid"
is "$(tr '\0' ' ' < "/proc/$PID/cmdline")" "sleep 1000 " "running: the init exec'd process.args"
refused "cannot start an already running container" "start of a running container" start "$ID"
refused "cannot delete container $ID that is not stopped: running" "delete of a running container" delete "$ID"

# ---- kill (by name) -> state(stopped) -> delete ----
oci kill "$ID" KILL
ok $? "kill ID KILL"
for _ in $(seq 50); do [ "$(st "$ID" .status)" = stopped ] && break; sleep 0.1; done
is "$(st "$ID" '[.status, .pid] | @tsv')" "stopped	0" "state: stopped, pid 0"
refused "container not running" "kill of a stopped container" kill "$ID" 9
refused "cannot start a container that has stopped" "start of a stopped container" start "$ID"
oci delete "$ID"
ok $? "delete of a stopped container"
ok "$([ ! -e "$R/$ID" ]; echo $?)" "delete removes ROOT/ID"
refused "container does not exist" "state of a deleted container" state "$ID"
refused "container does not exist" "start of an unknown id" start "$ID"
refused "container does not exist" "kill of an unknown id" kill "$ID"
refused "container does not exist" "delete of an unknown id" delete "$ID"
is "$(oci delete --force "$ID" 2>&1; echo "rc $?")" "rc 0" "delete --force of an unknown id: silent success"
refused "\"state\" requires exactly 1 argument(s)" "state without an id" state

# ---- the blob cache: a second create of the same bundle does not compile ----
sleep 0.05
create "$ID-b"
ok $? "a second create of the same bundle"
is "$(ls "$R"/blobs | wc -l)" "1" "one cached blob"
is "$(stat -c %y "$BLOB")" "$MTIME" "the cached blob is not rewritten"
# ---- kill by number; the state follows ----
oci start "$ID-b" && oci kill "$ID-b" 9
ok $? "kill ID 9"
for _ in $(seq 50); do [ "$(st "$ID-b" .status)" = stopped ] && break; sleep 0.1; done
is "$(st "$ID-b" .status)" "stopped" "kill 9: stopped"
oci delete "$ID-b"
refused "unknown signal \"NOSUCH\"" "kill with an unknown signal name" kill "$ID-b" NOSUCH

# ---- delete --force of a running container ----
create "$ID-c" --pid-file "$T/pid-c" && oci start "$ID-c"
ok $? "create and start a third container"
PID=$(cat "$T/pid-c")
oci delete --force "$ID-c"
ok $? "delete --force of a running container"
ok "$([ ! -e "/proc/$PID/cmdline" ] || [ "$(awk '{print $3}' "/proc/$PID/stat")" = Z ]; echo $?)" "its init is gone"
ok "$([ ! -e "$R/$ID-c" ] && [ ! -e "/run/cordon/$ID-c" ]; echo $?)" "no state left (ROOT/ID, /run/cordon/ID)"
is "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "*$ID-c*" 2>/dev/null)" "" "no cgroup left"

# ---- delete of a created container (allowed, as runc) ----
create "$ID-d" --pid-file "$T/pid-d" && oci delete "$ID-d"
ok $? "delete of a created container"
ok "$([ ! -e "$R/$ID-d" ]; echo $?)" "it is gone"

# ---- --console-socket: the pty master goes to the socket (as conmon's) ----
if command -v python3 >/dev/null; then
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
	mkdir -p "$T/b3" && ln -s "$B/rootfs" "$T/b3/rootfs"
	jq '.process.args = ["sh", "-c", "tty; echo hello tty; [ -t 0 ] && echo stdin is a tty"]' "$B/config.json" > "$T/b3/config.json"
	timeout -k 5 30 python3 "$T/recv.py" "$T/console.sock" > "$T/console.out" &
	rp=$!
	for _ in $(seq 50); do [ -S "$T/console.sock" ] && break; sleep 0.1; done
	oci create --bundle "$T/b3" --console-socket "$T/console.sock" "$ID-d" >/dev/null 2>"$T/d.err"
	ok $? "create --console-socket" || sed 's/^/#   /' "$T/d.err"
	oci start "$ID-d"
	wait "$rp"
	is "$(cat "$T/console.out")" "/dev/ptmx|/dev/pts/0
hello tty
stdin is a tty" "the master came over the socket; the container's stdio is the pty"
	oci delete --force "$ID-d"
else
	skip "python3 is not installed: no console socket receiver"
fi

# ---- errors in --log FILE --log-format json: one object per error ----
timeout -k 5 30 "$CORDON" oci --root "$R" --log "$T/log.json" --log-format json state nosuch 2>"$T/stderr"
is "$?" "1" "json log: state of an unknown id fails"
is "$(cat "$T/stderr")" "container does not exist" "json log: stderr holds the bare message"
is "$(wc -l < "$T/log.json")" "1" "json log: one line"
is "$(jq -c '[.level, .msg]' "$T/log.json")" '["error","container does not exist"]' "json log: level and msg"
like "$(jq -r .time "$T/log.json")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "json log: an RFC 3339 time"
is "$(jq -r 'keys_unsorted | join(",")' "$T/log.json")" "level,msg,time" "json log: the keys in runc's order"
# A failed create: podman reads the whole file as one object.
jq '.process.args = ["nosuchcommand"]' "$B/config.json" > "$T/c.json" && mkdir -p "$T/b2" &&
	mv "$T/c.json" "$T/b2/config.json" && ln -s "$B/rootfs" "$T/b2/rootfs"
timeout -k 5 30 "$CORDON" oci --root "$R" --log "$T/create.json" --log-format json \
	create --bundle "$T/b2" "$ID-e" </dev/null >/dev/null 2>&1
is "$?" "1" "create of a missing command fails"
is "$(jq -s 'length' "$T/create.json")" "1" "one JSON object in the log"
like "$(jq -r .msg "$T/create.json")" "^create failed: exec: 'nosuchcommand' not found" "the create's error"
ok "$([ ! -e "$R/$ID-e" ]; echo $?)" "a failed create leaves no ROOT/ID"
# runc's words, which podman turns into exit statuses 127 and 126.
jq '.process.args = ["/nonexistent"]' "$B/config.json" > "$T/b2/config.json"
is "$(oci create --bundle "$T/b2" "$ID-e" 2>&1 >/dev/null | sed 's/^time="[^"]*" //')" \
	'level=error msg="create failed: exec: \"/nonexistent\": stat /nonexistent: No such file or directory"' \
	"create of a missing absolute command: runc's 'no such file or directory'"
is "$(oci create --bundle "$T/b2" "$ID-e" 2>&1 >/dev/null | jq -R 'sub("^time=\"[^\"]*\" level=error msg=";"") | fromjson' -r)" \
	'create failed: exec: "/nonexistent": stat /nonexistent: No such file or directory' "the second create of it: the same (cached blob)"
jq '.process.args = ["/etc"]' "$B/config.json" > "$T/b2/config.json"
like "$(oci create --bundle "$T/b2" "$ID-e" 2>&1 >/dev/null)" 'create failed: exec: \\"/etc\\": Permission denied' \
	"create of a directory as the command: 'Permission denied'"
like "$(jq -r .msg "$T/create.json")" "executable file not found in \\\$PATH\$" "a command not in PATH: runc's 'executable file not found in \$PATH'"

# ---- the cache keeps at most 64 blobs, the oldest compiled go first ----
n0=$(ls "$R"/blobs | wc -l)
for i in $(seq 66); do
	jq --arg h "h$i" '.process.args = ["/nonexistent"] | .hostname = $h' "$B/config.json" > "$T/b2/config.json"
	oci create --bundle "$T/b2" "$ID-e" >/dev/null 2>&1
done
is "$(ls "$R"/blobs | wc -l)" "64" "the cache holds 64 blobs after $((n0 + 66)) compiled"
ok "$([ ! -e "$BLOB" ]; echo $?)" "the oldest blob went first"
is "$(ls /run/cordon | grep -c "^$ID")" "0" "no container state left in /run/cordon"

# ---- `runc spec` as written (ambient capabilities, no inheritable set); its
# monitor SIGKILLed: delete kills the init and removes the stale state ----
mkdir -p "$T/b3" && ln -s "$B/rootfs" "$T/b3/rootfs"
jq '.process.terminal = false | .root.readonly = false | .process.args = ["sleep", "1000"] |
    del(.mounts[] | select(.destination == "/dev/mqueue"))' \
	"$top_srcdir/doc/research/oci-runc-spec.json" > "$T/b3/config.json"
oci create --bundle "$T/b3" --pid-file "$T/pid-f" "$ID-f" >"$T/f.out" 2>"$T/f.err"
ok $? "create of runc spec's bundle (its ambient set is dropped, as runc does)" || sed 's/^/#   /' "$T/f.err"
PIDF=$(cat "$T/pid-f")
MONF=$(cat "/run/cordon/$ID-f/monitor")
kill -9 "$MONF"
while [ -d "/proc/$MONF" ] && [ "$(awk '{print $3}' "/proc/$MONF/stat" 2>/dev/null)" != Z ]; do sleep 0.05; done
is "$(st "$ID-f" .status)" "created" "monitor killed: the init still waits for start"
oci delete "$ID-f"
is "$?" "0" "delete after the monitor died"
is "$(ps -o stat= -p "$PIDF" | tr -d ' ' | grep -v '^Z')" "" "the init is gone"
ok "$([ ! -e "/run/cordon/$ID-f" ]; echo $?)" "its stale /run/cordon/ID is removed"
is "$(find /sys/fs/cgroup -maxdepth 3 -name "cordon-$ID-f" | wc -l)" "0" "its cgroups are removed"
ok "$([ ! -e "$R/$ID-f" ]; echo $?)" "ROOT/ID is removed"
done_testing
