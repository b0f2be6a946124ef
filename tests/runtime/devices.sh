#!/bin/bash
# Device rules in real containers: the program attached to the container's
# cgroup2 cgroup with BPF_F_ALLOW_MULTI (and, on a hybrid host, the v1 rules
# written when v1 can say them), enforced on mknod and open from inside; the
# v1-only and pure cgroup2 layouts simulated in a mount namespace; failed
# starts name the step; no cgroup and no program left on any path.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
HELPER=$top_builddir/tests/runtime/devices_helper
[ -x "$HELPER" ] || skip_all "tests/runtime/devices_helper not built"
unified=$(awk '$0 ~ / - cgroup2 / {print $5; exit}' /proc/self/mountinfo)
[ -n "$unified" ] || skip_all "no cgroup2 hierarchy (the v1-only path is simulated from one)"
own2=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
v1dev=$(awk '$0 ~ / - cgroup / { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == "devices") print $5 }' /proc/self/mountinfo | head -1)
v1own=$(awk -F: '{ n = split($2, o, ","); for (i = 1; i <= n; i++) if (o[i] == "devices") print $3 }' /proc/self/cgroup)
[ -n "$v1dev" ] && v1dir=$v1dev${v1own%/} || v1dir=
rt_setup --uid-shift 100000
# Container names of this run: others may run this file at the same time.
P=dv$$-

ids="lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536"
unpriv="lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
$ids"
# No lxc.idmap: no user namespace, and the runtime keeps CAP_MKNOD.
priv="lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro"
default_rules=$(grep -E '^lxc\.cgroup2?\.devices\.' "$top_srcdir/profiles/default.conf")
cg2() { echo "$unified${own2%/}/cordon-$1"; }

# start_bg NAME [CMD]: run NAME.blob in the background; $mon is the
# runtime, $init the container's init (from the cgroup2 cgroup).
start_bg() {
	"$CORDON" start "$T/$1.blob" -- /bin/sh -c "${2:-sleep 10}" </dev/null 2>/dev/null &
	mon=$!
	init=
	for _ in $(seq 100); do
		init=$(head -1 "$(cg2 "$1")/cgroup.procs" 2>/dev/null)
		[ -n "$init" ] && break
		sleep 0.05
	done
	# The init is in the cgroup before the start ends: wait for its exec,
	# so that what the test does to it meets a started container.
	for _ in $(seq 100); do
		case $(cat "/proc/$init/comm" 2>/dev/null) in cordon-runtime|'') sleep 0.05 ;; *) break ;; esac
	done
}
# prog_gone ID: wait up to two seconds for the program to be freed.
prog_gone() {
	[ -n "$1" ] || return 1
	for _ in $(seq 40); do
		[ "$("$HELPER" prog "$1")" = gone ] && return 0
		sleep 0.05
	done
	return 1
}

