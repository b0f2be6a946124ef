#!/bin/bash
# cordon compile --oci: bundles made from doc/research/oci-runc-spec.json
# with jq, each field compiled and checked with `cordon dump`; the exact
# diagnostics of bad input, and no blob written after an error.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"

command -v jq >/dev/null || skip_all "jq is not installed"
SPEC=$top_srcdir/doc/research/oci-runc-spec.json
T=$(mktemp -d /tmp/cordon-oci-compile.XXXXXX)
trap 'rm -rf "$T"' EXIT
N=0

# mk FILTER: a bundle b<N> whose config.json is the runc spec through FILTER;
# sets $B (the bundle) and $CFG.
mk() {
	N=$((N + 1))
	B=$T/b$N
	mkdir -p "$B/rootfs"
	jq "$1" "$SPEC" > "$B/config.json" || exit 99
	CFG=$B/config.json
}
# run: compile $B into $B/out.blob; $RC, $ERR (stderr), $DUMP (dump when written)
run() {
	rm -f "$B/out.blob"
	ERR=$("$CORDON" compile --oci "$B" -o "$B/out.blob" "$@" 2>&1 >/dev/null)
	RC=$?
	DUMP=""
	[ -f "$B/out.blob" ] && DUMP=$("$CORDON" dump "$B/out.blob")
}
# section NAME: the lines of dump section [NAME]
section() { printf '%s\n' "$DUMP" | awk -v s="[$1]" '$0 == s { on = 1; next } /^\[/ { on = 0 } on'; }
# fails FILTER MESSAGE...: compiling exits 1, writes nothing, prints exactly
# the messages then the summary (the spec's /dev/mqueue mount and ambient set
# left out)
fails() {
	local f=$1; shift
	mk "del(.mounts[4]) | del(.process.capabilities.ambient) | $f"
	run
	local want
	want=$(printf '%s\n' "$@")
	is "$RC" 1 "exit 1: $f"
	is "$ERR" "$want" "messages: $f"
	ok "$([ ! -e "$B/out.blob" ]; echo $?)" "no blob written: $f"
}
MQ="cordon: $T/bX/config.json: warning: mounts[4].destination: '/dev/mqueue' is not mounted: cordon-runtime makes /dev after the mounts"
# runc spec lists ambient capabilities without an inheritable set: dropped
AMB="cordon: $T/bX/config.json: warning: process.capabilities.ambient: CAP_KILL, CAP_NET_BIND_SERVICE, CAP_AUDIT_WRITE: not in both the permitted and the inheritable sets, not raised (as runc)"
mq() { printf '%s\n%s' "${AMB/bX/b$N}" "${MQ/bX/b$N}"; }

# --- the runc spec as it is
mk '.'
run
is "$RC" 0 "runc spec compiles"
is "$ERR" "$(mq)
cordon: 2 warnings generated" "runc spec: the ambient set and /dev/mqueue warnings"
is "$(section namespaces)" 'clone: 0x6c020000 mount uts ipc pid net
keep: 0x12000000 cgroup user
uts_name: "runc"
idmaps: []' "namespaces and hostname"
like "$(section rootfs)" "rootfs_path: \"$B/rootfs\"
rootfs_options: \"ro\"
mount_auto.proc: mixed
mount_auto.sys: ro
mount_auto.cgroup: ro" "root.path relative to the bundle, root.readonly, proc/sysfs/cgroup mounts"
like "$(section rootfs)" "autodev: true" "/dev, /dev/pts, /dev/shm: cordon's /dev"
is "$(section caps)" 'mode: keep
listed: 0x0000000020000420 kill net_bind_service audit_write
bounding: 0x0000000020000420 kill net_bind_service audit_write
effective: 0x0000000020000420 kill net_bind_service audit_write
permitted: 0x0000000020000420 kill net_bind_service audit_write
inheritable: 0x0000000000000000
ambient: 0x0000000000000000' "capabilities (the ambient set is dropped: no inheritable set)"
is "$(section rlimits)" 'rlimits:
  - resource: nofile
    soft: 1024
    hard: 1024' "rlimits"
