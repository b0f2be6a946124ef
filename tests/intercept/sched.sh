#!/bin/bash
# security.syscalls.intercept.sched_setscheduler: container root holding
# CAP_SYS_NICE gets SCHED_FIFO for itself and for another process of the
# container (its pid looked up in the caller's pid namespace); a non-root
# user, an unknown pid and a container without the key are refused.  A container with
# lxc.cgroup.cpu.* keys gets a v1 cpu cgroup of its own, whose real-time
# budget starts at 0 (CONFIG_RT_GROUP_SCHED): it must set
# lxc.cgroup.cpu.rt_runtime_us, or the kernel's EPERM is passed on.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
ic_compile on "security.syscalls.intercept.sched_setscheduler = true" || exit 1
ic_compile off "" || exit 1

is "$(ic_run on 'icpt-helper sched 0 fifo 10')" "ok 1" "key on: container root gets SCHED_FIFO"
is "$(ic_run on 'icpt-helper sched 0 rr 5')" "ok 2" "key on: container root gets SCHED_RR"
out=$(ic_run on 'sleep 30 & p=$!; icpt-helper sched $p fifo 5; grep -c . /proc/$p/sched >/dev/null; kill $p')
is "$out" "ok 1" "key on: another process's pid is looked up in the container's pid namespace"
is "$(ic_run on 'icpt-helper as 1000 sched 0 fifo 10')" "errno 1" "key on: a non-root user is refused"
is "$(ic_run on 'icpt-helper sched 9999 fifo 10')" "errno 3" "key on: an unknown pid: ESRCH"
is "$(ic_run off 'icpt-helper sched 0 fifo 10')" "errno 1" "key off: refused (EPERM)"
is "$(ic_run on 'icpt-helper sched 0 other 0')" "ok 0" "key on: back to SCHED_OTHER"
if grep -qE ' - cgroup cgroup [^ ]*cpu[,a-z]*$| - cgroup cgroup rw,cpu$' /proc/self/mountinfo &&
	[ -e /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
	ic_compile rt "security.syscalls.intercept.sched_setscheduler = true
lxc.cgroup.cpu.rt_runtime_us = 10000" || exit 1
	ic_compile nort "security.syscalls.intercept.sched_setscheduler = true
lxc.cgroup.cpu.shares = 512" || exit 1
	is "$(ic_run rt 'icpt-helper sched 0 fifo 10')" "ok 1" "v1 cpu cgroup with rt_runtime_us: SCHED_FIFO works"
	is "$(ic_run nort 'icpt-helper sched 0 fifo 10')" "errno 1" \
		"v1 cpu cgroup without a real-time budget: the kernel's EPERM is passed on"
else
	skip "no v1 cpu hierarchy with real-time group scheduling"
	skip "no v1 cpu hierarchy with real-time group scheduling"
fi
rt_clean "$N-on" "sched_setscheduler interception"
done_testing
