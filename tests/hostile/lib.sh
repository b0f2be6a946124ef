# shellcheck shell=bash
# Shared by tests/hostile/supervisor.sh (20 s) and tests/long/hostile.sh (10
# minutes): tests/hostile/hostile inside an unprivileged busybox container
# with all six interception keys on, watched from the host.  Source after
# tests/tap.sh; then hostile_run SECONDS THREADS, and the hostile_* checks.
. "$top_srcdir/tests/intercept/lib.sh"
HOSTILE=$top_builddir/tests/hostile/hostile
[ -x "$HOSTILE" ] || skip_all "tests/hostile/hostile not built"
R=$T/rootfs
HN=$N-hostile
DHELPER=$top_builddir/tests/runtime/devices_helper
[ -x "$DHELPER" ] || skip_all "tests/runtime/devices_helper not built"
# The container's own cgroup2 cgroup (bpf attaches are granted there) and
# one outside it, next to it (never granted), bind-mounted at /h/cg and
# /h/out.
UNIFIED=$(awk '$0 ~ / - cgroup2 / {print $5; exit}' /proc/self/mountinfo)
[ -n "$UNIFIED" ] || skip_all "no cgroup2 hierarchy (device programs attach there)"
OWN2=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
OUT=$UNIFIED${OWN2%/}/$N-out
hostile_cleanup() {
	[ -d "$OUT" ] && rmdir "$OUT"
	rt_teardown
}
trap hostile_cleanup EXIT
mkdir "$OUT" || skip_all "cannot make a cgroup in $UNIFIED${OWN2%/}"
MIB256=$((256 * 1024 * 1024))

# The scratch tree /h: d (mknod), x (setxattr: directories d0-d3, files
# f0-f3), m (mount targets), u (the uid 1000 child's), ctl (the script's
# flags and outputs); symlinks climbing out of the root.
hostile_prep() {
	cp "$HOSTILE" "$R/bin/hostile"
	mkdir -p "$R/h/d" "$R/h/x" "$R/h/m" "$R/h/u/d" "$R/h/u/m" "$R/h/ctl" "$R/hostile-m"
	for i in 0 1 2 3; do mkdir -p "$R/h/x/d$i"; : > "$R/h/x/f$i"; done
	for i in 0 1 2 3 4 5 6 7; do mkdir -p "$R/h/m/$i"; done
	ln -s /../../../.. "$R/h/d/lnk"
	ln -s /../../../.. "$R/h/x/lnk"
	ln -s /../../../.. "$R/h/m/lnk"
	chown -R 100000:100000 "$R/h" "$R/hostile-m"
	chown 101000:101000 "$R/h/u/d" "$R/h/u/m"
	chmod 1777 "$R/h/u"
	if ic_memory_v1; then limit="lxc.cgroup.memory.limit_in_bytes = 256M"; else limit="lxc.cgroup2.memory.max = 256M"; fi
	ic_compile hostile "lxc.seccomp.profile = $top_srcdir/profiles/default.seccomp
$limit
lxc.mount.entry = $UNIFIED${OWN2%/}/cordon-$HN h/cg none bind,create=dir 0 0
lxc.mount.entry = $OUT h/out none bind,create=dir 0 0
security.syscalls.intercept.mknod = true
security.syscalls.intercept.setxattr = true
security.syscalls.intercept.sysinfo = true
security.syscalls.intercept.sched_setscheduler = true
security.syscalls.intercept.mount = true
security.syscalls.intercept.mount.allowed = tmpfs,ext4
security.syscalls.intercept.bpf = true
security.syscalls.intercept.bpf.devices = true"
}