is "$(section process | sed -n '1,9p')" 'init_cmd:
  - "sh"
init_cwd: "/"
init_uid: 0
init_gid: 0
environment:
  - "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  - "TERM=xterm"
arch: 0x0' "args, cwd, user, env"
like "$(section process)" "no_new_privs: true" "noNewPrivileges"
like "$(section devices)" "v1_writes:
  - devices.deny a
  - devices.allow c \*:\* m" "resources.devices deny-all + the default devices (v1 writes)" 
like "$(section devices)" "  - v(1|2) allow c 136:\* rwm" "default devices: pts"
is "$(section seccomp)" 'profile: unset
seccomp: no program' "no linux.seccomp: no program"
# maskedPaths: a tmpfs (directories) and /dev/null (files), both optional
like "$(section rootfs)" '  - source: "tmpfs"
    target: "/proc/kcore"
    fstype: "tmpfs"
    options: "ro,nosuid,nodev,noexec,size=0,mode=555,optional"
    dump: 0
    pass: 0
    flags: 0x1 optional
  - source: "/dev/null"
    target: "/proc/kcore"
    fstype: "none"
    options: "bind,optional"' "maskedPaths"
like "$(section rootfs)" "  - source: \"$B/rootfs/proc/sys\"
    target: \"/proc/sys\"
    fstype: \"none\"
    options: \"rbind,ro,nosuid,nodev,noexec,optional\"" "readonlyPaths: the path bound onto itself, read-only"
# the BUNDLE/config.json form and the default blob path
"$CORDON" compile --oci "$B/config.json" -o "$T/direct.blob" 2>/dev/null
ok $? "BUNDLE/config.json compiles too"
(cd "$B" && "$CORDON" compile --oci . 2>/dev/null)
ok "$([ -f "$B/b1.blob" ]; echo $?)" "default blob: BUNDLE/NAME.blob"
"$CORDON" check --oci "$B" 2>/dev/null
ok $? "check --oci"

# --- process
mk '.process.args=["/bin/echo","hi"] | .process.env=["A=1","B=two words"] | .process.cwd="/tmp" |
    .process.user={"uid":1000,"gid":1001} | .process.terminal=false | .process.noNewPrivileges=false |
    .process.capabilities={"bounding":["CAP_CHOWN","CAP_SYS_ADMIN"],"effective":["CAP_CHOWN"],"permitted":["CAP_CHOWN","CAP_SYS_ADMIN"],"inheritable":["CAP_KILL"]} |
    .process.rlimits=[{"type":"RLIMIT_NPROC","soft":10,"hard":20},{"type":"RLIMIT_CORE","soft":0,"hard":0}] |
    .process.apparmorProfile="cordon-default" | .hostname="oci-host"'
run
is "$RC" 0 "process variant compiles"
is "$(section process | sed -n '1,10p')" 'init_cmd:
  - "/bin/echo"
  - "hi"
init_cwd: "/tmp"
init_uid: 1000
init_gid: 1001
environment:
  - "A=1"
  - "B=two words"
arch: 0x0' "process args, env, cwd, user"
like "$(section process)" "no_new_privs: false" "noNewPrivileges false"
is "$(section caps)" 'mode: keep
listed: 0x0000000000200001 chown sys_admin
bounding: 0x0000000000200001 chown sys_admin
effective: 0x0000000000000001 chown
permitted: 0x0000000000200001 chown sys_admin
inheritable: 0x0000000000000020 kill
ambient: 0x0000000000000000' "each capability set"
is "$(section rlimits)" 'rlimits:
  - resource: nproc
    soft: 10
    hard: 20
  - resource: core
    soft: 0
    hard: 0' "RLIMIT_NPROC, RLIMIT_CORE"
like "$(section apparmor)" 'profile: "cordon-default"' "apparmorProfile"
like "$(section namespaces)" 'uts_name: "oci-host"' "hostname"

# --- mounts
mk '.mounts += [{"destination":"/data","type":"bind","source":"data","options":["rbind","rprivate","ro"]},
     {"destination":"/etc/hosts","source":"/etc/hosts","options":["bind"]},
     {"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","mode=1777","size=1m"]}]'
