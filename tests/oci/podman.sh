#!/bin/bash
# podman (Debian's 4.3, with conmon) runs containers with cordon-oci as its
# runtime: an image imported offline from the busybox rootfs, in a storage of
# the test's own (vfs driver, no network): exit statuses through conmon
# (which reaps the init: CLONE_PARENT), output, runc's create errors mapped
# to 127 and 126, run -d and stop; podman exec (-e, -u, -w, -d, -t, exit
# statuses, refusals).
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
command -v podman >/dev/null && command -v conmon >/dev/null || skip_all "podman and conmon are not installed"
rt_setup
IMG=localhost/cordon-oci-test-$$:latest
mkdir -p "$T/bin" "$T/storage" "$T/run" "$T/tmp"
ln -s "$CORDON" "$T/bin/cordon-oci"
# runtime_supports_json by name, else podman passes no --log; the rlimits
# within the host's hard limits (root lacks CAP_SYS_RESOURCE here).
# Debian's default sysctl, as in /usr/share/containers/containers.conf
# (CONTAINERS_CONF replaces that file).
cat > "$T/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
default_sysctls = ["net.ipv4.ping_group_range=0 0"]
[engine]
runtime_supports_json = ["crun", "runc", "cordon-oci"]
EOF
export CONTAINERS_CONF=$T/containers.conf TMPDIR=$T/tmp
pm() { timeout -k 5 60 podman --root "$T/storage" --runroot "$T/run" --storage-driver vfs \
	--runtime "$T/bin/cordon-oci" "$@" </dev/null; }
podman_cleanup() {
	pm rm -af >/dev/null 2>&1
	pm rmi -af >/dev/null 2>&1
	rm -rf "$T/storage" 2>/dev/null
	rt_teardown
}
trap podman_cleanup EXIT

tar -C "$T/rootfs" -cf "$T/rootfs.tar" . && pm import "$T/rootfs.tar" "$IMG" >/dev/null 2>"$T/err"
ok $? "podman import of the busybox rootfs" || { sed 's/^/#   /' "$T/err"; done_testing; }
run() { pm run --rm --network none "$IMG" "$@" 2>"$T/err"; }

run true
is "$?" "0" "run --rm true: 0"
run false
is "$?" "1" "run --rm false: 1 (conmon reaped the init)"
is "$(run sh -c 'echo hello from cordon; exit 7'; echo "rc $?")" "hello from cordon
rc 7" "output through conmon, exit 7"
is "$(run cat /proc/sys/net/ipv4/ping_group_range | tr '\t' ' ')" "0 0" \
	"podman's default sysctl net.ipv4.ping_group_range=0 0 is set in the container's netns (the host's is 1 0)"
run /nonexistent
is "$?" "127" "a missing command: 127"
like "$(cat "$T/err")" 'stat /nonexistent: No such file or directory' "podman shows runc's words"
run /etc
is "$?" "126" "a directory as the command: 126"
if command -v script >/dev/null; then
	out=$(timeout -k 5 60 script -qec "podman --root $T/storage --runroot $T/run --storage-driver vfs \
		--runtime $T/bin/cordon-oci run --rm -t --network none $IMG sh -c 'tty; exit 3'" /dev/null </dev/null)
	is "$?:$(printf '%s' "$out" | tr -d '\r')" "3:/dev/pts/0" "run -t (--console-socket): a pty, exit 3"
else
	skip "script(1) is not installed"
fi
id=$(pm run -d --network none "$IMG" sleep 1000 2>"$T/err")
ok $? "run -d sleep 1000"
is "$(pm inspect -f '{{.State.Status}}' "$id")" "running" "podman sees it running"
is "$(timeout -k 5 30 "$CORDON" oci state "$id" | jq -r .status)" "running" "cordon oci state: running"
# ---- podman exec: conmon calls `exec --pid-file P --process F --detach ID` ----
pe() { pm exec "$@" 2>"$T/err"; }
is "$(pe "$id" sh -c 'echo exec out; exit 6'; echo "rc $?")" "exec out
rc 6" "exec: output through conmon, exit 6"
pe "$id" true
is "$?" "0" "exec true: 0"
is "$(pe -e FOO=bar "$id" sh -c 'echo $FOO')" "bar" "exec -e FOO=bar"
is "$(pe -u 1000:1001 "$id" sh -c 'echo $(id -u):$(id -g)')" "1000:1001" "exec -u 1000:1001"
is "$(pe -w /tmp "$id" pwd)" "/tmp" "exec -w /tmp"
is "$(pe "$id" sh -c 'tr "\0" " " < /proc/1/cmdline')" "sleep 1000 " "exec: in the container's pid namespace"
pe "$id" /nonexistent
is "$?" "127" "exec of a missing command: 127"
like "$(cat "$T/err")" 'stat /nonexistent: No such file or directory' "podman shows runc's words"
pe "$id" /etc
is "$?" "126" "exec of a directory: 126"
pe --privileged "$id" true
is "$?" "255" "exec --privileged (capabilities beyond the container's): refused (podman: 255)"
like "$(cat "$T/err")" "exec failed: process.capabilities.bounding: CAP_[A-Z_]+ is not in the container's bounding set" \
	"podman shows why"
pe -d "$id" sh -c 'echo detached > /tmp/exec-d; sleep 1'
is "$?" "0" "exec -d: 0"
for _ in $(seq 50); do [ "$(pe "$id" cat /tmp/exec-d)" = detached ] && break; sleep 0.1; done
is "$(pe "$id" cat /tmp/exec-d)" "detached" "exec -d: the process ran in the container"
if command -v script >/dev/null; then
	out=$(timeout -k 5 60 script -qec "podman --root $T/storage --runroot $T/run --storage-driver vfs \
		--runtime $T/bin/cordon-oci exec -t $id sh -c 'tty; exit 3'" /dev/null </dev/null)
	is "$?:$(printf '%s' "$out" | tr -d '\r')" "3:/dev/pts/0" "exec -t (--console-socket): a pty, exit 3"
else
	skip "script(1) is not installed"
fi
pm stop -t 1 "$id" >/dev/null 2>&1
is "$(pm inspect -f '{{.State.ExitCode}}' "$id")" "137" "stop: TERM ignored by sleep as PID 1, then KILL: 137"
pm rm "$id" >/dev/null 2>&1
ok "$([ ! -e "/run/cordon-oci/$id" ] && [ ! -e "/run/cordon/$id" ]; echo $?)" "rm: no state left"
done_testing
