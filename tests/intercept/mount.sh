#!/bin/bash
# security.syscalls.intercept.mount in an unprivileged container, with an
# ext4 image on a loop device whose node in the rootfs belongs to container
# root (as LXD's devices do): mount.allowed=ext4 mounts it with host
# privileges and its files show as nobody; with mount.shift through an
# idmapped mount, as their container owners; mount.fuse=ext4=fuse2fs runs
# the container's own fuse2fs inside its namespaces; without the keys, for a
# type not listed, for a caller without CAP_SYS_ADMIN or a device node it
# cannot open (by its permissions or the device rules), the kernel's refusal
# stands; a symlinked target resolves
# inside the root; a thread rewriting the type and target during the call
# never gets a type outside the list mounted.  Every loop device, mount and
# image is removed on every path.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
MHELPER=$top_builddir/tests/intercept/mount_helper
[ -x "$MHELPER" ] || skip_all "tests/intercept/mount_helper not built"
for t in losetup mkfs.ext4 mkfs.ext2; do
	command -v $t >/dev/null || skip_all "no $t (apt-get install e2fsprogs mount)"
done
N=im$$
R=$T/rootfs
cp "$MHELPER" "$R/bin/mount_helper"
LOOPS=
mount_cleanup() {
	for l in $LOOPS; do losetup -d "$l" 2>/dev/null; done
	rt_teardown
}
trap mount_cleanup EXIT

# An ext4 image with a file of root and one of uid 1000, and an ext2 image
# (mountable by the ext4 driver as either type) for the race.
mkdir -p "$T/src" && echo hello > "$T/src/f" && echo u > "$T/src/u" && chown 1000:1000 "$T/src/u"
truncate -s 16M "$T/img4" "$T/img2"
mkfs.ext4 -q -F -d "$T/src" "$T/img4" >/dev/null 2>&1 || skip_all "mkfs.ext4 -d failed"
mkfs.ext2 -q -F -d "$T/src" "$T/img2" >/dev/null 2>&1 || skip_all "mkfs.ext2 -d failed"
L4=$(losetup -f --show "$T/img4" 2>/dev/null) || skip_all "no loop device (losetup -f failed)"
LOOPS=$L4
L2=$(losetup -f --show "$T/img2" 2>/dev/null) || skip_all "no second loop device"
LOOPS="$L4 $L2"
# the nodes: container root's (100000), and one of host root's
mknod "$R/loopdev" b 7 "${L4#/dev/loop}" && chown 100000:100000 "$R/loopdev" && chmod 660 "$R/loopdev"
mknod "$R/loopdev2" b 7 "${L2#/dev/loop}" && chown 100000:100000 "$R/loopdev2" && chmod 660 "$R/loopdev2"
mknod "$R/hostloop" b 7 "${L4#/dev/loop}" && chmod 600 "$R/hostloop"
mkdir -p "$R/mnt/e" "$R/mnt/r" "$R/mnt/r-esc" && chown 100000:100000 "$R/mnt/e" "$R/mnt/r" "$R/mnt/r-esc"

KEY=security.syscalls.intercept.mount
ic_compile allowed "$KEY = true
$KEY.allowed = ext4" || exit 1
ic_compile shift "$KEY = true
$KEY.allowed = ext4
$KEY.shift = true" || exit 1
ic_compile denied "$KEY = true
$KEY.allowed = ext4
lxc.cgroup2.devices.allow = a
lxc.cgroup2.devices.deny = b 7:* rwm" || exit 1
ic_compile bare "$KEY = true" || exit 1
ic_compile off "" || exit 1

is "$(ic_run allowed 'mount_helper mount /loopdev /mnt/e ext4 && stat -c "%u:%g %n" /mnt/e/f /mnt/e/u && cat /mnt/e/f')" "ok
65534:65534 /mnt/e/f
65534:65534 /mnt/e/u
hello" "mount.allowed=ext4: the image is mounted, its files show as nobody"
like "$(ic_run allowed 'mount_helper mount /loopdev /mnt/e ext4 && cat /proc/self/mountinfo')" \
	" /mnt/e rw,relatime - ext4 /loopdev rw" "mount.allowed: the container's mount table shows ext4 from /loopdev on /mnt/e"