mkdir -p "$B/data"
run
is "$RC" 0 "mounts variant compiles"
like "$(section rootfs)" "  - source: \"$B/data\"
    target: \"/data\"
    fstype: \"none\"
    options: \"rbind,ro,create=dir\"" "bind mount: source relative to the bundle, rprivate dropped, create=dir"
like "$(section rootfs)" '  - source: "/etc/hosts"
    target: "/etc/hosts"
    fstype: "none"
    options: "bind,create=file"' "bind of a file: create=file"
like "$(section rootfs)" '  - source: "tmpfs"
    target: "/tmp"
    fstype: "tmpfs"
    options: "nosuid,mode=1777,size=1m,create=dir"' "tmpfs mount"

# --- user namespace and id maps
mk '.linux.namespaces += [{"type":"user"},{"type":"cgroup"}] |
    .linux.uidMappings=[{"containerID":0,"hostID":100000,"size":65536}] |
    .linux.gidMappings=[{"containerID":0,"hostID":200000,"size":1000}]'
run
is "$RC" 0 "user namespace variant compiles"
is "$(section namespaces)" 'clone: 0x7e020000 mount cgroup uts ipc user pid net
keep: 0x0
uts_name: "runc"
idmaps:
  - kind: u
    ns_id: 0
    host_id: 100000
    count: 65536
  - kind: g
    ns_id: 0
    host_id: 200000
    count: 1000' "uidMappings, gidMappings, user and cgroup namespaces"

# --- resources
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then V=v2; else V=v1; fi
mk '.linux.resources.devices += [{"allow":true,"type":"c","major":10,"minor":200,"access":"rw"},{"allow":false,"type":"b","major":8,"access":"w"}] |
    .linux.resources.memory={"limit":67108864} | .linux.resources.pids={"limit":100} |
    .linux.resources.cpu={"shares":512,"quota":50000,"period":100000}'
run
is "$RC" 0 "resources variant compiles"
like "$(section devices)" "rules:
  - $V allow c 10:200 rw
  - $V deny b 8:\* w
  - $V allow c \*:\* m" "device rules in order, before the default devices"
if [ $V = v1 ]; then
	is "$(section cgroups)" 'cgroups:
  - version: v1
    controller: "memory"
    file: "memory.limit_in_bytes"
    value: "67108864"
  - version: v1
    controller: "cpu"
    file: "cpu.shares"
    value: "512"
  - version: v1
    controller: "cpu"
    file: "cpu.cfs_period_us"
    value: "100000"
  - version: v1
    controller: "cpu"
    file: "cpu.cfs_quota_us"
    value: "50000"
  - version: v1
    controller: "pids"
    file: "pids.max"
    value: "100"' "memory, cpu, pids as cgroup v1 settings on this host"
else
	is "$(section cgroups)" 'cgroups:
  - version: v2
    controller: "memory"
    file: "memory.max"
    value: "67108864"
  - version: v2
    controller: "cpu"
    file: "cpu.weight"
    value: "20"
  - version: v2
    controller: "cpu"
    file: "cpu.max"
    value: "50000 100000"
  - version: v2
    controller: "pids"
    file: "pids.max"
    value: "100"' "memory, cpu, pids as cgroup2 settings on this host"
fi

# --- seccomp
mk '.linux.seccomp={"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],
     "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":13},
                 {"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]},
                 {"names":["nosuchcall","chmod"],"action":"SCMP_ACT_KILL_PROCESS"},
                 {"names":["chown"],"action":"SCMP_ACT_TRAP","args":[{"index":1,"value":4095,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]},
                 {"names":["getpid"],"action":"SCMP_ACT_ALLOW"}]}'
