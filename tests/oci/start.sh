#!/bin/bash
# An OCI bundle (busybox rootfs, ids shifted by 100000) compiled with
# `cordon compile --oci` and started with `cordon start BLOB -- CMD`: the
# hostname, env, cwd, uid, capabilities, a seccomp errno rule, a masked path
# and a read-only path are checked from inside.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
command -v jq >/dev/null || skip_all "jq is not installed"
rt_setup --uid-shift 100000
NAME=oci-start-$$
B=$T/bundle
mkdir -p "$B"
mv "$T/rootfs" "$B/rootfs"
printf 'top secret\n' > "$B/rootfs/etc/secret"
mkdir -p "$B/rootfs/opt/hidden" && printf 'x\n' > "$B/rootfs/opt/hidden/file"
chown -R 100000:100000 "$B/rootfs/etc/secret" "$B/rootfs/opt"

jq '.process.terminal = false | .root.readonly = false | .hostname = "oci-box" |
    .process.env = ["PATH=/bin:/sbin:/usr/bin:/usr/sbin", "GREETING=hello oci"] |
    .process.cwd = "/tmp" |
    .process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_CHOWN", "CAP_KILL"],
                             "permitted": ["CAP_CHOWN", "CAP_KILL"]} |
    del(.mounts[] | select(.destination == "/dev/mqueue")) |
    .linux.namespaces += [{"type": "user"}] |
    .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
    .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
    .linux.maskedPaths += ["/etc/secret", "/opt/hidden"] |
    .linux.readonlyPaths += ["/etc"] |
    .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
                      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                      "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}' \
	"$top_srcdir/doc/research/oci-runc-spec.json" > "$B/config.json"
"$CORDON" compile --oci "$B" -n "$NAME" -o "$T/b.blob" >"$T/compile.out" 2>&1
ok $? "the bundle compiles" || { sed 's/^/#   /' "$T/compile.out"; done_testing; }

run() { timeout -k 5 30 "$CORDON" start "$T/b.blob" -- /bin/sh -c "$1" </dev/null 2>"$T/err"; }

is "$(run 'hostname')" "oci-box" "hostname"
is "$(run 'echo "$GREETING"')" "hello oci" "process.env"
is "$(run 'pwd')" "/tmp" "process.cwd"
is "$(run 'id -u; id -g')" "0
0" "process.user: uid 0 and gid 0 in the container"
is "$(run 'cat /proc/self/uid_map' | tr -s ' ')" " 0 100000 65536" "uidMappings: 0 -> 100000"
is "$(run 'grep -E "^Cap(Bnd|Eff|Prm|Inh|Amb):" /proc/self/status')" "CapInh:	0000000000000000
CapPrm:	0000000000000021
CapEff:	0000000000000021
CapBnd:	0000000000000021
CapAmb:	0000000000000000" "capabilities: chown and kill only"
is "$(run 'mkdir /tmp/d 2>&1; echo status $?')" "mkdir: can't create directory '/tmp/d': Permission denied
status 1" "seccomp: mkdir fails with errnoRet 13 (EACCES)"
is "$(run 'touch /tmp/f && echo made')" "made" "other calls are allowed"
is "$(run 'cat /etc/secret; echo "[$?]"')" "[0]" "maskedPaths: a file reads empty"
is "$(run 'ls -A /opt/hidden; echo "[$?]"')" "[0]" "maskedPaths: a directory shows empty"
is "$(run '(echo x > /etc/new) 2>&1; echo status $?' | sed 's/^.*: //')" "Read-only file system
status 1" "readonlyPaths: /etc is read-only"
is "$(run 'echo x > /tmp/ok && cat /tmp/ok')" "x" "the rest of the rootfs stays writable"
is "$(run 'grep -c . /proc/sys/kernel/hostname; echo x > /proc/sys/kernel/hostname 2>/dev/null; echo $?')" "1
1" "/proc/sys (spec readonlyPaths) is read-only"
rt_clean "$NAME" "the OCI container"
done_testing
