#!/bin/bash
# Cgroup limits act on the container, watched from inside: a pids limit
# stops a fork loop at the limit (issue 6).  The limit is written with the
# key family of the host's layout: lxc.cgroup.pids.max where pids is a v1
# controller (hybrid, v1), lxc.cgroup2.pids.max on pure cgroup2.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
rt_setup --uid-shift 100000

name=pl$$
if awk '$5 == "/sys/fs/cgroup" && $0 ~ / - cgroup2 /' /proc/self/mountinfo | grep -q .; then
	key=lxc.cgroup2.pids.max
	grep -qw pids /sys/fs/cgroup/cgroup.controllers 2>/dev/null || skip_all "no pids controller in cgroup2"
else
	key=lxc.cgroup.pids.max
	awk '$0 ~ / - cgroup / && $NF ~ /(^|,)pids(,|$)/' /proc/self/mountinfo | grep -q . || skip_all "no v1 pids controller"
fi

rt_compile "$name" "lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed sys:ro
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536
$key = 8" || exit 1

# A child shell starts 20 background sleeps and notes each started pid with
# the echo builtin; with pids.max = 8 (init and the child shell count) the
# kernel refuses the forks past the limit.  init counts the notes with
# builtins only (no fork is possible while the sleeps hold the limit) and
# reports; the sleeps die with it.
out=$(timeout -k 5 60 "$CORDON" start "$T/$name.blob" -- /bin/sh -c '
	/bin/sh -c "i=0; while [ \$i -lt 20 ]; do sleep 30 & echo \$! >>/tmp/started; i=\$((i + 1)); done" 2>/tmp/fork.err
	n=0
	while read -r pid; do n=$((n + 1)); done </tmp/started
	r=0
	while read -r line; do case $line in *fork*) r=$((r + 1)) ;; esac; done </tmp/fork.err
	echo "started=$n"
	echo "refused=$r"
	exit 0' 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
started=$(printf '%s\n' "$out" | sed -n 's/^started=//p')
refused=$(printf '%s\n' "$out" | sed -n 's/^refused=//p')
ok "$([ -n "$started" ] && [ "$started" -ge 1 ] && [ "$started" -le 6 ]; echo $?)" "$key = 8: only the processes below the limit started (${started:-none} of 20 sleeps)"
ok "$([ -n "$refused" ] && [ "$refused" -ge 1 ]; echo $?)" "the fork past the limit was refused inside (${refused:-0} refusals seen)"
rt_clean "$name" "a container with a pids limit"
done_testing
