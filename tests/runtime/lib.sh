# shellcheck shell=bash
# Shared by tests/runtime/*.sh: a busybox rootfs (templates/busybox) in a
# temporary directory, configs compiled with $CORDON, and checks that a
# container left nothing behind.  Source after tests/tap.sh.
: "${RUNTIME:=$top_builddir/cordon-runtime}"
export CORDON_RUNTIME=$RUNTIME
# Appended to the container name by rt_compile, rt_cgroups_of and rt_clean:
# tests/runtime/*.sh set it to -$$ so that two runs at once never share a
# container name (a cgroup, /run/cordon/NAME).  Suites that name their
# containers uniquely themselves leave it empty.
RT_SFX=${RT_SFX:-}

rt_require_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
	[ -x "$CORDON" ] || skip_all "cordon not built"
	[ -x "$RUNTIME" ] || skip_all "cordon-runtime not built"
	[ -x /bin/busybox ] || skip_all "no /bin/busybox (apt-get install busybox-static)"
	grep -q cgroup /proc/self/mountinfo || skip_all "no cgroup mounted"
}

# rt_setup [--uid-shift N]: $T (temporary directory) with $T/rootfs, owned
# by N:N (the group given explicitly, as --gid-shift N).
rt_setup() {
	T=$(mktemp -d)
	trap 'rt_teardown' EXIT
	local args=("$@")
	[ "${1:-}" = --uid-shift ] && [ $# = 2 ] && args+=(--gid-shift "$2")
	"$top_srcdir/templates/busybox" "$T/rootfs" "${args[@]}" >/dev/null || { echo "Bail out! templates/busybox failed"; exit 1; }
}

rt_teardown() {
	[ -n "${T:-}" ] && rm -rf "$T"
}

# rt_compile NAME CONFIG-TEXT: $T/NAME.conf -> $T/NAME.blob, for the
# container NAME$RT_SFX.
rt_compile() {
	local name=$1
	printf '%s\n' "$2" > "$T/$name.conf"
	"$CORDON" compile "$T/$name.conf" -n "$name$RT_SFX" -o "$T/$name.blob" >"$T/compile.out" 2>&1 || {
		tap_diag "compile $name failed:"; sed 's/^/#   /' "$T/compile.out"; return 1; }
}

# The cgroup directories named cordon-NAME$RT_SFX anywhere below /sys/fs/cgroup.
rt_cgroups_of() {
	find /sys/fs/cgroup -maxdepth 6 -type d -name "cordon-$1$RT_SFX" 2>/dev/null
}

# rt_clean NAME WHAT: no cgroup, no mount of $T on the host, no state, no
# process of the runtime left for NAME.
rt_clean() {
	local name=$1$RT_SFX; shift
	is "$(RT_SFX='' rt_cgroups_of "$name")" "" "$* leaves no cgroup"
	is "$(grep -c "$T" /proc/self/mountinfo)" "0" "$* leaves no mount"
	ok "$([ ! -e "/run/cordon/$name" ]; echo $?)" "$* leaves no state directory"
	is "$(pgrep -f "cordon-runtime.*$T/" | wc -l)" "0" "$* leaves no process"
}
