# shellcheck shell=bash
# Shared by tests/manager/*.sh: a private lxcpath ($P) under a temporary
# directory ($T), the build tree's profiles, templates and runtime, unique
# container names (mg$$-...), and checks that a container left nothing.
# Source after tests/tap.sh.
: "${RUNTIME:=$top_builddir/cordon-runtime}"
export CORDON_RUNTIME=$RUNTIME
export CORDON_PROFILES_DIR=$top_srcdir/profiles
export CORDON_TEMPLATES_DIR=$top_srcdir/templates

mg_require_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
	[ -x "$CORDON" ] || skip_all "cordon not built"
	[ -x "$RUNTIME" ] || skip_all "cordon-runtime not built"
	[ -x /bin/busybox ] || skip_all "no /bin/busybox (apt-get install busybox-static)"
	grep -q cgroup /proc/self/mountinfo || skip_all "no cgroup mounted"
}

mg_setup() {
	T=$(mktemp -d)
	P=$T/lxc
	trap 'mg_teardown' EXIT
}

# Whatever a failed test left running: kill it by its monitor's pid.
mg_teardown() {
	local d mon
	for d in /run/cordon/mg$$-*; do
		[ -d "$d" ] || continue
		mon=$(cat "$d/monitor" 2>/dev/null) && [ -n "$mon" ] && kill -KILL "$(cat "$d/pid" 2>/dev/null)" 2>/dev/null
		[ -n "$mon" ] && for _ in $(seq 100); do [ -e "/proc/$mon" ] || break; sleep 0.05; done
	done
	[ -n "${T:-}" ] && rm -rf "$T"
}

# run ARGS...: $out, $err, $rc of cordon ARGS.
run() {
	out=$("$CORDON" "$@" 2>"$T/err" </dev/null) && rc=0 || rc=$?
	err=$(cat "$T/err")
}

# The cgroup directories named cordon-NAME anywhere below /sys/fs/cgroup.
mg_cgroups_of() {
	find /sys/fs/cgroup -maxdepth 6 -type d -name "cordon-$1" 2>/dev/null
}

# mg_gone NAME WHAT: no directory, cgroup, state, mount or process left.
mg_gone() {
	local name=$1; shift
	ok "$([ ! -e "$P/$name" ]; echo $?)" "$* leaves no $P/$name"
	is "$(mg_cgroups_of "$name")" "" "$* leaves no cgroup"
	ok "$([ ! -e "/run/cordon/$name" ]; echo $?)" "$* leaves no /run/cordon/$name"
	is "$(grep -c " $P/$name" /proc/self/mountinfo)" "0" "$* leaves no mount"
	is "$(pgrep -f "cordon-runtime.* $P/$name/" | wc -l)" "0" "$* leaves no process"
}

# mg_wait_gone PID: wait up to 5 s for a process to end.
mg_wait_gone() {
	for _ in $(seq 100); do [ -e "/proc/$1" ] || return 0; sleep 0.05; done
	return 1
}

# mg_sysconfdir: this build's $(sysconfdir), expanded from its Makefile.
mg_sysconfdir() {
	local prefix
	# shellcheck disable=SC2034  # read by the eval: sysconfdir = ${prefix}/etc
	prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
	eval "printf '%s\n' \"$(sed -n 's/^sysconfdir = //p' "$top_builddir/Makefile")\""
}

# mg_with_host SUBUID SUBGID AA CMD...: CMD in a private mount namespace
# whose /etc/subuid and /etc/subgid hold SUBUID and SUBGID (printf %b; bind
# mounts of temporary files, so the host's are never touched) and, with AA
# Y or N, where /sys/module/apparmor/parameters/enabled reads AA (a tmpfs
# over /sys/module), so that cordon create sees AppArmor enabled or not.
mg_with_host() {
	printf '%b' "$1" >"$T/subuid"
	printf '%b' "$2" >"$T/subgid"
	local aa=$3
	shift 3
	unshare -m --propagation private sh -c '
		mount --bind "$1" /etc/subuid && mount --bind "$2" /etc/subgid || exit 99
		if [ "$3" != - ]; then
			mount -t tmpfs tmpfs /sys/module && mkdir -p /sys/module/apparmor/parameters &&
				echo "$3" >/sys/module/apparmor/parameters/enabled || exit 99
		fi
		shift 3 && exec "$@"' sh "$T/subuid" "$T/subgid" "$aa" "$@"
}

# run_in WRAPPER-WORDS... -- ARGS...: like run, with cordon ARGS run under
# the wrapper (mg_with_host ..., unshare ...).
run_in() {
	local w=()
	while [ "$1" != "--" ]; do w+=("$1"); shift; done
	shift
	out=$("${w[@]}" "$CORDON" "$@" 2>"$T/err" </dev/null) && rc=0 || rc=$?
	err=$(cat "$T/err")
}
