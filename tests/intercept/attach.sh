#!/bin/bash
# cordon attach into a container with syscall interception: the attached
# process's own filter listener goes to the monitor over its control socket
# (/run/cordon/NAME/control), so mknod and sysinfo are intercepted for it
# (and not without the keys); 20 attaches leave the monitor's fds and
# threads as they were; the socket answers root only and refuses garbage
# (wrong size, type, no fd, two fds, a pipe, a listener from outside the
# container) with exact messages, hangs up on a silent peer after 5 s and
# queues a flood only so far (then EAGAIN), while the container and its
# interception carry on; at most 64 attached listeners; a stopped monitor,
# a missing socket or a flood fail the attach (exit 3) before the command
# runs, without hanging; a stop with an attached process running is quick.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/manager/lib.sh"
mg_require_root
HELPER=$top_builddir/tests/intercept/icpt-helper
[ -x "$HELPER" ] || skip_all "tests/intercept/icpt-helper not built"
# The system's python3 (uid 65534 runs it too).
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3 (the raw control socket tests use it)"
command -v setpriv >/dev/null || skip_all "no setpriv (util-linux)"
mg_setup
# A private copy of the profiles: the blob must not go stale while the
# test runs (every attach checks it).
mkdir "$T/profiles"
cp "$top_srcdir"/profiles/*.conf "$top_srcdir"/profiles/*.seccomp "$T/profiles/"
export CORDON_PROFILES_DIR=$T/profiles
n=mg$$-ia
"$CORDON" create "$n" -t busybox -P "$P" >/dev/null || { echo "Bail out! create failed"; exit 1; }
cp "$HELPER" "$P/$n/rootfs/bin/icpt-helper"
if grep -qE ' - cgroup cgroup [^ ]*memory' /proc/self/mountinfo; then
	limit="lxc.cgroup.memory.limit_in_bytes = 123M"
else
	limit="lxc.cgroup2.memory.max = 123M"
fi
cp "$P/$n/config" "$T/config.plain"
printf '%s\n' "security.syscalls.intercept.mknod = true" "security.syscalls.intercept.sysinfo = true" \
	"$limit" >>"$P/$n/config"
run compile -P "$P" "$n"
run start -d -P "$P" "$n"
is "$rc:$err" "0:" "start with mknod and sysinfo interception"
mon=$(cat "/run/cordon/$n/monitor")
sock=/run/cordon/$n/control
is "$(stat -c '%F %a %U' "$sock")" "socket 600 root" "the monitor's control socket: mode 0600, root's"

# attach CMD...: cordon attach, at most 30 s (then SIGKILL).
att() {
	out=$(timeout -k 5 30 "$CORDON" attach -P "$P" "$n" -- "$@" 2>"$T/err" </dev/null) && rc=0 || rc=$?
	err=$(cat "$T/err")
}
# The monitor's open fds and threads.
counts() {
	local fds=("/proc/$mon/fd/"*) tasks=("/proc/$mon/task/"*)
	echo "fds ${#fds[@]} threads ${#tasks[@]}"
}
# The seccomp listeners the monitor holds.
listeners() {
	local f k=0
	for f in "/proc/$mon/fd/"*; do
		[ "$(readlink "$f" 2>/dev/null)" = "anon_inode:seccomp notify" ] && k=$((k + 1))
	done
	echo "$k"
}
# settle WANT: wait up to 5 s for counts to be WANT (the monitor stops an
# attached supervisor on the listener's POLLHUP, just after attach returns).
settle() {
	for _ in $(seq 100); do [ "$(counts)" = "$1" ] && break; sleep 0.05; done
	counts
}

att /bin/sh -c 'mkdir -p /tmp/scratch && icpt-helper mknod /tmp/scratch/null c 1 3 && icpt-helper open /tmp/scratch/null'
is "$rc:$out:$err" "0:ok
ok:" "attached: mknod of /dev/null (c 1:3) in a scratch dir is granted and the node opens"
is "$(stat -c '%F %t:%T %u' "$P/$n/rootfs/tmp/scratch/null")" "character special file 1:3 100000" \
	"the node is real, owned by the attached caller's host uid"
att icpt-helper sysinfo
is "$rc:$(echo "$out" | cut -d' ' -f1-2)" "0:ok $((123 * 1024 * 1024))" \
	"attached: sysinfo is intercepted (totalram is the 123 MiB limit)"
att /bin/sh -c 'icpt-helper mknod /tmp/scratch/mem c 1 1'
is "$rc:$out" "0:errno 1" "attached: char 1:1 is still refused"

# The baseline once the attaches above are all gone: only the init's
# listener left and the counts steady for 0.2 s (an attached supervisor
# stops just after its attach returns).
for _ in $(seq 100); do
	a=$(counts); sleep 0.2
	[ "$(listeners)" = 1 ] && [ "$(counts)" = "$a" ] && break
done
base=$(counts)
"$CORDON" attach -P "$P" "$n" -- /bin/sleep 30 </dev/null &
bg=$!
for _ in $(seq 100); do [ "$(listeners)" -ge 2 ] && break; sleep 0.05; done
is "$(listeners)" 2 "while one attached process runs, the monitor serves two listeners"
kill "$bg"
wait "$bg"
is "$(settle "$base")" "$base" "its listener is closed when it ends ($base)"
fails=0
for i in $(seq 20); do
	att icpt-helper mknod "/tmp/scratch/n$i" c 1 3
	[ "$rc:$out" = "0:ok" ] || fails=$((fails + 1))
done
is "$fails" 0 "20 sequential attaches: every mknod granted"
is "$(settle "$base")" "$base" "20 sequential attaches leave the monitor's fds and threads flat"

# The control socket: root only.
setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" - "$sock" <<'EOF' >"$T/py" 2>&1
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try:
    s.connect(sys.argv[1])
    print("connected")
except PermissionError:
    print("EACCES")
EOF
is "$(cat "$T/py")" "EACCES" "uid 65534 cannot connect to the control socket (mode 0600 in a 0700 directory)"
# With the file modes opened up, the monitor itself refuses a peer that is not root.
chmod 0711 "/run/cordon/$n"
chmod 0666 "$sock"
setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" - "$sock" <<'EOF' >"$T/py" 2>&1
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(10)
s.connect(sys.argv[1])
d = s.recv(2048)
t, e = struct.unpack("Ii", d[:8])
print(t, e, d[8:].rstrip(b"\0").decode())
EOF
chmod 0700 "/run/cordon/$n"
chmod 0600 "$sock"
like "$(cat "$T/py")" "^3 1 permission denied: the peer \(pid [0-9]+\) is uid 65534, not root$" \
	"the monitor refuses a peer that is not uid 0 (SO_PEERCRED): SYNC_ERROR, EPERM"

# Garbage on the control socket, as root: each refused with its message.
cat >"$T/garbage.py" <<'EOF'
import ctypes, os, socket, struct, sys, time
path, case = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(10)
s.connect(path)
LISTENER = struct.pack("Ii", 5, 0)
def rights(*fds):
    return [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("%di" % len(fds), *fds))]
r, w = os.pipe()
if case == "short":
    s.sendmsg([b"abc"])
elif case == "long":
    s.sendmsg([LISTENER + b"x" * 100], rights(r))
elif case == "type":
    s.sendmsg([struct.pack("Ii", 1, 0)], rights(r))
elif case == "nofd":
    s.sendmsg([LISTENER])
elif case == "twofds":
    s.sendmsg([LISTENER], rights(r, w))
elif case == "pipe":
    s.sendmsg([LISTENER], rights(r))
elif case == "outsider":
    # A real seccomp listener (an allow-all filter with NEW_LISTENER) from
    # a process outside the container.
    libc = ctypes.CDLL(None, use_errno=True)
    insn = struct.pack("HBBI", 0x06, 0, 0, 0x7FFF0000)  # BPF_RET|BPF_K, SECCOMP_RET_ALLOW
    buf = ctypes.create_string_buffer(insn)
    class Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
    prog = Fprog(1, ctypes.addressof(buf))
    fd = libc.syscall(317, 1, 8, ctypes.byref(prog))  # seccomp(SET_MODE_FILTER, NEW_LISTENER)
    if fd < 0:
        print("seccomp failed", ctypes.get_errno())
        sys.exit(1)
    s.sendmsg([LISTENER], rights(fd))
elif case == "silent":
    # Say nothing: the monitor hangs up after its 5 s.
    t0 = time.time()
    d = s.recv(2048)
    print("eof" if d == b"" else "data", "after %d s" % round(time.time() - t0))
    sys.exit(0)
elif case == "flood":
    # Connect until the monitor's queue is full (EAGAIN), in rounds (it
    # accepts some meanwhile), then hold every connection silently.
    socks = [s]
    while True:
        added = 0
        while len(socks) < 1000:
            c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET | socket.SOCK_NONBLOCK)
            try:
                c.connect(path)
            except BlockingIOError:
                break
            socks.append(c)
            added += 1
        if added == 0:
            break
        time.sleep(0.3)
    print(len(socks), flush=True)
    time.sleep(float(sys.argv[3]))
    sys.exit(0)
d = s.recv(2048)
t, e = struct.unpack("Ii", d[:8])
print(t, e, d[8:].rstrip(b"\0").decode())
EOF
garbage() {
	timeout -k 5 20 "$PY" "$T/garbage.py" "$sock" "$@" 2>&1
}
is "$(garbage short)" "3 71 a listener message is 8 bytes, not 3" "garbage: a 3-byte message is refused"
is "$(garbage long)" "3 71 a listener message is 8 bytes, not 108" "garbage: a 108-byte message is refused"
is "$(garbage type)" "3 71 unexpected message (type 1, errnum 0)" "garbage: a message of another type is refused"
is "$(garbage nofd)" "3 71 the listener message carries no fd" "garbage: a listener message without an fd is refused"
is "$(garbage twofds)" "3 71 the listener message carries 2 fds, not one" "garbage: two fds are refused"
is "$(garbage pipe)" "3 71 the fd sent is not a seccomp listener" "garbage: a pipe is refused"
like "$(garbage outsider)" "^3 1 the sender \(pid [0-9]+\) is not in the container's pid namespace$" \
	"garbage: a real listener from a process outside the container is refused"
is "$(garbage silent)" "eof after 5 s" "a connection that says nothing is closed after 5 s"
garbage flood 4 >"$T/flood" &
flood=$!
for _ in $(seq 100); do [ -s "$T/flood" ] && break; sleep 0.05; done
conns=$(cat "$T/flood")
ok "$([ "$conns" -ge 90 ] && [ "$conns" -le 100 ]; echo $?)" \
	"a flood of connections: 32 accepted and 64 queued, then EAGAIN ($conns connections)"
att /bin/touch /tmp/ran-busy
is "$rc:$err" "3:cordon: attach $n: control: the monitor does not accept connections on '$sock' (busy or stopped)" \
	"an attach during the flood is refused at once: exit 3"
ok "$([ ! -e "$P/$n/rootfs/tmp/ran-busy" ]; echo $?)" "... and its command did not run"
wait "$flood"
ok "$(kill -0 "$mon"; echo $?)" "the monitor is still running"
att icpt-helper mknod /tmp/scratch/after c 1 3
is "$rc:$out" "0:ok" "after the garbage, an attach still gets its mknod intercepted"
att icpt-helper sysinfo
is "$(echo "$out" | cut -d' ' -f1-2)" "ok $((123 * 1024 * 1024))" "after the garbage, sysinfo is still intercepted"
is "$(settle "$base")" "$base" "the garbage left the monitor's fds and threads as they were"

# At most 64 attached listeners.
pids=()
for i in $(seq 64); do
	"$CORDON" attach -P "$P" "$n" -- /bin/sleep 60 </dev/null >/dev/null 2>"$T/bg.$i" &
	pids+=($!)
done
for _ in $(seq 600); do [ "$(listeners)" -ge 65 ] && break; sleep 0.05; done
is "$(listeners)" 65 "64 attached processes: the monitor serves 65 listeners"
is "$(cat "$T"/bg.*)" "" "... none of them failed"
att /bin/touch /tmp/ran-65
is "$rc:$err" "3:cordon: attach $n: control: the monitor refused the seccomp listener: 64 attached processes use interception already (the limit)" \
	"the 65th attached listener is refused: exit 3"
ok "$([ ! -e "$P/$n/rootfs/tmp/ran-65" ]; echo $?)" "the refused command did not run"
kill "${pids[@]}"
wait "${pids[@]}" 2>/dev/null
is "$(settle "$base")" "$base" "the 64 attached listeners are gone with their processes"

# A stopped monitor: no answer, exit 3 after 5 s, the command never runs.
kill -STOP "$mon"
start=$(date +%s)
att /bin/touch /tmp/ran-stopped
is "$rc:$err" "3:cordon: attach $n: control: the monitor (pid $mon) did not answer within 5 s; the command was not run" \
	"attach to a container whose monitor is stopped: exit 3"
ok "$([ $(($(date +%s) - start)) -lt 15 ]; echo $?)" "... within the 5 s answer timeout, no hang"
ok "$([ ! -e "$P/$n/rootfs/tmp/ran-stopped" ]; echo $?)" "... and the command did not run"
kill -CONT "$mon"
is "$(settle "$base")" "$base" "the monitor, continued, drops the listener of the process that gave up"
att icpt-helper mknod /tmp/scratch/cont c 1 3
is "$rc:$out" "0:ok" "the continued monitor serves attaches again"

# A monitor without its control socket.
mv "$sock" "$T/control.moved"
att /bin/true
is "$rc:$err" "3:cordon: attach $n: control: the monitor has no control socket ('$sock' does not exist)" \
	"no control socket: exit 3 with the path"
mv "$T/control.moved" "$sock"

# The container stops while an attached process runs: the monitor stops
# its supervisor too, nothing waits.
"$CORDON" attach -P "$P" "$n" -- /bin/sleep 60 </dev/null >/dev/null 2>&1 &
bg=$!
for _ in $(seq 100); do [ "$(listeners)" -ge 2 ] && break; sleep 0.05; done
start=$(date +%s)
run stop -k -P "$P" "$n"
is "$rc" 0 "stop -k with an attached process running"
ok "$([ $(($(date +%s) - start)) -lt 10 ]; echo $?)" "... takes less than 10 s"
ok "$(mg_wait_gone "$mon"; echo $?)" "... the monitor is gone"
ok "$(timeout -k 5 10 tail --pid="$bg" -f /dev/null; echo $?)" "... and so is the attached command"

# Without the keys: no interception for the attached process.
cp "$T/config.plain" "$P/$n/config"
run compile -P "$P" "$n"
run start -d -P "$P" "$n"
att icpt-helper mknod /tmp/scratch/off c 1 3
is "$rc:$out" "0:errno 1" "without the key, mknod in an attached process is refused (EPERM)"

# A monitor that is gone: the container is not running.
mon=$(cat "/run/cordon/$n/monitor")
kill -KILL "$mon"
mg_wait_gone "$mon"
for _ in $(seq 100); do [ -e "/proc/$(cat "/run/cordon/$n/pid" 2>/dev/null)" ] || break; sleep 0.05; done
att /bin/true
is "$rc:$(echo "$err" | tail -n1)" "5:cordon: attach $n: '$n' is not running" \
	"attach to a container whose monitor is gone: exit 5"
run destroy -f -P "$P" "$n"
is "$rc" 0 "destroy -f after the monitor was killed"
mg_gone "$n" "destroy -f"
done_testing