run
is "$RC" 0 "seccomp variant compiles"
is "$ERR" "$(mq)
cordon: $B/config.json: warning: linux.seccomp.syscalls[2].names[0]: unknown system call 'nosuchcall', ignoring (as runc does)
cordon: 3 warnings generated" "unknown syscall name: a warning, as runc skips it"
S=$(section seccomp)
like "$S" "profile: \"$B/config.json\"" "seccomp profile is config.json"
like "$S" "program x86_64 \(AUDIT_ARCH 0xc000003e\): ABIs x86_64 x32, default allow, 8 rules" "x86_64 program, default allow"
like "$S" "  x86_64 mkdir\(83\) errno 13  # line 1" "errnoRet"
like "$S" "  x86_64 personality\(135\) errno 1 \[0 == 0x8\]  # line 2" "args, ERRNO without errnoRet is EPERM"
like "$S" "  x86_64 chmod\(90\) kill  # line 3" "SCMP_ACT_KILL_PROCESS; the known name of the rule kept"
like "$S" "  x86_64 chown\(92\) trap \[1 & 0xfff == 0x0\]  # line 4" "MASKED_EQ: value is the mask, valueTwo the value"
printf '%s' "$S" | grep -q getpid; is "$?" 1 "a rule with the default action is dropped (as runc)"
like "$S" "program i386 \(AUDIT_ARCH 0x40000003\): ABIs x86, default allow" "x86 program"
mk '.linux.seccomp={"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"architectures":["SCMP_ARCH_X86_64"],
     "syscalls":[{"names":["read","write","exit_group"],"action":"SCMP_ACT_ALLOW"},
                 {"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"},{"index":0,"value":2,"op":"SCMP_CMP_EQ"}]},
                 {"names":["write"],"action":"SCMP_ACT_KILL"}]}'
run
is "$RC" 0 "allowlist profile compiles"
S=$(section seccomp)
like "$S" "default errno 38" "defaultErrnoRet"
like "$S" "  x86_64 clone\(56\) allow \[0 == 0x1\]  # line 2
  x86_64 clone\(56\) allow \[0 == 0x2\]  # line 2" "an argument tested twice: one rule per condition (as runc)"
is "$ERR" "$(mq)
cordon: $B/config.json: warning: linux.seccomp.architectures: 'SCMP_ARCH_X86' is not listed: cordon applies the same rules to its calls (runc kills them)
cordon: $B/config.json: warning: linux.seccomp.architectures: 'SCMP_ARCH_X32' is not listed: cordon applies the same rules to its calls (runc kills them)
cordon: $B/config.json: warning: linux.seccomp.syscalls[2]: the rule for 'write' never applies: linux.seccomp.syscalls[0] decides the call (as in runc), ignoring
cordon: 5 warnings generated" "architectures left out, a conflicting later rule: warnings"

# --- interception annotations
mk '.annotations={"org.cordon.intercept.mknod":"true","org.cordon.intercept.mount":"yes",
     "org.cordon.intercept.mount.allowed":"ext4","com.example.other":"anything"}'
run
is "$RC" 0 "interception annotations compile"
is "$(section intercept)" 'flags: 0x11 mknod mount
mount_allowed:
  - "ext4"
mount_fuse: []' "org.cordon.intercept.* = security.syscalls.intercept.*"
like "$(section seccomp)" "x86_64 mknod\(133\) notify" "interception rules in the filter"

# --- the podman config
mkdir -p "$T/podman"
cp "$top_srcdir/doc/research/oci-podman-config.json" "$T/podman/config.json"
B=$T/podman
run
is "$RC" 0 "podman's config.json compiles"
is "$ERR" "cordon: $B/config.json: warning: mounts[4].destination: '/dev/mqueue' is not mounted: cordon-runtime makes /dev after the mounts
cordon: $B/config.json: warning: linux.namespaces[1].path: joining '/run/netns/netns-16551f50-74dc-a8e6-6ba9-6a7700cc0bc1' is not supported by cordon-runtime yet: the container gets a new network namespace holding only lo
cordon: $B/config.json: warning: linux.cgroupsPath: '/libpod_parent/libpod-c41c6056d2b02631bc31ec711e8de841303e6a639f12e2ea2099cb1cebee8ae9' is not used: cordon-runtime puts the container in cordon-NAME below its own cgroup
cordon: $B/config.json: warning: linux.seccomp.syscalls[10]: the rule for 'setns' never applies: linux.seccomp.syscalls[1] decides the call (as in runc), ignoring
cordon: 4 warnings generated" "podman config: netns path, cgroupsPath, conflicting setns rule are warnings"
like "$(section rootfs)" "mount_auto.cgroup: ro" "podman's cgroup mount type: the runtime's cgroup tree, read-only"
like "$(section seccomp)" "default errno 38, 4[0-9][0-9] rules" "podman's seccomp profile compiled"
"$CORDON" compile --oci -Werror "$B" -o "$B/out.blob" 2>/dev/null
is "$?" 1 "-Werror applies to OCI warnings"

