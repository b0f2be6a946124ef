#!/bin/bash
# cordon start: a real container, asserted from inside.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
rt_setup --uid-shift 100000

rt_compile web "
lxc.rootfs.path = $T/rootfs
lxc.uts.name = webhost
lxc.mount.auto = proc:mixed sys:ro cgroup:mixed
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536
lxc.cap.drop = sys_module sys_time mknod
lxc.no_new_privs = 1
lxc.environment = GREETING=hello
lxc.init.cmd = /bin/echo from-init-cmd" || exit 1

run() { "$CORDON" start "$T/web.blob" -- /bin/sh -c "$1" 2>"$T/err"; }
field() { run "grep '^$1:' /proc/self/status" | awk '{print $2}'; }
mask() { "$CORDON" dump "$T/web.blob" | awk -v k="$1:" '$1 == k {print $2}'; }

is "$(run 'echo $$')" "1" "init is pid 1"
is "$(run hostname)" "webhost" "hostname is lxc.uts.name"
is "$(run 'cat /proc/self/uid_map' | tr -s ' ')" " 0 100000 65536" "uid_map from lxc.idmap"
is "$(run 'cat /proc/self/gid_map' | tr -s ' ')" " 0 100000 65536" "gid_map from lxc.idmap"
is "$(run 'id -u; id -g' | tr '\n' ' ')" "0 0 " "init runs as root in its user namespace"


# A user namespace starts with every capability: inside it the sets are the
# blob's exactly.
is "$(field CapBnd)" "$(printf '%016x' "$(mask bounding)")" "CapBnd is the blob's bounding set"
is "$(field CapEff)" "$(printf '%016x' "$(mask effective)")" "CapEff is the blob's effective set"
is "$(field CapAmb)" "0000000000000000" "ambient set cleared"
is "$(field NoNewPrivs)" "1" "no_new_privs set"

mounts=$(run 'cat /proc/self/mounts')
like "$mounts" '^proc /proc proc rw,nosuid,nodev,noexec' "proc mounted"
like "$mounts" $'\n''sysfs /sys sysfs ro,' "sysfs mounted read-only"
like "$mounts" $'\n''proc /proc/sys proc ro,' "/proc/sys read-only"
like "$mounts" $'\n''tmpfs /sys/firmware tmpfs ro,' "/sys/firmware masked"
like "$mounts" $'\n''[^ ]+ /proc/keys ' "/proc/keys masked"
like "$mounts" $'\n''devpts /dev/pts devpts [^ ]*ptmxmode=666' "devpts with its own ptmx"
like "$mounts" $'\n''tmpfs /dev tmpfs ' "/dev on tmpfs"
is "$(run 'ls /dev | tr "\n" " "')" "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero " \
	"/dev holds only the standard nodes"
is "$(run 'cat /proc/keys 2>&1 | wc -c')" "0" "/proc/keys reads empty"
like "$(run 'echo x > /proc/sys/kernel/hostname' 2>&1; cat "$T/err")" "Read-only file system" \
	"/proc/sys cannot be written"

out=$(run 'mount -t proc proc /mnt; echo rc=$?')
is "$out" "rc=1" "a fresh proc mount inside fails (mounts locked, pid ns not owned)"
out=$(run 'umount /proc/sys; echo rc=$?' 2>/dev/null)
is "$out" "rc=1" "a mask cannot be unmounted from inside"

cg=$(run 'cat /proc/self/cgroup')
like "$cg" '^0::/$' "cgroup namespace rooted at the container's cgroup"
"$CORDON" start "$T/web.blob" -- /bin/sh -c 'sleep 5' &
pid=$!
# the pid file is written once the init has exec'd: in every namespace and cgroup
for _ in $(seq 50); do [ -s "/run/cordon/web$RT_SFX/pid" ] && break; sleep 0.1; done
dir=$(rt_cgroups_of web | head -1)
init=$(cat "/run/cordon/web$RT_SFX/pid")
like "$(cat "/proc/$init/cgroup")" "cordon-web$RT_SFX" "the init is in the container's cgroup ($dir)"
is "$(readlink "/proc/$init/ns/pid")" "$(readlink "/proc/$init/ns/pid_for_children")" "init is in its own pid namespace"
ok "$([ "$(readlink /proc/$init/ns/user)" != "$(readlink /proc/self/ns/user)" ]; echo $?)" "init is in a new user namespace"
ok "$([ "$(readlink /proc/$init/ns/net)" != "$(readlink /proc/self/ns/net)" ]; echo $?)" "init is in a new network namespace"
mon=$(cat "/run/cordon/web$RT_SFX/monitor")
# CVE-2019-5736: the monitor (and the init it cloned, until its exec) run
# from a sealed memfd copy, never the file on the host's disk: an image whose
# init is a #!/proc/self/exe script reaches only that copy.
is "$(readlink "/proc/$mon/exe")" "/memfd:cordon-runtime (deleted)" "the monitor runs from a sealed memfd copy"
is "$(cat "/proc/$mon/comm")" "cordon-runtime" "and is still named cordon-runtime"
kill -TERM "$pid"; kill -KILL "$init" 2>/dev/null; wait "$pid"

run 'exit 7'
is "$?" "7" "the container's exit status is cordon's"
is "$(run 'echo $GREETING $container')" "hello cordon" "lxc.environment and container=cordon"
is "$("$CORDON" start "$T/web.blob" 2>&1)" "from-init-cmd" "lxc.init.cmd runs without CMD"
is "$(run 'ls /proc/$$/fd; true' 3</etc/hostname 7>/dev/null | tr '\n' ' ')" "0 1 2 " "only stdio survives exec"
is "$(run 'readlink /proc/1/cwd')" "/" "init's cwd is inside the new root"

if command -v script >/dev/null; then
	out=$(script -qec "$CORDON start $T/web.blob -- /bin/sh -c 'test -c /dev/console && tty'" /dev/null | tr -d '\r')
	is "$out" "/dev/console" "stdin a terminal: it is bound to /dev/console"
else
	skip "no script(1) to make a terminal"
fi
is "$(run 'test -e /dev/console; echo $?' </dev/null)" "1" "stdin not a terminal: no /dev/console"

rt_clean web "a finished container"
done_testing
