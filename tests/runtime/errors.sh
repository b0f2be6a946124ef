#!/bin/bash
# Bad input: each failure gives its exact message and exit code and leaves
# no cgroup, mount, state directory or process behind.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
RT_SFX=-$$
rt_require_root
rt_setup --uid-shift 100000

base="lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"

# fails NAME CODE MESSAGE WHAT -- ARGS...: cordon start ARGS fails as told.
fails() {
	local name=$1 code=$2 msg=$3 what=$4; shift 5
	local out st
	out=$("$CORDON" start "$@" 2>&1 </dev/null)
	st=$?
	is "$out" "$msg" "$what: message"
	is "$st" "$code" "$what: exit code $code"
	rt_clean "$name" "$what"
}

rt_compile good "lxc.rootfs.path = $T/rootfs
$base" || exit 1
cp "$T/good.blob" "$T/bad.blob"
printf '\xff' | dd of="$T/bad.blob" bs=1 seek=300 conv=notrunc 2>/dev/null
fails bad 1 "cordon: start bad: blob '$T/bad.blob': blob checksum mismatch: the file is corrupted" \
	"a corrupted blob" -- "$T/bad.blob"

fails missing 4 "cordon: start missing: cannot open blob '$T/missing.blob': No such file or directory" \
	"a missing blob" -- "$T/missing.blob"

rt_compile stale "lxc.rootfs.path = $T/rootfs
$base" || exit 1
echo "# edited" >> "$T/stale.conf"
fails stale 1 "cordon: start stale$RT_SFX: blob '$T/stale.blob' is stale: '$T/stale.conf' changed since it was compiled; run 'cordon compile $T/stale.conf -o $T/stale.blob'" \
	"a stale blob" -- "$T/stale.blob"

rt_compile nofs "lxc.rootfs.path = $T/no-such-rootfs
$base" || exit 1
fails nofs 3 "cordon: start nofs$RT_SFX: rootfs: open '$T/no-such-rootfs': No such file or directory" \
	"a missing rootfs" -- "$T/nofs.blob"

# 4294967295 + 1 wraps: the kernel refuses the map (EINVAL).
rt_compile badmap "lxc.rootfs.path = $T/rootfs
lxc.idmap = u 0 4294967295 1
lxc.idmap = g 0 100000 65536" || exit 1
fails badmap 3 "cordon: start badmap$RT_SFX: idmap: write uid_map '0 4294967295 1': Invalid argument" \
	"an id map the kernel refuses" -- "$T/badmap.blob"

fails good 3 "cordon: start good$RT_SFX: exec '/no/such/init': No such file or directory" \
	"a missing init" -- "$T/good.blob" -- /no/such/init
fails good 3 "cordon: start good$RT_SFX: exec: 'no-such-init' not found in PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
	"an init not in PATH" -- "$T/good.blob" -- no-such-init
fails good 3 "cordon: start good$RT_SFX: exec '/etc/passwd': Permission denied" \
	"an init that is not executable" -- "$T/good.blob" -- /etc/passwd

# An image whose init is a link through /proc (CVE-2019-5736: the init would
# run cordon-runtime itself, or a file behind one of its host descriptors).
ln -s /proc/self/exe "$T/rootfs/sbin/selfexe"
ln -s /proc/self/fd/3 "$T/rootfs/sbin/hostfd"
fails good 3 "cordon: start good$RT_SFX: exec '/sbin/selfexe': a /proc magic link (or a symlink loop) on the way" \
	"an init linked to /proc/self/exe" -- "$T/good.blob" -- /sbin/selfexe
fails good 3 "cordon: start good$RT_SFX: exec '/sbin/hostfd': a /proc magic link (or a symlink loop) on the way" \
	"an init linked to /proc/self/fd/3" -- "$T/good.blob" -- /sbin/hostfd
rm -f "$T/rootfs/sbin/selfexe" "$T/rootfs/sbin/hostfd"

rt_compile mnt "lxc.rootfs.path = $T/rootfs
$base
lxc.mount.entry = $T/no-such-dir mnt none bind 0 0" || exit 1
fails mnt 3 "cordon: start mnt$RT_SFX: lxc.mount.entry '$T/no-such-dir mnt': bind source '$T/no-such-dir': No such file or directory" \
	"a mount entry with a missing source" -- "$T/mnt.blob"

if rt_compile veth "lxc.rootfs.path = $T/rootfs
$base
lxc.net.0.type = veth
lxc.net.0.link = lxcbr0"; then
	fails veth 3 "cordon: start veth$RT_SFX: network: lxc.net.0.type = veth is not supported yet (only 'empty' and 'none')" \
		"a network type cordon lacks" -- "$T/veth.blob"
else
	skip "the compiler refuses lxc.net.0.type = veth"
fi

if rt_compile aa "lxc.rootfs.path = $T/rootfs
$base
lxc.apparmor.profile = cordon-test-profile" && [ ! -e /sys/kernel/security/apparmor ]; then
	out=$("$CORDON" start "$T/aa.blob" 2>&1 </dev/null)
	like "$out" "^cordon: start aa$RT_SFX: apparmor: profile 'cordon-test-profile' is configured but (AppArmor is not enabled on this host|cordon was built without AppArmor \(--disable-apparmor\))$" \
		"an AppArmor profile on a host without AppArmor fails closed"
	rt_clean aa "a refused AppArmor profile"
else
	skip "AppArmor is enabled on this host"
fi

# A name in use: the second start is refused, the first goes on.
"$CORDON" start "$T/good.blob" -- /bin/sh -c 'sleep 3' </dev/null &
first=$!
for _ in $(seq 100); do [ -n "$(rt_cgroups_of good)" ] && break; sleep 0.05; done
out=$("$CORDON" start "$T/good.blob" -- /bin/true 2>&1 </dev/null)
like "$out" "^cordon: start good$RT_SFX: cgroup: a container named 'good$RT_SFX' is running already \('/sys/fs/cgroup/.*/cordon-good$RT_SFX' exists\)$" \
	"a second container of the same name is refused"
ok "$(kill -0 "$first"; echo $?)" "the first container still runs"
kill -TERM "$first"; wait "$first"

out=$("$CORDON" start -n 'bad/name' "$T/good.blob" 2>&1)
is "$out" "cordon: start: invalid container name 'bad/name' (letters, digits, '_', '-', '.')
Try 'cordon start --help'." "an invalid name is a usage error"
done_testing