# --- errors
fails '.hostname=5' \
	"cordon: $T/b$((N + 1))/config.json: error: hostname: expected a string, not an integer" \
	"cordon: 1 error generated; no blob written"
fails '.process.args="sh" | .process.user.uid=-1 | .process.rlimits[0].type="RLIMIT_NOPE"' \
	"cordon: $T/b$((N + 1))/config.json: error: process.user.uid: -1 is out of range (0 to 4294967294)" \
	"cordon: $T/b$((N + 1))/config.json: error: process.args: expected an array, not a string" \
	"cordon: $T/b$((N + 1))/config.json: error: process.rlimits[0].type: unknown resource limit 'RLIMIT_NOPE'" \
	"cordon: 3 errors generated; no blob written"
fails '.linux.resources.devices += [{"allow":true,"type":"x","major":1,"minor":3,"access":"rwz"}]' \
	"cordon: $T/b$((N + 1))/config.json: error: linux.resources.devices[1].type: 'x' is not one of a, b, c" \
	"cordon: $T/b$((N + 1))/config.json: error: linux.resources.devices[1].access: 'rwz' is not a set of r, w and m" \
	"cordon: 2 errors generated; no blob written"
fails '.linux.seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_BOGUS"},{"names":["chmod"],"action":"SCMP_ACT_ERRNOO","args":[{"index":7,"value":1,"op":"SCMP_CMP_EQUAL"}]}]}' \
	"cordon: $T/b$((N + 1))/config.json: error: linux.seccomp.syscalls[0].action: unknown action 'SCMP_ACT_BOGUS'" \
	"cordon: $T/b$((N + 1))/config.json: error: linux.seccomp.syscalls[1].action: unknown action 'SCMP_ACT_ERRNOO' (did you mean 'SCMP_ACT_ERRNO'?)" \
	"cordon: $T/b$((N + 1))/config.json: error: linux.seccomp.syscalls[1].args[0].index: 7 is out of range (0 to 5)" \
	"cordon: $T/b$((N + 1))/config.json: error: linux.seccomp.syscalls[1].args[0].op: unknown comparison 'SCMP_CMP_EQUAL'" \
	"cordon: 4 errors generated; no blob written"
fails '.linux.devices=[{"path":"/dev/null","type":"c","major":1,"minor":4}] | .linux.sysctl={"kernel.core_pattern":"x"}' \
	"cordon: $T/b$((N + 1))/config.json: error: linux.sysctl[\"kernel.core_pattern\"]: sysctl 'kernel.core_pattern' is not namespaced: setting it from a container would change the host (a container may set kernel.msgmax, kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall, kernel.shmmax, kernel.shmmni, kernel.shm_rmid_forced, fs.mqueue.* (ipc namespace), net.* (network namespace), kernel.hostname and kernel.domainname (uts namespace))" \
	"cordon: $T/b$((N + 1))/config.json: error: linux.devices[0]: '/dev/null' on the host is c 1:3, config.json says c 1:4" \
	"cordon: 2 errors generated; no blob written"
fails '.linux.namespaces[2].path="/proc/1/ns/ipc"' \
	"cordon: $T/b$((N + 1))/config.json: error: linux.namespaces[2].path: joining an existing ipc namespace is not supported by cordon-runtime yet" \
	"cordon: 1 error generated; no blob written"
