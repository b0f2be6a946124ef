#!/bin/bash
# The shipped profiles (default, nesting, privileged): each compiled by
# cordon create and started with a busybox container, checked on what sets
# it apart (the uid map; a proc mount in a nested pid namespace).  The id
# map cordon create writes from /etc/subuid and /etc/subgid (bind mounts of
# temporary files in a private mount namespace: the host's are never
# touched), the AppArmor line it writes when the host has AppArmor, and the
# $(sysconfdir)/cordon/profiles override.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/manager/lib.sh"
mg_require_root
if [ ! -e /etc/subuid ] || [ ! -e /etc/subgid ]; then skip_all "no /etc/subuid or /etc/subgid to bind mount over"; fi
command -v unshare >/dev/null || skip_all "no unshare(1)"
mg_setup
n=mg$$-p
sysconfdir=$(mg_sysconfdir)
host_aa=$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)

# run_ct NAME CMD: run CMD in the container NAME (foreground); $out, $rc.
run_ct() {
	out=$(timeout -k 5 60 "$CORDON" start -F -P "$P" "$1" -- /bin/sh -c "$2" </dev/null 2>"$T/err") && rc=0 || rc=$?
	err=$(cat "$T/err")
}
maps='for f in uid_map gid_map; do set -- $(cat /proc/self/$f); echo "$f $1 $2 $3"; done'

# default: root's subordinate ids.  Empty files: the fallback.
run_in mg_with_host "" "" N -- create "$n-d" -t busybox -P "$P"
is "$rc:$err" "0:" "create (default profile), empty /etc/subuid: exit 0"
is "$(sed -n '/^lxc.idmap/p; /^#   \/etc/p' "$P/$n-d/config")" \
	"#   /etc/subuid holds no range for root: the default, 100000-165535
#   /etc/subgid holds no range for root: the default, 100000-165535
lxc.idmap =
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536" "empty /etc/subuid and /etc/subgid: the fallback map 100000:65536"
run_ct "$n-d" "$maps"
is "$rc:$out" "0:uid_map 0 100000 65536
gid_map 0 100000 65536" "default profile: the container runs with the fallback map"
run_ct "$n-d" 'unshare -m -p --fork --mount-proc /bin/sh -c "echo \$\$"'
ok "$([ "$rc" != 0 ] && [ "$out" != 1 ]; echo $?)" "default profile: no new proc mount in a nested pid namespace"
like "$err" "unshare: .*(Operation not permitted|Permission denied)" "default profile: refused by the kernel (EPERM/EACCES), not by a broken start"

# A range for root (by name in subuid, by uid in subgid): used, 65536 of it.
run_in mg_with_host "alice:100000:65536\nroot:231072:65536\n" "0:300000:200000\n" N -- \
	create "$n-r" -t busybox -P "$P"
is "$rc:$err" "0:" "create with root's ranges: exit 0"
is "$(grep '^lxc.idmap' "$P/$n-r/config")" "lxc.idmap =
lxc.idmap = u 0 231072 65536
lxc.idmap = g 0 300000 65536" "the map is root's first ranges (a larger one cut to 65536)"
is "$(stat -c %u:%g "$P/$n-r/rootfs/bin/busybox")" "231072:300000" "the rootfs belongs to root's subordinate uid and gid"
run_ct "$n-r" "$maps"
is "$rc:$out" "0:uid_map 0 231072 65536
gid_map 0 300000 65536" "the container runs with root's subordinate ids"

# Too small a range: refused, nothing left.  A small one before a big one:
# the big one.
run_in mg_with_host "root:231072:1000\n" "" N -- create "$n-s" -t busybox -P "$P"
is "$rc:$err" "1:cordon: create $n-s: root's subordinate ids in /etc/subuid (root:231072:1000) are fewer than the 65536 a container maps; give root a range of 65536 (usermod --add-subuids/--add-subgids FIRST-LAST root)" \
	"a range of root's under 65536 ids: refused, exit 1"
ok "$([ ! -e "$P/$n-s" ]; echo $?)" "a refused create leaves nothing"
run_in mg_with_host "root:231072:1000\nroot:500000:65536\n" "" N -- create "$n-s" -t busybox -P "$P"
is "$rc:$(grep '^lxc.idmap = [ug]' "$P/$n-s/config" | tr '\n' ,)" \
	"0:lxc.idmap = u 0 500000 65536,lxc.idmap = g 0 100000 65536," "a small range then a big one: the big one"

# No range for root, and the fallback is another user's: refused.  One
# elsewhere: the fallback.
run_in mg_with_host "" "alice:100000:65536\n" N -- create "$n-o" -t busybox -P "$P"
is "$rc:$err" "1:cordon: create $n-o: /etc/subgid has no range for root, and the default 100000-165535 overlaps 'alice:100000:65536'; give root a range of 65536 (usermod --add-subuids/--add-subgids FIRST-LAST root)" \
	"the fallback overlapping another user's range: refused, exit 1"
ok "$([ ! -e "$P/$n-o" ]; echo $?)" "a refused create leaves nothing"
run_in mg_with_host "alice:165536:65536\n" "bob:0:100000\n" N -- create "$n-o" -t busybox -P "$P"
is "$rc:$(grep -c '^lxc.idmap = [ug] 0 100000 65536$' "$P/$n-o/config")" "0:2" "other users' ranges elsewhere: the fallback"