# hostile_fds PID / hostile_threads PID
hostile_fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
hostile_rss() { awk '$1 == "VmRSS:" {print $2 " kB"}' "/proc/$1/status" 2>/dev/null; }
hostile_threads() { awk '$1 == "Threads:" {print $2}' "/proc/$1/status" 2>/dev/null; }
# hostile_busy PID: its threads not waiting in SECCOMP_IOCTL_NOTIF_RECV
# (recv_wait_event): the monitor's own (its loop, its control socket), and
# any worker on a request.
hostile_busy() {
	local t n=0
	for t in /proc/"$1"/task/*; do
		[ "$(cat "$t/wchan" 2>/dev/null)" = recv_wait_event ] || n=$((n + 1))
	done
	echo "$n"
}

# hostile_wait FILE SECONDS: 0 when FILE appears in time.
hostile_wait() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# hostile_run SECONDS THREADS: the container runs hostile between two
# rounds of ordinary sysinfo calls (which leave the supervisor's pool at its
# idle level); the monitor is measured before (MON, FD0, TH0, BUSY0) and
# after (ALIVE, FD1, TH1, BUSY1); then the container gets a last normal sysinfo call
# (ctl/sysinfo.out) and its mount table (ctl/mounts.before, .after) and
# exits.  HOST_MOUNTS0/1: the host's mount count before and after.
hostile_run() {
	local secs=$1 threads=$2 s=/h/ctl
	HOST_MOUNTS0=$(wc -l < /proc/self/mountinfo)
	local script="icpt-helper sysinfo-loop 10 >/dev/null; sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo | sort > $s/mounts.before
touch $s/ready; while [ ! -e $s/go ]; do usleep 100000; done
hostile $secs $threads > $s/hostile.out 2>&1; echo \$? > $s/hostile.rc
icpt-helper sysinfo-loop 10 >/dev/null; touch $s/done; while [ ! -e $s/finish ]; do usleep 100000; done
icpt-helper sysinfo > $s/sysinfo.out; sed 's/^[0-9]* [0-9]* //' /proc/self/mountinfo | sort > $s/mounts.after"
	timeout -k 5 $((secs * 2 + 120)) "$CORDON" start "$T/$HN.blob" -- /bin/sh -c "$script" </dev/null >"$T/start.out" 2>&1 &
	CPID=$!
	MON='' FD0='' TH0='' BUSY0='' RSS0='' ALIVE=no FD1='' TH1='' BUSY1='' RSS1=''
	if ! hostile_wait "$R$s/ready" 30; then
		tap_diag "the container did not start:"; sed 's/^/#   /' "$T/start.out"
		wait "$CPID"; return 1
	fi
	MON=$(cat "/run/cordon/$HN/monitor" 2>/dev/null)
	sleep 1
	FD0=$(hostile_fds "$MON") TH0=$(hostile_threads "$MON") BUSY0=$(hostile_busy "$MON") RSS0=$(hostile_rss "$MON")
	touch "$R$s/go"
	local t0=$SECONDS
	if hostile_wait "$R$s/done" $((secs + 90)); then
		sleep 1
		kill -0 "$MON" 2>/dev/null && ALIVE=yes
		FD1=$(hostile_fds "$MON") TH1=$(hostile_threads "$MON") BUSY1=$(hostile_busy "$MON") RSS1=$(hostile_rss "$MON")
	fi
	HOSTILE_TOOK=$((SECONDS - t0))
	if [ "$ALIVE" != yes ]; then
		# a hang: end the container by its init (the kernel kills the rest
		# of its pid namespace, stuck callers too), so that its monitor
		# cleans up rather than being killed by the timeout
		tap_diag "the run did not end in $HOSTILE_TOOK s: killing the container's init"
		kill -KILL "$(cat "/run/cordon/$HN/pid" 2>/dev/null)" 2>/dev/null
	fi
	touch "$R$s/finish"
	wait "$CPID"
	HOSTILE_RC=$(cat "$R$s/hostile.rc" 2>/dev/null)
	HOST_MOUNTS1=$(wc -l < /proc/self/mountinfo)
}

# The assertions both scripts make after hostile_run.
hostile_checks() {
	local out=$R/h/ctl/hostile.out
	sed 's/^/# /' "$out"
	is "$HOSTILE_RC" "0" "hostile ran to its end, no violation, no hang (exit status)"
	like "$(tail -n1 "$out")" "^calls [1-9][0-9]* in [0-9.]* s \([0-9]*/s\) threads [0-9]* violations 0$" \
		"every call returned, none was granted outside policy"
	is "$(grep -c '^HANG\|^VIOLATION' "$out")" "0" "no hang, no violation reported"
	like "$(grep '^unprivileged calls' "$out")" "^unprivileged calls [1-9][0-9]*, nested user namespace calls [1-9]" \
		"the uid 1000 child and the nested user namespace's root made their calls"
	is "$ALIVE" "yes" "the monitor (pid $MON) is alive after the run"
	is "$FD1" "$FD0" "the monitor's fd count is flat ($FD0 before, $FD1 after)"
	# The pool keeps idle receivers (at most SUP_MAX_WORKERS, 16) and trims
	# them only after requests, so the idle count depends on the last calls'
	# timing: the idle level is every worker receiving, none on a request.
	ok "$([ -n "$BUSY1" ] && [ "$BUSY1" = "$BUSY0" ]; echo $?)" \
		"the monitor's threads are back to idle: besides its own ($BUSY0 before, $BUSY1 after), all wait in NOTIF_RECV"
	ok "$([ -n "$TH1" ] && [ "$TH1" -le 17 ]; echo $?)" "the monitor has at most 1 + 16 threads ($TH0 before, $TH1 after)"
	like "$(cat "$R/h/ctl/sysinfo.out" 2>/dev/null)" "^ok $MIB256 [0-9]+ [0-9]+$" \
		"afterwards the container's sysinfo is answered with its own values (totalram 256 MiB)"
	is "$(diff "$R/h/ctl/mounts.before" "$R/h/ctl/mounts.after" 2>&1)" "" "no mount left in the container"
	is "$HOST_MOUNTS1" "$HOST_MOUNTS0" "no mount left on the host"
	is "$("$DHELPER" query "$OUT")" "flags 0x0" "the cgroup outside the container's has no device program"
	is "$("$HOSTILE" check-host "$R")" "check-host: 0 violations" \
		"on the host: no xattr but trusted.overlay.opaque=y on directories, no device node outside the list"
	ok "$([ ! -e /hostile-esc ] && [ ! -e /hostile-esc2 ] && [ ! -e "$T/hostile-esc" ]; echo $?)" \
		"nothing was made outside the container's root"
	tap_diag "monitor: fds $FD0 -> $FD1, threads $TH0 -> $TH1, RSS $RSS0 -> $RSS1; run took $HOSTILE_TOOK s"
	rt_clean "$HN" "the hostile run"
}
