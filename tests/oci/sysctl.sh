#!/bin/bash
# OCI linux.sysctl and linux.devices, through `cordon compile --oci` and
# `cordon start`, checked from inside: the sysctls podman passes by default
# (net.ipv4.ping_group_range) and the ipc/mqueue/uts ones read back, the
# host's unchanged; a linux.devices node (/dev/net/tun or /dev/fuse) is
# there and opens when linux.resources.devices allows it, and the device
# cgroup refuses it when it does not (linux.devices grants no access, as in
# runc); each compile error with its JSON path and exact text, no blob.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
command -v jq >/dev/null || skip_all "jq is not installed"
rt_setup --uid-shift 100000
NAME=oci-sysctl-$$
B=$T/bundle
mkdir -p "$B"
mv "$T/rootfs" "$B/rootfs"

if [ -c /dev/net/tun ]; then DEV=/dev/net/tun; else DEV=/dev/fuse; fi
[ -c "$DEV" ] || skip_all "neither /dev/net/tun nor /dev/fuse on this host"
MAJ=$(stat -c '%t' "$DEV"); MAJ=$((16#$MAJ))
MIN=$(stat -c '%T' "$DEV"); MIN=$((16#$MIN))

# mk JQ-FILTER: $B/config.json from runc's spec with a user namespace.
mk() {
	jq '.process.terminal = false | .root.readonly = false | .hostname = "oci-box" |
	    del(.process.capabilities.ambient) |
	    del(.mounts[] | select(.destination == "/dev/mqueue")) |
	    .linux.namespaces += [{"type": "user"}] |
	    .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
	    .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] | '"$1" \
		"$top_srcdir/doc/research/oci-runc-spec.json" > "$B/config.json"
}
compile() { rm -f "$T/b.blob"; "$CORDON" compile --oci "$B" -n "$NAME" -o "$T/b.blob" >"$T/compile.out" 2>&1; }
run() { timeout -k 5 30 "$CORDON" start "$T/b.blob" -- /bin/sh -c "$1" </dev/null 2>"$T/err"; }

host_ping=$(cat /proc/sys/net/ipv4/ping_group_range)
host_shmmni=$(cat /proc/sys/kernel/shmmni)
host_dom=$(cat /proc/sys/kernel/domainname)

mk '.linux.sysctl = {"net.ipv4.ping_group_range": "0 0", "kernel.shmmni": "1234",
                     "fs.mqueue.queues_max": "77", "kernel.domainname": "oci.example"}'
compile
ok $? "linux.sysctl compiles" || sed 's/^/#   /' "$T/compile.out"
is "$(cat "$T/compile.out")" "" "no diagnostics"
is "$(run 'cat /proc/sys/net/ipv4/ping_group_range /proc/sys/kernel/shmmni /proc/sys/fs/mqueue/queues_max \
	/proc/sys/kernel/domainname; hostname')" "0	0
1234
77
oci.example
oci-box" "linux.sysctl read back from inside (podman's ping_group_range among them)"
is "$(cat /proc/sys/net/ipv4/ping_group_range) $(cat /proc/sys/kernel/shmmni) $(cat /proc/sys/kernel/domainname)" \
	"$host_ping $host_shmmni $host_dom" "the host's values are unchanged"
rt_clean "$NAME" "an OCI container with sysctls"

# linux.devices, allowed by linux.resources.devices
devs='.linux.devices = [{"path": "'$DEV'", "type": "c", "major": '$MAJ', "minor": '$MIN', "fileMode": 438, "uid": 65534, "gid": 65534}]'
mk "$devs"' | .linux.resources.devices += [{"allow": true, "type": "c", "major": '$MAJ', "minor": '$MIN', "access": "rw"}]'
compile
ok $? "linux.devices compiles" || sed 's/^/#   /' "$T/compile.out"
is "$(cat "$T/compile.out")" "" "mode and owner as the container sees them: no warning"
is "$(run "ls -l $DEV | awk '{print \$1, \$5, \$6}'; if (exec 3<>$DEV); then echo opened; else echo refused; fi")" "crw-rw-rw- $MAJ, $MIN
opened" "$DEV is the host's node and opens when resources.devices allows it"
rt_clean "$NAME" "an OCI container with a device"

mk "$devs"
compile
ok $? "linux.devices without a resources.devices rule compiles"
is "$(run "ls -l $DEV | awk '{print \$1}'; if (exec 3<>$DEV); then echo opened; else echo refused; fi")" "crw-rw-rw-
refused" "without a resources.devices rule the device cgroup refuses the open"
is "$(cat "$T/err")" "/bin/sh: can't create $DEV: Operation not permitted" "the open fails with EPERM"
rt_clean "$NAME" "an OCI container with a refused device"

# Compile errors: the JSON path and the exact text; no blob.
fails() {
	local filter=$1; shift
	mk "$filter"
	compile
	local st=$?
	local want
	want=$(printf '%s\n' "$@")
	is "$(cat "$T/compile.out")" "$want" "$(printf '%s' "$filter" | head -c 60): messages"
	is "$st" 1 "$(printf '%s' "$filter" | head -c 60): exit code 1"
	ok "$([ ! -e "$T/b.blob" ]; echo $?)" "$(printf '%s' "$filter" | head -c 60): no blob"
}
C="cordon: $B/config.json"
fails '.linux.sysctl = {"kernel.core_pattern": "|/x", "kernel.hostname": "h", "net..x": "1", "kernel.shmmax": "a\nb"}' \
	"$C: error: linux.sysctl[\"kernel.core_pattern\"]: sysctl 'kernel.core_pattern' is not namespaced: setting it from a container would change the host (a container may set kernel.msgmax, kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall, kernel.shmmax, kernel.shmmni, kernel.shm_rmid_forced, fs.mqueue.* (ipc namespace), net.* (network namespace), kernel.hostname and kernel.domainname (uts namespace))" \
	"$C: error: linux.sysctl[\"kernel.hostname\"]: sysctl 'kernel.hostname' is not allowed as it conflicts with the OCI 'hostname' field" \
	"$C: error: linux.sysctl[\"net..x\"]: invalid sysctl name: has an empty component" \
	"$C: error: linux.sysctl[\"kernel.shmmax\"]: invalid value: contains a newline" \
	"cordon: 4 errors generated; no blob written"
fails '.linux.namespaces |= map(select(.type != "network" and .type != "ipc")) | .linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.sem": "1 2 3 4", "kernel.msgmax": 5}' \
	"$C: error: linux.sysctl[\"net.ipv4.ip_forward\"]: sysctl 'net.ipv4.ip_forward' needs a network namespace of the container's own: add {\"type\": \"network\"} to linux.namespaces" \
	"$C: error: linux.sysctl[\"kernel.sem\"]: sysctl 'kernel.sem' needs an ipc namespace of the container's own: add {\"type\": \"ipc\"} to linux.namespaces" \
	"$C: error: linux.sysctl[\"kernel.msgmax\"]: expected a string, not an integer" \
	"cordon: 3 errors generated; no blob written"
fails '.linux.devices = [{"path": "'$DEV'", "type": "c", "major": '$MAJ', "minor": '$((MIN + 1))'},
                         {"path": "'$DEV'", "type": "b", "major": '$MAJ', "minor": '$MIN'},
                         {"path": "/dev/no-such-node", "type": "c", "major": 1, "minor": 3},
                         {"path": "/etc/passwd", "type": "c", "major": 1, "minor": 3},
                         {"path": "/dev/../etc/x", "type": "c", "major": 1, "minor": 3},
                         {"path": "/dev/fifo", "type": "p"},
                         {"path": "/dev/null", "type": "c"}]' \
	"$C: error: linux.devices[0]: '$DEV' on the host is c $MAJ:$MIN, config.json says c $MAJ:$((MIN + 1))" \
	"$C: error: linux.devices[1]: '$DEV' on the host is c $MAJ:$MIN, config.json says b $MAJ:$MIN" \
	"$C: error: linux.devices[2].path: cannot use '/dev/no-such-node': No such file or directory on the host (cordon-runtime bind-mounts the host's node: a user namespace cannot mknod)" \
	"$C: error: linux.devices[3].path: '/etc/passwd' is not below /dev/" \
	"$C: error: linux.devices[4].path: '/dev/../etc/x' has an empty, '.' or '..' component" \
	"$C: error: linux.devices[5].type: FIFOs are not supported: cordon-runtime only binds host device nodes" \
	"$C: error: linux.devices[6].major: missing" \
	"$C: error: linux.devices[6].minor: missing" \
	"cordon: 8 errors generated; no blob written"
# fileMode/uid/gid that differ from what the container sees: warnings.
mk '.linux.devices = [{"path": "'$DEV'", "type": "c", "major": '$MAJ', "minor": '$MIN', "fileMode": 384, "uid": 0, "gid": 0}]'
compile
ok $? "a device whose mode and owner differ from the host's compiles"
is "$(cat "$T/compile.out")" "$C: warning: linux.devices[0].fileMode: 0600 is not the host node's mode, 0666: the node is bind-mounted from the host and keeps the host's mode
$C: warning: linux.devices[0].uid: 0 is not the owner the container sees, 65534 (host uid 0): the node is bind-mounted from the host and keeps the host's owner
$C: warning: linux.devices[0].gid: 0 is not the owner the container sees, 65534 (host gid 0): the node is bind-mounted from the host and keeps the host's owner
cordon: 3 warnings generated" "fileMode, uid and gid that differ: warnings naming what the container sees"
done_testing