fails '.process.capabilities.bounding=["CAP_SYS_ADMN"] | .annotations={"org.cordon.intercept.mknd":"true","org.cordon.intercept.sysinfo":"maybe"}' \
	"cordon: $T/b$((N + 1))/config.json: error: process.capabilities.bounding[0]: unknown capability 'CAP_SYS_ADMN' (did you mean 'CAP_SYS_ADMIN'?)" \
	"cordon: $T/b$((N + 1))/config.json: error: annotations[\"org.cordon.intercept.mknd\"]: unknown interception key 'org.cordon.intercept.mknd' (did you mean 'org.cordon.intercept.mknod'?)" \
	"cordon: $T/b$((N + 1))/config.json: error: invalid value 'maybe' for 'security.syscalls.intercept.sysinfo': expected true or false (or 1/0, yes/no, on/off)" \
	"cordon: 3 errors generated; no blob written"
fails 'del(.root) | del(.hostname) | .linux.namespaces=[{"type":"pid"},{"type":"pid"}]' \
	"cordon: $T/b$((N + 1))/config.json: error: root: missing: a bundle names its root filesystem in root.path" \
	"cordon: $T/b$((N + 1))/config.json: error: linux.namespaces[1].type: 'pid' is listed twice" \
	"cordon: $T/b$((N + 1))/config.json: error: linux.namespaces: cordon-runtime needs a mount namespace: add {\"type\": \"mount\"}" \
	"cordon: 3 errors generated; no blob written"

fails '.linux.namespaces=[{"type":"mount"}]' \
	"cordon: $T/b$((N + 1))/config.json: error: hostname: setting a host name needs a uts namespace in linux.namespaces" \
	"cordon: 1 error generated; no blob written"
# unknown properties are ignored (the spec says so); a near miss of a known
# name gets a warning, since a typo would drop what it meant to set
mk 'del(.mounts[4]) | del(.process.capabilities.ambient) | .process.capabilitis={} | .linux.namespace=[] | .org_example_extension={"x":1}'
run
is "$RC" 0 "unknown properties are not an error"
is "$ERR" "cordon: $B/config.json: warning: process.capabilitis: unknown property, ignored (did you mean 'capabilities'?)
cordon: $B/config.json: warning: linux.namespace: unknown property, ignored (did you mean 'namespaces'?)
cordon: 2 warnings generated" "near misses of known names: warnings"

# Syntax: positions from jansson
N=$((N + 1)); B=$T/b$N; mkdir -p "$B"
printf '{\n  "ociVersion": "1.0.2",\n  "hostname": "a",\n  "hostname": "b"\n}\n' > "$B/config.json"
run
is "$RC" 1 "duplicate key: exit 1"
is "$ERR" "cordon: $B/config.json:4:12: error: duplicate object key near '\"hostname\"'
    4 |   \"hostname\": \"b\"
      |            ^
cordon: 1 error generated; no blob written" "duplicate key refused, with its position"
ok "$([ ! -e "$B/out.blob" ]; echo $?)" "duplicate key: no blob written"
printf '{"ociVersion": "1.0.2",\n "root": {"path": "rootfs",}}\n' > "$B/config.json"
run
like "$ERR" "^cordon: $B/config.json:2:28: error: string or '}' expected near '}'" "syntax error with line and column"
printf '%s' '{"a":' > "$B/config.json"; for _ in $(seq 40); do printf '[' >> "$B/config.json"; done
for _ in $(seq 40); do printf ']' >> "$B/config.json"; done; printf '}\n' >> "$B/config.json"
run
is "$ERR" "cordon: $B/config.json: error: objects and arrays nest deeper than 32 levels
cordon: 1 error generated; no blob written" "nesting deeper than the limit"
printf '[1]\n' > "$B/config.json"
run
is "$ERR" "cordon: $B/config.json:1:1: error: config.json must hold one JSON object
    1 | [1]
      | ^
cordon: 1 error generated; no blob written" "top level must be an object"
"$CORDON" compile --oci "$T/nosuch" 2>/dev/null
is "$?" 4 "missing bundle: exit 4"
# an existing blob is left as it was after an error
mk '.'
run
cp "$B/out.blob" "$T/keep.blob"
jq '.hostname=[]' "$SPEC" > "$B/config.json"
"$CORDON" compile --oci "$B" -o "$B/out.blob" 2>/dev/null
is "$?" 1 "error over an existing blob: exit 1"
cmp -s "$B/out.blob" "$T/keep.blob"
ok $? "the existing blob is untouched"

done_testing
