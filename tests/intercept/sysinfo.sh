#!/bin/bash
# security.syscalls.intercept.sysinfo in real containers: totalram is the
# configured 123 MiB memory limit (v1 limit_in_bytes on a hybrid host,
# cgroup2 memory.max otherwise), for the i386 ABI too (its 32-bit layout),
# procs and uptime are the container's; without the key, or without a
# limit, the host's values; a bad buffer is EFAULT as the kernel says.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
TRY=$top_builddir/tests/runtime/try-syscall
if ic_memory_v1; then limit="lxc.cgroup.memory.limit_in_bytes = 123M"; else limit="lxc.cgroup2.memory.max = 123M"; fi
ic_compile on "security.syscalls.intercept.sysinfo = true
$limit" || exit 1
ic_compile off "$limit" || exit 1
ic_compile nolimit "security.syscalls.intercept.sysinfo = true" || exit 1
MIB123=$((123 * 1024 * 1024))
host_ram=$("$HELPER" sysinfo | cut -d' ' -f2)

out=$(ic_run on 'icpt-helper sysinfo')
is "$(echo "$out" | cut -d' ' -f1-2)" "ok $MIB123" "key on: totalram is the 123 MiB limit ($limit)"
procs=$(echo "$out" | cut -d' ' -f3)
ok "$([ "$procs" -ge 1 ] && [ "$procs" -le 5 ]; echo $?)" "key on: procs counts the container's tasks ($procs)"
up=$(echo "$out" | cut -d' ' -f4)
ok "$([ "$up" -ge 0 ] && [ "$up" -le 10 ]; echo $?)" "key on: uptime is the container's ($up s)"
if [ "$("$HELPER" sysinfo32 | cut -d' ' -f1)" = ok ]; then
	is "$(ic_run on 'icpt-helper sysinfo32' | cut -d' ' -f1-2)" "ok $MIB123" \
		"key on: an i386 caller gets the 32-bit layout with the limit"
else
	skip "no i386 emulation on this kernel"
fi
is "$(ic_run off 'icpt-helper sysinfo' | cut -d' ' -f1-2)" "ok $host_ram" "key off: the host's totalram"
is "$(ic_run nolimit 'icpt-helper sysinfo' | cut -d' ' -f1-2)" "ok $host_ram" \
	"key on, no memory limit: the host's totalram"
if [ -x "$TRY" ]; then
	cp "$TRY" "$T/rootfs/bin/try-syscall"
	is "$(ic_run on 'try-syscall 99 0')" "errno 14" "key on: sysinfo(NULL) fails with EFAULT"
	is "$(ic_run on 'try-syscall 99 1')" "errno 14" "key on: sysinfo(1) fails with EFAULT"
else
	skip "tests/runtime/try-syscall not built"
	skip "tests/runtime/try-syscall not built"
fi
rt_clean "$N-on" "sysinfo interception"
done_testing
