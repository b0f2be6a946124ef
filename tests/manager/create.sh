#!/bin/bash
# cordon create: config, rootfs and blob; the profile looked up in
# $(sysconfdir)/cordon/profiles first; a failed or interrupted create leaves
# nothing; -t debian without debootstrap; cordon compile NAME.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/manager/lib.sh"
mg_require_root
mg_setup
n=mg$$-c

run create "$n" -t busybox -P "$P"
is "$rc:$err" "0:" "create -t busybox: exit 0, quiet"
is "$(head -n 4 "$P/$n/config")" "# cordon create $n -t busybox --profile default
lxc.include = $top_srcdir/profiles/default.conf
lxc.uts.name = $n
lxc.rootfs.path = $P/$n/rootfs" "the config includes the default profile and names the rootfs"
like "$(tail -n +5 "$P/$n/config")" "lxc.idmap =
lxc.idmap = u 0 [0-9]+ 65536
lxc.idmap = g 0 [0-9]+ 65536" "then the id map from /etc/subuid and /etc/subgid (tests/manager/profiles.sh)"
# root's ids: 100000 when /etc/subuid and /etc/subgid hold no range for root
uid=$(sed -n 's/^lxc.idmap = u 0 \([0-9]*\) 65536$/\1/p' "$P/$n/config")
gid=$(sed -n 's/^lxc.idmap = g 0 \([0-9]*\) 65536$/\1/p' "$P/$n/config")
is "$(stat -c %u:%g "$P/$n/rootfs" "$P/$n/rootfs/bin/busybox" | sort -u)" "$uid:$gid" \
	"the rootfs belongs to the id map's root user and group ($uid:$gid)"
ok "$([ -L "$P/$n/rootfs/bin/sh" ]; echo $?)" "the rootfs has busybox's applets"
"$CORDON" dump "$P/$n/$n.blob" >"$T/dump" 2>&1
ok $? "the blob loads (cordon dump)"
like "$(cat "$T/dump")" "$n" "the blob names the container"

run create "$n" -t busybox -P "$P"
is "$rc:$err" "5:cordon: create $n: a container named '$n' exists already in $P" "create of an existing name: exit 5"
ok "$([ -f "$P/$n/config" ]; echo $?)" "the existing container is left as it was"

# cordon compile NAME rewrites PATH/NAME/NAME.blob; a stale blob is refused
# by start with the command that fixes it.
touch -d '2020-01-01' "$P/$n/$n.blob"
printf '# edited\n' >>"$P/$n/config"
run start -P "$P" "$n"
is "$rc" 1 "start of a stale blob: exit 1"
like "$err" "is stale: .*config.* changed.*run 'cordon compile" "start of a stale blob names the fix"
run compile -P "$P" "$n"
is "$rc:$err" "0:" "compile NAME: exit 0"
ok "$([ "$P/$n/$n.blob" -nt "$T" ]; echo $?)" "compile NAME rewrote PATH/NAME/NAME.blob"

