#!/bin/bash
# The rest of runc spec's fields, each honoured and checked from inside a
# container started from the compiled bundle (tests/oci/start.sh has the
# identity, capabilities, seccomp, masked and read-only paths): root.readonly,
# process.rlimits, noNewPrivileges, mounts (a tmpfs with its options, a
# read-only bind of a host directory), linux.resources pids, memory and
# cpu, and the default device rule (deny all but cordon's /dev nodes).
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
command -v jq >/dev/null || skip_all "jq is not installed"
rt_setup --uid-shift 100000
NAME=oci-fields-$$
B=$T/bundle
mkdir -p "$B" "$T/hostdir"
mv "$T/rootfs" "$B/rootfs"
mkdir -p "$B/rootfs/mnt/t" "$B/rootfs/mnt/h"
printf 'from the host\n' > "$T/hostdir/note"
chmod 755 "$T/hostdir"; chmod 644 "$T/hostdir/note"

jq --arg host "$T/hostdir" '.process.terminal = false | .hostname = "fields" |
    .process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID"],
                             "effective": ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID"],
                             "permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID"]} |
    .process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 768},
                        {"type": "RLIMIT_NPROC", "soft": 4000, "hard": 4000}] |
    del(.mounts[] | select(.destination == "/dev/mqueue")) |
    .mounts += [{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs",
                 "options": ["nosuid", "nodev", "size=1m", "mode=1777"]},
                {"destination": "/mnt/h", "type": "bind", "source": $host, "options": ["rbind", "ro"]}] |
    .linux.namespaces += [{"type": "user"}] |
    .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
    .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
    .linux.resources.pids = {"limit": 12} |
    .linux.resources.memory = {"limit": 33554432} |
    .linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000}' \
	"$top_srcdir/doc/research/oci-runc-spec.json" > "$B/config.json"
"$CORDON" compile --oci "$B" -n "$NAME" -o "$T/b.blob" >"$T/compile.out" 2>&1
ok $? "the bundle compiles" || { sed 's/^/#   /' "$T/compile.out"; done_testing; }

run() { timeout -k 5 60 "$CORDON" start "$T/b.blob" -- /bin/sh -c "$1" </dev/null 2>"$T/err"; }

is "$(run 'touch /newfile 2>&1; echo status $?' | sed 's/^.*: //')" "Read-only file system
status 1" "root.readonly: the root is read-only"
is "$(run 'ulimit -Sn; ulimit -Hn')" "512
768" "process.rlimits: RLIMIT_NOFILE soft 512, hard 768"
is "$(run 'grep NoNewPrivs /proc/self/status')" "NoNewPrivs:	1" "noNewPrivileges: no_new_privs is set"
is "$(run 'grep " /mnt/t " /proc/self/mounts | cut -d" " -f3,4')" "tmpfs rw,nosuid,nodev,relatime,size=1024k" \
	"mounts: a tmpfs with its options"
is "$(run 'head -c 2000000 /dev/zero > /mnt/t/big 2>/dev/null; echo status $?; ls -l /mnt/t/big | tr -s " " | cut -d" " -f5')" \
	"status 1
1048576" "mounts: the tmpfs is 1 MiB (size=1m)"
is "$(run 'cat /mnt/h/note; (echo x > /mnt/h/note) 2>&1 | sed "s/^.*: //"')" "from the host
Read-only file system" "mounts: a read-only bind of a host directory"
# pids.max 12: the shell is one; 8 sleeps start, 20 cannot (busybox sh
# gives up on the first fork refused: "can't fork", status 2).
run 'for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait'
is "$?" "0" "linux.resources.pids: 8 background tasks start"
run 'for i in $(seq 20); do sleep 1 & done; wait'
is "$?:$(grep -c "can't fork" "$T/err")" "2:1" "linux.resources.pids: with 20 a fork is refused"
run 'x=$(head -c 67108864 /dev/zero | tr "\0" a); echo ${#x}'
rc=$?
ok "$([ "$rc" -ne 0 ]; echo $?)" "linux.resources.memory: 64 MiB in a shell variable is refused at 32 MiB (status $rc)"
is "$(run 'echo small')" "small" "within the limit the container runs"
is "$(run 'head -c 1 /dev/zero | wc -c; (echo x > /dev/full) 2>&1 | sed "s/^.*: //"')" "1
No space left on device" "devices: the default rule still allows cordon's own /dev nodes"

# cpu shares and quota are set on the container's cgroup (read from the host
# while it runs: /proc/self/cgroup names it, cpu is v1 or v2 as the host has)
timeout -k 30 60 "$CORDON" start "$T/b.blob" -- /bin/sh -c 'trap "exit 0" TERM; sleep 20 & wait' </dev/null 2>/dev/null &
bg=$!
cg=
for _ in $(seq 100); do
	cg=$(find /sys/fs/cgroup -maxdepth 2 -type d -name "cordon-$NAME" 2>/dev/null | while read -r d; do
		[ -e "$d/cpu.max" ] || [ -e "$d/cpu.cfs_quota_us" ] && echo "$d"; done | head -1)
	[ -n "$cg" ] && break
	sleep 0.05
done
if [ -e "$cg/cpu.max" ]; then
	is "$(cat "$cg/cpu.max")" "50000 100000" "linux.resources.cpu: quota 50000 per 100000 (cpu.max)"
	is "$(cat "$cg/cpu.weight")" "$((1 + ((512 - 2) * 9999) / 262142))" "linux.resources.cpu: shares 512 as cpu.weight"
elif [ -n "$cg" ]; then
	is "$(cat "$cg/cpu.cfs_quota_us") $(cat "$cg/cpu.cfs_period_us")" "50000 100000" \
		"linux.resources.cpu: quota 50000 per 100000 (v1 cfs)"
	is "$(cat "$cg/cpu.shares")" "512" "linux.resources.cpu: shares 512"
else
	ok 1 "no cpu cgroup of the container found"
fi
kill "$bg" 2>/dev/null; wait "$bg" 2>/dev/null
for _ in $(seq 200); do
	[ -z "$(find /sys/fs/cgroup -name "cordon-$NAME" 2>/dev/null)" ] && [ ! -e "/run/cordon/$NAME" ] && break
	sleep 0.05
done
rt_clean "$NAME" "the OCI container"
done_testing
