#!/bin/bash
# lxc.mount.entry (fstab syntax, create=dir|file, optional, ro binds),
# targets resolved inside the rootfs, lxc.rootfs.options, lxc.autodev = 0.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
rt_setup --uid-shift 100000

mkdir -p "$T/share/sub" "$T/hostdir"
echo shared > "$T/share/file"
echo host-file > "$T/hostfile"
# A symlink in the rootfs aiming at the host's /: a target through it must
# stay inside the rootfs.
ln -s / "$T/rootfs/escape"
mkdir -p "$T/rootfs/mnt/ro"

rt_compile m "lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536
lxc.mount.entry = $T/share mnt/ro none bind,ro 0 0
lxc.mount.entry = $T/share $T/rootfs/srv/new none bind,create=dir 0 0
lxc.mount.entry = $T/hostfile etc/host-file none bind,ro,create=file 0 0
lxc.mount.entry = tmpfs run/scratch tmpfs create=dir,size=1m,mode=700 0 0
lxc.mount.entry = $T/no-such-dir mnt/missing none bind,optional 0 0
lxc.mount.entry = $T/hostdir escape/tmp/cordon-escape none bind,create=dir 0 0" || exit 1
run() { "$CORDON" start "$T/m.blob" -- /bin/sh -c "$1" </dev/null 2>&1; }

is "$(run 'cat /mnt/ro/file')" "shared" "bind mount entry"
like "$(run 'echo x > /mnt/ro/new')" "Read-only file system" "bind,ro is read-only"
is "$(run 'cat /srv/new/file')" "shared" "create=dir makes the target (host path below the rootfs)"
is "$(run 'cat /etc/host-file')" "host-file" "create=file makes a file target"
like "$(run 'grep " /run/scratch " /proc/self/mounts')" "^tmpfs /run/scratch tmpfs rw,.*size=1024k,mode=700" \
	"tmpfs entry with its data options"
is "$(run 'test -e /mnt/missing; echo $?')" "1" "an optional entry with a missing source is skipped"
ok "$([ -d "$T/rootfs/tmp/cordon-escape" ]; echo $?)" "a target through a symlink to / lands inside the rootfs"
ok "$([ ! -e /tmp/cordon-escape ]; echo $?)" "nothing was made on the host through the symlink"

rt_compile rofs "lxc.rootfs.path = $T/rootfs
lxc.rootfs.options = ro
lxc.mount.auto = proc:mixed
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536" || exit 1
like "$("$CORDON" start "$T/rofs.blob" -- /bin/sh -c 'touch /x' </dev/null 2>&1)" "Read-only file system" \
	"lxc.rootfs.options = ro makes the root read-only"

rt_compile nodev "lxc.rootfs.path = $T/rootfs
lxc.autodev = 0
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536" || exit 1
touch "$T/rootfs/dev/marker"
is "$("$CORDON" start "$T/nodev.blob" -- /bin/ls /dev </dev/null 2>&1 | tr '\n' ' ')" "marker pts " \
	"lxc.autodev = 0 keeps the rootfs's /dev"
is "$("$CORDON" start "$T/nodev.blob" -- /bin/ls /proc </dev/null 2>&1 | wc -l)" "0" "no lxc.mount.auto: no /proc"
rm -f "$T/rootfs/dev/marker"

rt_compile tty "lxc.rootfs.path = $T/rootfs
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536
lxc.tty.max = 2
lxc.tty.dir = lxc" || exit 1
out=$("$CORDON" start "$T/tty.blob" -- /bin/sh -c 'stat -c "%A %U %G %t" /dev/lxc/tty1 /dev/lxc/tty2; readlink /dev/tty2; echo x > /dev/tty1 && echo written' </dev/null 2>&1)
like "$out" "^crw--w---- root tty 88" "lxc.tty.max: a pty owned by the container's root and tty group"
like "$out" "lxc/tty2"$'\n'"written$" "lxc.tty.dir: /dev/ttyN links to /dev/lxc/ttyN, writable"
rt_clean m "containers with mount entries"
done_testing