# A profile in $(sysconfdir)/cordon/profiles wins over the shipped one of
# that name (a bind mount in a private mount namespace: the host's
# directory is not touched).
prof=mg$$-prof
etc=$(mg_sysconfdir)/cordon/profiles
mkdir -p "$T/etc"
printf 'lxc.idmap = u 0 200000 65536\nlxc.idmap = g 0 200000 65536\n' >"$T/etc/$prof.conf"
mkdir -p "$T/shipped"
printf 'lxc.uts.name = shipped\n' >"$T/shipped/$prof.conf"
if [ -d "$etc" ]; then
	over=(sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$T/etc" "$etc")
else
	over=(sh -c 'mount -t tmpfs tmpfs "$1" && mkdir -p "$2" && cp "$3"/* "$2" && shift 3 && exec "$@"' \
		sh "$(dirname "$(dirname "$etc")")" "$etc" "$T/etc")
fi
if [ -d "$(dirname "$(dirname "$etc")")" ] && [ "$(dirname "$(dirname "$etc")")" != / ] &&
	{ [ -d "$etc" ] || [ "$(dirname "$(dirname "$etc")")" != /etc ]; }; then
	CORDON_PROFILES_DIR=$T/shipped run_in unshare -m --propagation private "${over[@]}" -- \
		create "$n-e" -t busybox --profile "$prof" -P "$P"
	is "$rc:$err" "0:" "create --profile found in $etc"
	like "$(cat "$P/$n-e/config")" "^lxc.include = $etc/$prof.conf$" "the \$(sysconfdir) profile overrides the shipped one"
	is "$(stat -c %u "$P/$n-e/rootfs")" "200000" "--uid-shift follows the profile's own id map (not default.conf's: kept)"
else
	mkdir -p "$P/$n-e" && printf 'lxc.include = %s\n' "$T/etc/$prof.conf" >"$P/$n-e/config"
	skip "no $(dirname "$(dirname "$etc")") to mount over"
	skip "no $(dirname "$(dirname "$etc")") to mount over"
	skip "no $(dirname "$(dirname "$etc")") to mount over"
fi
run list -P "$P" --format json
is "$(printf '%s' "$out" | jq -r '[.[] | .name + "=" + .profile] | join(",")')" "$n=default,$n-e=$prof" \
	"list: each container's profile"

# A failing template: nothing left, exit 3.
mkdir -p "$T/tpl"
printf '#!/bin/sh\nmkdir -p "$1/etc" && echo half > "$1/etc/half"\nexit 7\n' >"$T/tpl/busybox"
printf '#!/bin/sh\nmkdir -p "$1/etc" && : > "$1/etc/started" && exec sleep 30\n' >"$T/tpl/debian"
chmod +x "$T/tpl/busybox" "$T/tpl/debian"
CORDON_TEMPLATES_DIR=$T/tpl run create "$n-f" -t busybox -P "$P"
is "$rc:$err" "3:cordon: create $n-f: template busybox failed (exit status 7)" "a failing template: exit 3"
ok "$([ ! -e "$P/$n-f" ]; echo $?)" "a failing template leaves no $P/$n-f"

# SIGINT while the template runs: the template is killed, nothing left.
CORDON_TEMPLATES_DIR=$T/tpl "$CORDON" create "$n-i" -t debian -P "$P" 2>"$T/int.err" &
pid=$!
for _ in $(seq 100); do [ -e "$P/$n-i/rootfs/etc/started" ] && break; sleep 0.05; done
ok "$([ -e "$P/$n-i/rootfs/etc/started" ]; echo $?)" "the slow template runs"
kill -INT $pid
wait $pid
is "$?" "130" "create interrupted by SIGINT: exit 130"
is "$(cat "$T/int.err")" "cordon: create $n-i: interrupted by signal 2; removing '$P/$n-i'" "create interrupted: the message"
ok "$([ ! -e "$P/$n-i" ]; echo $?)" "an interrupted create leaves no $P/$n-i"
is "$(pgrep -f "sleep 30" -P 1 | xargs -r ps -o args= -p 2>/dev/null | grep -c "^sleep 30")" "0" \
	"an interrupted create leaves no template process"

# -t debian: a missing debootstrap is a clear error, and nothing is left.
# (A real debootstrap needs the network and minutes: not run here.)
DEBOOTSTRAP=/nonexistent/debootstrap run create "$n-d" -t debian --suite bookworm -P "$P"
is "$rc" 3 "create -t debian without debootstrap: exit 3"
is "$err" "$top_srcdir/templates/debian: debootstrap not found (Debian: apt-get install debootstrap)
cordon: create $n-d: template debian failed (exit status 1)" "create -t debian without debootstrap: the message"
ok "$([ ! -e "$P/$n-d" ]; echo $?)" "create -t debian without debootstrap leaves nothing"

# A config that does not compile (a broken profile): exit 1, nothing left.
printf 'lxc.cap.drop = sys_modul\n' >"$T/shipped/broken.conf"
CORDON_PROFILES_DIR=$T/shipped run create "$n-b" -t busybox --profile broken -P "$P"
is "$rc" 1 "create with a profile that does not compile: exit 1"
like "$err" "unknown capability 'sys_modul'" "the diagnostic is shown"
ok "$([ ! -e "$P/$n-b" ]; echo $?)" "a config error leaves nothing"

run destroy -P "$P" "$n"
is "$rc:$err" "0:" "destroy: exit 0"
run destroy -P "$P" "$n-e"
mg_gone "$n" "destroy"
done_testing
