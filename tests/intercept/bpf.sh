#!/bin/bash
# security.syscalls.intercept.bpf with .bpf.devices in an unprivileged
# container: a device-cgroup program (one denying /dev/null) loads only with
# both keys, attaches to the container's own cgroup (and /dev/null is then
# refused inside) and detaches again; a socket filter and a program naming
# a map fd are refused; attaching to a cgroup outside the container's (a
# host cgroup bind-mounted in) is refused and leaves it without a program;
# a thread flipping the program type during the call never gets anything
# but a device program loaded.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
BHELPER=$top_builddir/tests/intercept/bpf_helper
DHELPER=$top_builddir/tests/runtime/devices_helper
[ -x "$BHELPER" ] || skip_all "tests/intercept/bpf_helper not built"
[ -x "$DHELPER" ] || skip_all "tests/runtime/devices_helper not built"
unified=$(awk '$0 ~ / - cgroup2 / {print $5; exit}' /proc/self/mountinfo)
[ -n "$unified" ] || skip_all "no cgroup2 hierarchy (device programs attach there)"
own2=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
N=ib$$
R=$T/rootfs
cp "$BHELPER" "$R/bin/bpf_helper"
# a host cgroup outside the container's, next to it
OUT=$unified${own2%/}/$N-out
bpf_cleanup() {
	[ -d "$OUT" ] && rmdir "$OUT"
	rt_teardown
}
trap bpf_cleanup EXIT
mkdir "$OUT" || skip_all "cannot make a cgroup in $unified${own2%/}"

KEY=security.syscalls.intercept.bpf
# the container's own cgroup2 cgroup and the outside one, bind-mounted in
cgs="lxc.mount.entry = $unified${own2%/}/cordon-$N-on tmp/cg none bind,create=dir 0 0
lxc.mount.entry = $OUT tmp/out none bind,create=dir 0 0"
ic_compile on "$KEY = true
$KEY.devices = true
$cgs" || exit 1
ic_compile nodev "$KEY = true" || exit 1
ic_compile off "" || exit 1

is "$(ic_run on 'bpf_helper load')" "ok type 15" "bpf.devices: a device program loads (fd of type CGROUP_DEVICE)"
is "$(ic_run off 'bpf_helper load')" "errno 1" "no keys: the device program is refused (EPERM)"
is "$(ic_run nodev 'bpf_helper load')" "errno 1" "bpf without bpf.devices: refused"
if [ "$(sysctl -n kernel.unprivileged_bpf_disabled 2>/dev/null)" = 0 ]; then
	skip "kernel.unprivileged_bpf_disabled=0: the kernel itself loads socket filters for anyone"
else
	is "$(ic_run on 'bpf_helper load-socket')" "errno 1" "bpf.devices: a socket filter is refused"
fi
is "$(ic_run on 'bpf_helper load-map')" "errno 1" "bpf.devices: a device program naming a map fd is refused"
is "$(ic_run on 'bpf_helper attach /tmp/cg; { echo data > /dev/null; } 2>/tmp/err || echo refused')" "attach ok
open errno 1
refused" "bpf.devices: attached to the container's cgroup, it denies /dev/null inside"
is "$(ic_run on 'bpf_helper attach-detach /tmp/cg')" "attach ok
detach ok
open ok" "bpf.devices: detached again, /dev/null opens"
is "$(ic_run on 'bpf_helper attach /tmp/out')" "attach errno 1" \
	"bpf.devices: attaching to a cgroup outside the container's is refused"
is "$("$DHELPER" query "$OUT")" "flags 0x0" "the outside cgroup has no program"
out=$(ic_run on "bpf_helper race ${RACE_SECS:-5}")
like "$out" "^tries [1-9][0-9]* loaded [1-9][0-9]* foreign 0$" \
	"a thread flipping the program type during the load: device programs only"
tries=$(sed -n 's/^tries \([0-9]*\).*/\1/p' <<<"$out" | head -n1)
ok "$([ "${tries:-0}" -ge "${RACE_MIN_TRIES:-1}" ]; echo $?)" "the bpf race: at least ${RACE_MIN_TRIES:-1} tries (${tries:-none})"
tap_diag "$out"
rt_clean "$N-on" "bpf interception"
done_testing