is "$(ic_run allowed 'mount -t ext4 -o ro,nodev /loopdev /mnt/e && cat /mnt/e/f && grep " /mnt/e " /proc/self/mountinfo | cut -d" " -f6')" "hello
ro,nodev,relatime" "mount.allowed: busybox mount(8) (MS_SILENT and flags) works, the flags are kept"
is "$(ic_run shift 'mount_helper mount /loopdev /mnt/e ext4 && stat -c "%u:%g %n" /mnt/e/f /mnt/e/u && touch /mnt/e/made && stat -c "%u:%g" /mnt/e/made')" "ok
0:0 /mnt/e/f
1000:1000 /mnt/e/u
0:0" "mount.shift: files show as their container owners, a new file is container root's"
like "$(ic_run shift 'mount_helper mount /loopdev /mnt/e ext4 && grep " /mnt/e " /proc/self/mountinfo')" \
	"idmapped - ext4 " "mount.shift: the mount is idmapped"
is "$(ic_run off 'mount_helper mount /loopdev /mnt/e ext4')" "errno 1" "no keys: the mount is refused (EPERM)"
is "$(ic_run bare 'mount_helper mount /loopdev /mnt/e ext4')" "errno 1" "mount without mount.allowed: refused"
is "$(ic_run allowed 'mount_helper mount /loopdev2 /mnt/e ext2')" "errno 1" "mount.allowed=ext4: type ext2 is refused"
is "$(ic_run allowed 'mount_helper as 1000 mount /loopdev /mnt/e ext4')" "errno 1" \
	"mount.allowed: a caller without CAP_SYS_ADMIN is refused"
is "$(ic_run allowed 'mount_helper mount /hostloop /mnt/e ext4')" "errno 13" \
	"mount.allowed: a device node the caller cannot open is refused (EACCES)"
is "$(ic_run denied 'mount_helper mount /loopdev /mnt/e ext4')" "errno 1" \
	"mount.allowed: a device the container's device rules deny is refused (EPERM)"
is "$(ic_run allowed 'mount_helper mount /proc/1/root/loopdev /mnt/e ext4')" "errno 40" \
	"mount.allowed: a source through a magic link is refused (ELOOP)"
is "$(ic_run allowed 'mount_helper mount /loopdev /mnt/e ext4 1 && touch /mnt/e/x 2>&1')" "ok
touch: /mnt/e/x: Read-only file system" "mount.allowed: MS_RDONLY gives a read-only mount"
is "$(ic_run allowed 'mount_helper mount /loopdev /mnt/e ext4 0 journal_path=/loopdev2; mount_helper mount /loopdev /mnt/e ext4 0 errors=panic; mount_helper mount /loopdev /mnt/e ext4 0 errors=remount-ro')" "errno 1
errno 1
ok" "mount.allowed: a data option naming another device, or errors=panic, is refused; others pass"
is "$(ic_run allowed 'mkdir -p /tmp/t && ln -s /../../../../../tmp /mnt/lnk && mount_helper mount /loopdev /mnt/lnk/t ext4 && cat /tmp/t/f')" "ok
hello" "mount.allowed: a target through a symlink out of the root lands inside"
ok "$(! grep -q " /tmp/t " /proc/self/mountinfo; echo $?)" "nothing was mounted on the host's /tmp/t"
out=$(ic_run allowed "mount_helper race /loopdev2 /mnt/r ${RACE_SECS:-5}")
like "$out" "^tries [1-9][0-9]* mounted [1-9][0-9]* foreign 0$" \
	"a thread rewriting type and target during mount: ext4 mounts only, never ext2"