# ---- the default profile as a whole (unprivileged) ----
rt_compile ${P}def "lxc.include = $top_srcdir/profiles/default.conf
lxc.rootfs.path = $T/rootfs" || exit 1
out=$("$CORDON" start "$T/${P}def.blob" -- /bin/sh -c '
	echo data > /dev/null && echo null-w
	[ "$(wc -c < /dev/null)" = 0 ] && echo null-r
	[ "$(head -c 8 /dev/zero | od -An -tx1 | tr -d " \n")" = 0000000000000000 ] && echo zero-r
	echo data > /dev/zero && echo zero-w
	[ "$(head -c 16 /dev/urandom | wc -c)" = 16 ] && echo urandom-r
	echo data > /dev/urandom && echo urandom-w
	mknod /tmp/null c 1 3 2>&1' </dev/null 2>/dev/null)
is "$out" "null-w
null-r
zero-r
zero-w
urandom-r
urandom-w
mknod: /tmp/null: Operation not permitted" \
	"default profile: /dev/null, /dev/zero, /dev/urandom read and written; mknod refused by the kernel in a user namespace"
rt_clean ${P}def "a container of the default profile"

# ---- the matrix: nodes made on the host, mknod and opens from inside ----
mkdir -p "$T/rootfs/nodes"
devs="c:1:3 c:1:5 c:1:7 c:1:1 b:7:0"
for d in $devs; do
	IFS=: read -r t ma mi <<<"$d"
	mknod -m 666 "$T/rootfs/nodes/$t-$ma-$mi" "$t" "$ma" "$mi"
done
# Inside: for each device TYPE:MAJ:MIN print TYPEMAJ:MIN=mrw, a '-' for
# each access refused with EPERM (ENXIO, no driver behind the number, is an
# access the rules let through); anything else is printed as it came.
probe='res() { case "$2" in "") printf %s "$1";; *"not permitted"*) printf -;; *"No such device or address"*) printf %s "$1";; *) printf "[%s]" "$2";; esac; }
for d in '"$devs"'; do
	t=${d%%:*} r=${d#*:}; ma=${r%%:*} mi=${r#*:}
	n=/nodes/$t-$ma-$mi
	printf "%s%s:%s=" "$t" "$ma" "$mi"
	res m "$(mknod /tmp/mk "$t" "$ma" "$mi" 2>&1)"; rm -f /tmp/mk
	res r "$( (exec 3<"$n") 2>&1)"
	res w "$( (exec 3>"$n") 2>&1)"
	printf " "
done; echo'
# matrix NAME RULES WANT WHAT [WRAPPER...]: a privileged container with RULES
# shows WANT.
matrix() {
	local name=$1 rules=$2 want=$3 what=$4; shift 4
	rt_compile "$name" "$priv
$rules" || { ok 1 "$what"; return; }
	is "$("$@" "$CORDON" start "$T/$name.blob" -- /bin/sh -c "$probe" </dev/null 2>&1)" "$want " "$what"
}

matrix ${P}none "" "c1:3=mrw c1:5=mrw c1:7=mrw c1:1=mrw b7:0=mrw" \
	"no device rule: every device reachable (1:1 reaches the driver: ENXIO)"
matrix ${P}defrules "$default_rules" "c1:3=mrw c1:5=mrw c1:7=mrw c1:1=m-- b7:0=m--" \
	"default rules: mknod c 1:1 and b 7:0 work, opening them is refused (EPERM)"
allow="lxc.cgroup2.devices.deny = a
lxc.cgroup2.devices.allow = c 1:3 rwm
lxc.cgroup2.devices.allow = c 1:5 r
lxc.cgroup2.devices.allow = b 7:0 m"
matrix ${P}allow "$allow" "c1:3=mrw c1:5=-r- c1:7=--- c1:1=--- b7:0=m--" \
	"allowlist: only the listed devices and accesses"
matrix ${P}deny "lxc.cgroup2.devices.allow = a
lxc.cgroup2.devices.deny = c 1:7 rwm
lxc.cgroup2.devices.deny = b *:* rw" "c1:3=mrw c1:5=mrw c1:7=--- c1:1=mrw b7:0=m--" \
	"denylist: everything but the listed devices and accesses"
matrix ${P}wild "lxc.cgroup2.devices.deny = a
lxc.cgroup2.devices.allow = c 1:* rw
lxc.cgroup2.devices.allow = b *:* m
lxc.cgroup2.devices.allow = c *:5 m" "c1:3=-rw c1:5=mrw c1:7=-rw c1:1=-rw b7:0=m--" \
	"wildcards: c 1:*, b *:*, c *:5"
matrix ${P}subsets "lxc.cgroup2.devices.deny = a
lxc.cgroup2.devices.allow = c 1:3 m
lxc.cgroup2.devices.allow = c 1:5 w
lxc.cgroup2.devices.allow = c 1:7 r
lxc.cgroup2.devices.allow = c 1:1 rw" "c1:3=m-- c1:5=--w c1:7=-r- c1:1=-rw b7:0=---" \
	"access subsets: m, w, r, rw"
narrow="lxc.cgroup2.devices.deny = a
lxc.cgroup2.devices.allow = c 1:* rwm
lxc.cgroup2.devices.deny = c 1:5 w
lxc.cgroup2.devices.deny = c 1:7 rwm"
matrix ${P}narrow "$narrow" "c1:3=mrw c1:5=mr- c1:7=--- c1:1=mrw b7:0=---" \
	"deny rules narrow an earlier wider allow"
matrix ${P}v1fam "lxc.cgroup.devices.deny = a
lxc.cgroup.devices.allow = c 1:3 rwm
lxc.cgroup.devices.allow = b 7:0 m" "c1:3=mrw c1:5=--- c1:7=--- c1:1=--- b7:0=m--" \
	"lxc.cgroup.devices.* (the v1 family) is enforced on this host too"
matrix ${P}both "lxc.cgroup.devices.deny = a
lxc.cgroup.devices.allow = c 1:* rwm
lxc.cgroup2.devices.deny = a
lxc.cgroup2.devices.allow = c *:3 rwm
lxc.cgroup2.devices.allow = c *:5 r" "c1:3=mrw c1:5=-r- c1:7=--- c1:1=--- b7:0=---" \
	"both families: a device must pass both"
rt_clean ${P}allow "the matrix"

# ---- the program on the container's cgroup2 cgroup ----
rt_compile ${P}prog "$unpriv
$default_rules" || exit 1
start_bg ${P}prog
q=$("$HELPER" query "$(cg2 ${P}prog)")
is "$(sed -n 1p <<<"$q")" "flags 0x2" "the container's cgroup2 cgroup has a program attached with BPF_F_ALLOW_MULTI"
is "$(grep -c '^prog [0-9]* cgroup_device$' <<<"$q")" "1" "one program, of type BPF_PROG_TYPE_CGROUP_DEVICE"
id=$(awk '$1 == "prog" {print $2; exit}' <<<"$q")
like "$(cat "/proc/$init/cgroup" 2>/dev/null)" "^0::${own2%/}/cordon-${P}prog$" "the container's init runs in that cgroup"
if [ -n "$v1dir" ] && [ "$unified" != /sys/fs/cgroup ]; then
	is "$(cat "$v1dir/cordon-${P}prog/devices.list" 2>&1 | tr '\n' ,)" \
		"c *:* m,b *:* m,c 1:3 rwm,c 1:5 rwm,c 1:7 rwm,c 1:8 rwm,c 1:9 rwm,c 5:0 rwm,c 5:1 rwm,c 5:2 rwm,c 136:* rwm,c 254:0 rm,c 10:229 rwm,c 10:200 rwm,c 10:228 rwm,c 10:232 rwm," \
		"hybrid host: the v1 devices cgroup holds the same rules"
	like "$(cat "/proc/$init/cgroup")" "devices:${v1own%/}/cordon-${P}prog" "the init is in that v1 devices cgroup"
else
	skip "no v1 devices controller beside cgroup2"
	skip "no v1 devices controller beside cgroup2"
fi
kill -TERM "$mon"; wait "$mon"
ok "$(prog_gone "$id"; echo $?)" "the program is freed after a normal exit"
rt_clean ${P}prog "a container with device rules"

rt_compile ${P}narrow2 "$unpriv
$narrow" || exit 1
start_bg ${P}narrow2
is "$("$HELPER" query "$(cg2 ${P}narrow2)" | grep -c cgroup_device)" "1" "a policy v1 cannot express: the program is attached"
is "$(find "${v1dir:-/nonexistent}" -maxdepth 1 -name cordon-${P}narrow2 2>/dev/null)" "" \
	"and no v1 devices cgroup is made for it (it could not say the same)"
kill -TERM "$mon"; wait "$mon"
rt_clean ${P}narrow2 "a policy v1 cannot express"

rt_compile ${P}nodev "$unpriv" || exit 1
start_bg ${P}nodev
is "$("$HELPER" query "$(cg2 ${P}nodev)")" "flags 0x0" "no device rule: no program attached"
kill -TERM "$mon"; wait "$mon"
rt_clean ${P}nodev "a container without device rules"

# SIGKILL of init: the monitor still removes everything.
start_bg ${P}prog
id=$("$HELPER" query "$(cg2 ${P}prog)" | awk '$1 == "prog" {print $2; exit}')
kill -KILL "$init"
wait "$mon"
is "$?" "137" "init killed by SIGKILL: status 128+9"
ok "$(prog_gone "$id"; echo $?)" "the program is freed after SIGKILL of init"
rt_clean ${P}prog "SIGKILL of init"

# ---- failed starts ----
n=$("$CORDON" dump "$T/${P}prog.blob" | awk '$1 == "insns:" {print $2}')
# fails NAME MESSAGE-REGEX WHAT -- WRAPPER...
fails() {
	local name=$1 re=$2 what=$3; shift 4
	local out st
	out=$("$@" "$CORDON" start "$T/$name.blob" -- /bin/true 2>&1 </dev/null)
	st=$?
	like "$out" "$re" "$what: message"
	is "$st" "3" "$what: exit code 3"
	rt_clean "$name" "$what"
}
"$HELPER" deny-bpf all /bin/true
if [ $? = 77 ]; then
	skip "no seccomp filter for this architecture"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"
	skip "-"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"
else
	fails ${P}prog "^cordon: start ${P}prog: devices: load device program \($n instructions\): Operation not permitted; verifier log: \(empty\)$" \
		"BPF_PROG_LOAD refused" -- "$HELPER" deny-bpf load
	fails ${P}prog "^cordon: start ${P}prog: devices: attach device program to '$(cg2 ${P}prog)': Operation not permitted$" \
		"BPF_PROG_ATTACH refused" -- "$HELPER" deny-bpf attach
fi
rt_compile ${P}brk "$unpriv
$default_rules" || exit 1
if "$HELPER" break "$T/${P}brk.blob"; then
	fails ${P}brk "^cordon: start ${P}brk: devices: load device program \($n instructions\): Permission denied; verifier log: .*R5 !read_ok" \
		"a program the verifier refuses" --
else
	skip "could not patch the blob's device program"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"
fi

# ---- other layouts, simulated in a private mount namespace ----
# as_v1: hide the cgroup2 mount (v1 only).  as_v2: only a cgroup2 mount at
# /sys/fs/cgroup (pure cgroup2).
as_v1() { unshare -m --propagation private sh -c 'umount -l "$0" && exec "$@"' "$unified" "$@"; }
as_v2() { unshare -m --propagation private sh -c 'umount -l /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec "$@"' sh "$@"; }
have_unshare=false
command -v unshare >/dev/null && have_unshare=true
if $have_unshare && [ -n "$v1dir" ] && [ "$unified" != /sys/fs/cgroup ]; then
	matrix ${P}allow "$allow" "c1:3=mrw c1:5=-r- c1:7=--- c1:1=--- b7:0=m--" \
		"v1 only: the allowlist through the devices controller" as_v1
	rt_clean ${P}allow "v1 only: a container with device rules"
	rt_compile ${P}narrow3 "$priv
$narrow" || exit 1
	fails ${P}narrow3 "^cordon: start ${P}narrow3: devices: device rules for '$v1dir/cordon-${P}narrow3': a deny rule narrows a wider allow rule, which the cgroup v1 devices controller cannot express, and this host has no cgroup2 hierarchy for the device program$" \
		"v1 only: a policy v1 cannot express fails closed" -- as_v1
else
	skip "no unshare(1) or no v1 devices controller"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"; skip "-"
	skip "-"
fi
if $have_unshare && [ "$unified" != /sys/fs/cgroup ]; then
	matrix ${P}narrow "$narrow" "c1:3=mrw c1:5=mr- c1:7=--- c1:1=mrw b7:0=---" \
		"pure cgroup2: the program alone" as_v2
	rt_clean ${P}narrow "pure cgroup2: a container with device rules"
else
	skip "no unshare(1), or the host is pure cgroup2 (tested above)"
	skip "-"; skip "-"; skip "-"; skip "-"
fi
is "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "cordon-$P*" 2>/dev/null)" "" "no cgroup of this file's containers is left"
done_testing