# privileged: no id map, whatever /etc/subuid says; container root is host
# root, without the dropped capabilities.
run_in mg_with_host "root:231072:65536\n" "root:231072:65536\n" N -- create "$n-v" -t busybox --profile privileged -P "$P"
is "$rc:$err" "0:" "create --profile privileged: exit 0"
is "$(grep -c '^lxc.idmap = [ug]' "$P/$n-v/config")" "0" "privileged: create writes no id map"
is "$(stat -c %u:%g "$P/$n-v/rootfs/bin/busybox")" "0:0" "privileged: the rootfs belongs to host root"
run_ct "$n-v" "$maps; grep ^CapBnd: /proc/self/status"
bnd=$(sed -n 's/^CapBnd:[[:space:]]*//p' <<<"$out")
is "$rc:$(sed '/^CapBnd/d' <<<"$out")" "0:uid_map 0 0 4294967295
gid_map 0 0 4294967295" "privileged: the container runs in the host's user namespace"
is "$(( (0x${bnd:-0} >> 16) & 1 )):$(( (0x${bnd:-0} >> 21) & 1 ))" "0:1" \
	"privileged: sys_module dropped, sys_admin kept"

# nesting: the default, plus a proc mount in a nested pid namespace.
run_in mg_with_host "" "" N -- create "$n-n" -t busybox --profile nesting -P "$P"
is "$rc:$err" "0:" "create --profile nesting: exit 0"
run_ct "$n-n" "$maps"
is "$rc:$out" "0:uid_map 0 100000 65536
gid_map 0 100000 65536" "nesting: the default's id map"
run_ct "$n-n" 'unshare -r -m -p --fork --mount-proc /bin/sh -c "echo \$\$; set -- \$(cat /proc/self/uid_map); echo \$*"'
is "$rc:$out" "0:1
0 0 1" "nesting: a nested user, mount and pid namespace with its own /proc"

# AppArmor: create names cordon's default profile when the host has
# AppArmor, and the runtime fails closed where it does not.
run_in mg_with_host "" "" Y -- create "$n-a" -t busybox --profile nesting -P "$P"
is "$rc:$err" "0:" "create on a host with AppArmor: exit 0"
if grep -q '^#define HAVE_APPARMOR 1' "$top_builddir/config.h"; then
	is "$(grep '^lxc.apparmor' "$P/$n-a/config")" "lxc.apparmor.profile = generated" \
		"AppArmor enabled: create adds lxc.apparmor.profile = generated"
else
	is "$(grep -c '^lxc.apparmor' "$P/$n-a/config"):$(grep -c 'built without' "$P/$n-a/config")" "0:1" \
		"AppArmor enabled, a --disable-apparmor build: only a comment (it could not apply a profile)"
	printf 'lxc.apparmor.profile = generated\n' >>"$P/$n-a/config"
	"$CORDON" compile -P "$P" "$n-a" >/dev/null 2>&1
fi
is "$(grep -c '^lxc.apparmor' "$P/$n-d/config"):$(grep -c '^#   lxc.apparmor.profile = generated$' "$P/$n-d/config")" "0:1" \
	"AppArmor not enabled: only a comment"
if [ "$host_aa" != Y ]; then
	run start -F -P "$P" "$n-a" -- /bin/true
	is "$rc" 3 "a generated profile on a host without AppArmor: the start fails (exit 3)"
	like "$err" "apparmor: profile 'cordon-container-default-with-nesting' is configured but (AppArmor is not enabled on this host|cordon was built without AppArmor)" \
		"the start names the profile and why"
else
	skip "the host has AppArmor: the fail-closed start is tests/apparmor/runtime.sh's"
	skip "the host has AppArmor"
fi

# A profile that names an AppArmor profile keeps it: create adds nothing.
mkdir -p "$T/prof"
printf 'lxc.include = %s\nlxc.apparmor.profile = cordon-container-default\n' "$top_srcdir/profiles/default.conf" >"$T/prof/aa.conf"
CORDON_PROFILES_DIR=$T/prof run_in mg_with_host "" "" Y -- create "$n-x" -t busybox --profile aa -P "$P"
is "$rc:$(grep -c 'apparmor' "$P/$n-x/config")" "0:0" "a profile naming an AppArmor profile: create adds no AppArmor line"

# $(sysconfdir)/cordon/profiles: named by --help, and a file there wins
# (a tmpfs or a bind mount in a private mount namespace).
run create --help
like "$out" "in $sysconfdir/cordon/profiles, then in" "create --help names \$(sysconfdir)/cordon/profiles ($sysconfdir)"
is "$(grep -c "\"$sysconfdir\"/cordon/profiles/\\*.conf" "$top_builddir/cli/completion/cordon")" "1" \
	"the bash completion looks in \$(sysconfdir)/cordon/profiles"
mkdir -p "$T/etc/cordon/profiles"
printf 'lxc.include = %s\n# site\n' "$top_srcdir/profiles/default.conf" >"$T/etc/cordon/profiles/default.conf"
if [ -d "$sysconfdir/cordon" ]; then
	over=(sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$T/etc/cordon" "$sysconfdir/cordon")
elif [ -d "$sysconfdir" ] && [ "$sysconfdir" != /etc ]; then
	over=(sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$T/etc" "$sysconfdir")
fi
if [ -n "${over[*]:-}" ]; then
	run_in unshare -m --propagation private "${over[@]}" -- create "$n-e" -t busybox -P "$P"
	is "$rc:$(sed -n 's/^lxc.include = //p' "$P/$n-e/config")" "0:$sysconfdir/cordon/profiles/default.conf" \
		"a profile in \$(sysconfdir)/cordon/profiles overrides the shipped one"
else
	skip "no $sysconfdir to mount over"
fi
done_testing