tries=$(sed -n 's/^tries \([0-9]*\).*/\1/p' <<<"$out" | head -n1)
ok "$([ "${tries:-0}" -ge "${RACE_MIN_TRIES:-1}" ]; echo $?)" "the mount race: at least ${RACE_MIN_TRIES:-1} tries (${tries:-none})"
tap_diag "$out"

# mount.fuse: the container's own fuse2fs, copied in with its libraries.
FUSE2FS=$(command -v fuse2fs || true)
if [ -z "$FUSE2FS" ] || [ ! -c /dev/fuse ]; then
	for _ in 1 2 3 4; do skip "no fuse2fs or /dev/fuse (apt-get install fuse2fs)"; done
else
	for f in "$FUSE2FS" $(ldd "$FUSE2FS" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$f")" && rm -f "$R$f" && cp -L "$f" "$R$f"
	done
	mknod "$R/fusedev" c 10 229 && chmod 666 "$R/fusedev"
	ic_compile fuse "$KEY = true
$KEY.fuse = ext4=fuse2fs" || exit 1
	# /dev is host root's: a tmpfs of the container's holds /dev/fuse
	fusedev='mount -t tmpfs none /dev && touch /dev/fuse && mount -o bind /fusedev /dev/fuse'
	out=$(ic_run fuse "$fusedev && mount_helper mount /loopdev /mnt/e ext4 && stat -c '%u:%g %n' /mnt/e/f /mnt/e/u &&
		grep ' /mnt/e ' /proc/self/mountinfo | sed 's/.* - /type /' && ps -o comm | grep fuse2fs | sed 's/^/daemon /'")
	is "$(echo "$out" | grep -v '^type \|^daemon ')" "ok
0:0 /mnt/e/f
1000:1000 /mnt/e/u" "mount.fuse=ext4=fuse2fs: mounted through fuse2fs, files show as their container owners"
	like "$(echo "$out" | grep '^type ')" "^type fuse[^ ]* /loopdev " "mount.fuse: the mount is a FUSE one"
	is "$(echo "$out" | grep '^daemon ')" "daemon fuse2fs" "mount.fuse: its daemon runs in the container's pid namespace"
	is "$(ic_run fuse "$fusedev && mount_helper mount /loopdev2 /mnt/e ext2")" "errno 1" "mount.fuse: an unmapped type is refused"
fi

# A helper that hangs: killed after the timeout (10 s), the call fails with
# ETIMEDOUT; meanwhile another intercepted mount is answered at once.
mkdir -p "$R/usr/local/bin" && printf '#!/bin/sh\nexec sleep 1000\n' > "$R/usr/local/bin/hang" && chmod 755 "$R/usr/local/bin/hang"
ic_compile hang "$KEY = true
$KEY.allowed = ext2
$KEY.fuse = ext4=hang" || exit 1
start=$(date +%s)
out=$(ic_run hang 'mount_helper mount /loopdev /mnt/e ext4 > /tmp/o & sleep 1; mount_helper mount /loopdev2 /mnt/r ext2; wait; cat /tmp/o; cat /proc/[0-9]*/stat 2>/dev/null | grep -c "(sleep) [^Z]"')
took=$(( $(date +%s) - start ))
is "$out" "ok
errno 110
0" "mount.fuse: a hanging helper is killed (no live sleep left) and the call fails with ETIMEDOUT; another mount is answered meanwhile"
ok "$([ "$took" -ge 10 ] && [ "$took" -le 25 ]; echo $?)" "the hanging helper was bounded by the 10 s timeout (took ${took} s)"

rt_clean "$N-allowed" "mount interception"
rt_clean "$N-fuse" "mount through fuse2fs"
ok "$(! grep -q "$T/rootfs" /proc/self/mountinfo; echo $?)" "no mount of the rootfs is left on the host"
for l in $LOOPS; do losetup -d "$l"; done
LOOPS=
is "$(losetup -j "$T/img4"; losetup -j "$T/img2")" "" "the loop devices are gone"
done_testing
