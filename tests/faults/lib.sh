# shellcheck shell=bash
# Shared by tests/faults/*.sh: the runtime tests' helpers (a busybox rootfs
# in $T, rt_compile), the fault-injecting runtime, and checks that a
# container NAME left nothing: no cgroup below any cgroup mount point, no
# mount of $T, no /run/cordon/NAME, no process naming it, no zombie.
# Source after tests/tap.sh.
FAULTS_RUNTIME=$top_builddir/tests/faults/cordon-runtime-faults
. "$top_srcdir/tests/runtime/lib.sh"

# The mount points of every cgroup hierarchy (v1 and v2).
ft_cgroup_mounts() {
	awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup" || $(i+1) == "cgroup2") print $5 }' \
		/proc/self/mountinfo | sort -u
}

# The cgroups named cordon-NAME below any cgroup mount point.
ft_cgroups_of() {
	local m
	for m in $(ft_cgroup_mounts); do
		find "$m" -maxdepth 8 -type d -name "cordon-$1" 2>/dev/null
	done
}

# Processes whose command line holds NAME as a word (the runtime's "-n
# NAME", the test's init "sh -c ... NAME"), and zombies among our children.
ft_procs_of() {
	pgrep -f -- "[ ]$1( |\$)" || true
}
# Zombies a cordon or cordon-runtime process of this test (its blobs are in
# $T; other tests' containers, run in parallel, have transient ones of their
# own) or this test itself has not reaped.  (An orphan is pid 1's to reap: a
# double-forked monitor that exited is; not every pid 1 does it at once, so
# those are not counted.)
ft_zombies_of_cordon() {
	local parents
	parents=" $$ $(pgrep -d ' ' -f "cordon(-runtime)?( .*)? $T/") "
	ps -eo pid=,ppid=,stat=,comm= | while read -r pid ppid stat comm; do
		case $stat in Z*) [[ $parents == *" $ppid "* ]] && echo "$pid($comm, parent $ppid)" ;; esac
	done
}

# ft_clean NAME WHAT [MOUNTS-BEFORE]: nothing of NAME left (waits up to 2 s
# for processes that are being reaped).
ft_clean() {
	local name=$1 what=$2 before=${3:-}
	for _ in $(seq 40); do [ -z "$(ft_procs_of "$name")" ] && break; sleep 0.05; done
	is "$(ft_cgroups_of "$name")" "" "$what: no cgroup left"
	is "$(grep -F "$T" /proc/self/mountinfo)" "$before" "$what: no mount left"
	ok "$([ ! -e "/run/cordon/$name" ]; echo $?)" "$what: no /run/cordon/$name"
	is "$(ft_procs_of "$name" | tr '\n' ' ')" "" "$what: no process left"
}

ft_require() {
	rt_require_root
	[ -x "$FAULTS_RUNTIME" ] || skip_all "tests/faults/cordon-runtime-faults not built"
}
