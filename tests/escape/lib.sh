# shellcheck shell=bash
# Shared by tests/escape/*.sh: a busybox rootfs (ids shifted by 100000) with
# tests/escape/escape-helper in /bin, and containers under
# profiles/default.conf laid out as cordon's managed ones ($P/NAME/config,
# $P/NAME/NAME.blob), so that `cordon attach -P $P NAME` finds them.
# Each test names a config by the layers it removes from the default
# profile.  Source after tests/tap.sh.
. "$top_srcdir/tests/runtime/lib.sh"
HELPER=$top_builddir/tests/escape/escape-helper
rt_require_root
[ -x "$HELPER" ] || skip_all "tests/escape/escape-helper not built"
rt_setup
chown -hR 100000:100000 "$T/rootfs"
cp "$HELPER" "$T/rootfs/bin/escape-helper"
P=$T/lxc
N=esc$$
trap 'esc_teardown' EXIT

# Layers removed from the default profile, as config lines.
NO_SECCOMP="lxc.seccomp.profile ="
NO_USERNS="lxc.idmap ="

# esc_conf NAME [CONFIG LINES]: container $N-NAME under profiles/default.conf
# plus the given lines, compiled to $P/$N-NAME/$N-NAME.blob.
esc_conf() {
	local name=$N-$1; shift
	mkdir -p "$P/$name"
	printf '%s\n' "lxc.include = $top_srcdir/profiles/default.conf" "lxc.uts.name = $name" \
		"lxc.rootfs.path = $T/rootfs" "$@" > "$P/$name/config"
	"$CORDON" compile "$P/$name/config" -o "$P/$name/$name.blob" >"$T/compile.out" 2>&1 || {
		echo "Bail out! compile $name failed: $(cat "$T/compile.out")"; exit 1; }
}

# esc_run NAME SHELL-COMMAND: run it in a new container NAME, in the
# foreground (30 s at most, then SIGKILL).
esc_run() {
	local name=$N-$1; shift
	timeout -k 5 30 "$CORDON" start "$P/$name/$name.blob" -- /bin/sh -c "$1" </dev/null 2>&1
}

# esc_start NAME [SHELL-COMMAND]: start container NAME in the background
# (default command: sleep 60); $init is its init's host pid.
esc_start() {
	local name=$N-$1
	"$CORDON" start -d "$P/$name/$name.blob" -- /bin/sh -c "${2:-exec sleep 60}" </dev/null >"$T/start.out" 2>&1 || {
		echo "Bail out! start $name failed: $(cat "$T/start.out")"; exit 1; }
	init=$(cat "/run/cordon/$name/pid")
}

# esc_stop NAME: kill its init, wait for its monitor to clean up.
esc_stop() {
	local d=/run/cordon/$N-$1 mon
	[ -d "$d" ] || return 0
	mon=$(cat "$d/monitor" 2>/dev/null)
	kill -KILL "$(cat "$d/pid" 2>/dev/null)" 2>/dev/null
	for _ in $(seq 100); do [ -n "$mon" ] && [ -e "/proc/$mon" ] || break; sleep 0.05; done
}

esc_teardown() {
	local d
	for d in /run/cordon/"$N"-*; do
		[ -d "$d" ] && esc_stop "${d#/run/cordon/"$N"-}"
	done
	rt_teardown
}

# esc_clean: nothing of this run's containers is left on the host.
esc_clean() {
	local d
	for d in "$P"/*; do
		[ -d "$d" ] && esc_stop "$(basename "$d" | sed "s/^$N-//")"
	done
	is "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "cordon-$N-*" 2>/dev/null)" "" "no cgroup left"
	is "$(ls -d /run/cordon/"$N"-* 2>/dev/null)" "" "no state left"
	is "$(grep -c "$T" /proc/self/mountinfo)" "0" "no mount left"
}
