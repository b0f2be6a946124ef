#!/bin/bash
# The capability sets of a real container's init after exec, in every
# combination of {lxc.cap.drop = sys_admin, lxc.cap.keep without sys_admin,
# lxc.cap.keep = none, no cap key} x {a seccomp profile, none} x
# {lxc.no_new_privs 0, 1} x {lxc.init.uid 0, 1000}.  Installing a filter
# without no_new_privs takes CAP_SYS_ADMIN: the runtime holds it in the
# effective and permitted sets only, and exec must shed it (runtime/caps.c).
#
# Expected, from the blob's masks (cordon dump) and capabilities(7): CapBnd
# is the blob's bounding set for any uid.  Root in its user namespace gets
# the blob's effective, permitted, inheritable and ambient sets.  Any other
# uid, exec'ing a binary without file capabilities, gets the blob's
# inheritable and ambient sets, and effective = permitted = ambient.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
rt_setup --uid-shift 100000
P="cap$$-"
SYS_ADMIN=21
# Copies of the shipped profile: an edit of profiles/ while the test runs
# must not make a blob stale.
mkdir "$T/profiles"
cp "$top_srcdir/profiles/default.conf" "$top_srcdir/profiles/default.seccomp" "$T/profiles/"

base="lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"
declare -A capcfg=(
	[drop]="lxc.cap.drop = sys_admin"
	[keep]="lxc.cap.keep = chown dac_override fowner kill setgid setuid setpcap net_bind_service sys_chroot"
	[none]="lxc.cap.keep = none"
	[default]=""
)
# The blob's mask KEY ("bounding", ...) as /proc/self/status prints it.
mask() { printf '%016x' "$("$CORDON" dump "$T/$1.blob" | awk -v k="$2:" '$1 == k {print $2}')"; }
field() { printf '%s\n' "$1" | awk -v k="$2:" '$1 == k {print $2}'; }
# check NAME WHAT UID NNP SECCOMP: start NAME, assert its sets.
check() {
	local name=$1 what=$2 uid=$3 nnp=$4 sc=$5 out st
	out=$(timeout -k 5 30 "$CORDON" start "$T/$name.blob" -- /bin/grep -E '^(Cap...|NoNewPrivs|Seccomp):' \
		/proc/self/status </dev/null 2>&1)
	st=$?
	is "$st" "0" "$what: the container starts"
	[ "$st" = 0 ] || tap_diag "$out"
	local bnd eff prm inh amb
	bnd=$(mask "$name" bounding) inh=$(mask "$name" inheritable) amb=$(mask "$name" ambient)
	if [ "$uid" = 0 ]; then
		eff=$(mask "$name" effective) prm=$(mask "$name" permitted)
	else
		eff=$amb prm=$amb
	fi
	is "$(field "$out" CapBnd)" "$bnd" "$what: CapBnd is the blob's bounding set"
	is "$(field "$out" CapEff)" "$eff" "$what: CapEff"
	is "$(field "$out" CapPrm)" "$prm" "$what: CapPrm"
	is "$(field "$out" CapInh)" "$inh" "$what: CapInh is the blob's inheritable set"
	is "$(field "$out" CapAmb)" "$amb" "$what: CapAmb is the blob's ambient set"
	is "NoNewPrivs $(field "$out" NoNewPrivs), Seccomp $(field "$out" Seccomp)" \
		"NoNewPrivs $nnp, Seccomp $([ -n "$sc" ] && echo 2 || echo 0)" "$what: no_new_privs and the filter as configured"
}

for mode in drop keep none default; do
	for sc in "$T/profiles/default.seccomp" ""; do
		for nnp in 0 1; do
			for uid in 0 1000; do
				name="$P$mode-s$([ -n "$sc" ] && echo 1 || echo 0)-n$nnp-u$uid"
				rt_compile "$name" "$base
${capcfg[$mode]}
${sc:+lxc.seccomp.profile = $sc}
lxc.no_new_privs = $nnp
lxc.init.uid = $uid
lxc.init.gid = $uid" || { echo "Bail out! compile $name"; exit 1; }
				check "$name" "cap $mode, seccomp $([ -n "$sc" ] && echo default.seccomp || echo none), no_new_privs $nnp, uid $uid" \
					"$uid" "$nnp" "$sc"
			done
		done
	done
done

# The matrix means what it says: sys_admin is out of the bounding set but
# for the config without a cap key, and keep = none keeps nothing.
for mode in drop keep none default; do
	b=$(( 16#$(mask "${P}$mode-s1-n0-u0" bounding) ))
	want=0; [ "$mode" = default ] && want=1
	is "$(( b >> SYS_ADMIN & 1 ))" "$want" "cap $mode: sys_admin in the blob's bounding set: $want"
done
is "$(mask "${P}none-s1-n0-u0" bounding)" "0000000000000000" "keep = none: an empty bounding set"

# The shipped default profile plus lxc.cap.drop = sys_admin, the case that
# failed: seccomp(2) without no_new_privs after sys_admin was dropped.
rt_compile "${P}profile" "lxc.include = $T/profiles/default.conf
lxc.rootfs.path = $T/rootfs
lxc.cap.drop = sys_admin" || { echo "Bail out! compile ${P}profile"; exit 1; }
check "${P}profile" "profiles/default.conf with sys_admin dropped" 0 0 1

# An allowlist (default action kill) without capset: nothing the runtime
# does after the filter may need capset, or the init dies of SIGSYS.
cat > "$T/nocapset.seccomp" <<'EOF'
2
allowlist
[all]
execve
brk
arch_prctl
set_tid_address
set_robust_list
rseq
prlimit64
readlink
getrandom
mprotect
mmap
munmap
prctl
getuid
geteuid
getgid
getegid
setgid
setuid
openat
newfstatat
fstat
read
write
ioctl
close
exit
exit_group
EOF
for uid in 0 1000; do
	rt_compile "${P}nocapset-u$uid" "$base
lxc.cap.drop = sys_admin
lxc.seccomp.profile = nocapset.seccomp
lxc.init.uid = $uid
lxc.init.gid = $uid" || { echo "Bail out! compile ${P}nocapset-u$uid"; exit 1; }
	check "${P}nocapset-u$uid" "an allowlist without capset, sys_admin dropped, uid $uid" "$uid" 0 1
done

is "$(rt_cgroups_of "$P*")" "" "the capability tests leave no cgroup"
is "$(grep -c "$T" /proc/self/mountinfo)" "0" "the capability tests leave no mount"
is "$(ls -d /run/cordon/"$P"* 2>/dev/null)" "" "the capability tests leave no state directory"
is "$(pgrep -f "cordon-runtime.*$T/" | wc -l)" "0" "the capability tests leave no process"
done_testing
