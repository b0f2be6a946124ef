#!/bin/bash
# security.syscalls.intercept.mknod in an unprivileged container: the
# standard character devices are made only with the key, owned by the
# caller, usable; relative paths from the cwd and a mknodat dirfd; on a
# tmpfs mounted inside the user namespace (nodev superblock) the node is
# bind-mounted and opens; `..`, symlinks and /proc/N/root cannot leave the
# root; block devices, other char devices and callers without CAP_MKNOD
# are refused as before; the whiteout 0:0 works either way.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
ic_compile on "security.syscalls.intercept.mknod = true" || exit 1
ic_compile off "" || exit 1
R=$T/rootfs

is "$(ic_run on 'icpt-helper mknod /tmp/null c 1 3; icpt-helper open /tmp/null')" "ok
ok" "key on: mknod /tmp/null 1:3 works and the node opens"
is "$(stat -c '%F %t:%T %u:%g %a' "$R/tmp/null")" "character special file 1:3 100000:100000 644" \
	"the node is owned by the caller's host ids, mode with its umask"
is "$(ic_run off 'icpt-helper mknod /tmp/null-off c 1 3')" "errno 1" "key off: mknod 1:3 is refused (EPERM)"
ok "$([ ! -e "$R/tmp/null-off" ]; echo $?)" "key off: no node made"
for d in "1 5" "1 7" "1 8" "1 9" "5 0" "5 1"; do
	set -- $d
	is "$(ic_run on "icpt-helper mknod /tmp/c$1-$2 c $1 $2")" "ok" "key on: char $1:$2 is made"
done
is "$(ic_run on 'icpt-helper mknod /tmp/blk b 7 0')" "errno 1" "key on: a block device is refused"
is "$(ic_run on 'icpt-helper mknod /tmp/mem c 1 1')" "errno 1" "key on: char 1:1 (/dev/mem) is refused"
is "$(ic_run on 'icpt-helper mknod /tmp/tty1 c 4 1')" "errno 1" "key on: char 4:1 is refused"
is "$(ic_run on 'icpt-helper as 1000 mknod /tmp/u c 1 3')" "errno 1" "key on: a caller without CAP_MKNOD is refused"
is "$(ic_run on 'icpt-helper mknod /tmp/wh c 0 0')" "ok" "key on: the whiteout 0:0 is made"
is "$(ic_run off 'icpt-helper mknod /tmp/wh-off c 0 0')" "ok" "key off: the whiteout 0:0 is made (the kernel allows it)"
is "$(ic_run on 'mkdir -p /tmp/rel && cd /tmp/rel && icpt-helper mknod zero c 1 5 && icpt-helper mknod ../rel2 c 1 5')" "ok
ok" "key on: relative paths resolve from the caller's cwd"
ok "$([ -c "$R/tmp/rel/zero" ] && [ -c "$R/tmp/rel2" ]; echo $?)" "relative nodes are where the caller meant"
is "$(ic_run on 'mkdir -p /tmp/at && icpt-helper mknodat /tmp/at full 1 7 && icpt-helper open /tmp/at/full')" "ok
ok" "key on: mknodat with a dirfd"
is "$(ic_run on 'mkdir -p /mnt/dev && mount -t tmpfs none /mnt/dev && icpt-helper mknod /mnt/dev/null c 1 3 &&
	icpt-helper open /mnt/dev/null && stat -c "%t:%T %u:%g" /mnt/dev/null')" "ok
ok
1:3 0:0" "key on: on a tmpfs mounted in the user namespace the node is bind-mounted and opens"
is "$(ic_run on 'mkdir -p /mnt/dev && mount -t tmpfs none /mnt/dev && icpt-helper mknodat - /mnt/dev/null 1 3 &&
	icpt-helper open /mnt/dev/null')" "ok
ok" "key on: mknodat of an absolute path with a closed dirfd (ignored, as the kernel does), on a tmpfs of the user namespace"
is "$(ic_run off 'mkdir -p /mnt/dev && mount -t tmpfs none /mnt/dev && icpt-helper mknod /mnt/dev/null c 1 3')" \
	"errno 1" "key off: the same is refused"
is "$(ic_run on 'icpt-helper mknod /../../../../../tmp/esc1 c 1 3; ln -s /../../../.. /tmp/up; icpt-helper mknod /tmp/up/tmp/esc2 c 1 3; cd /; icpt-helper mknod ../../../tmp/esc3 c 1 3')" "ok
ok
ok" "key on: .., symlinks and relative .. resolve inside the root"
ok "$([ -c "$R/tmp/esc1" ] && [ -c "$R/tmp/esc2" ] && [ -c "$R/tmp/esc3" ] && [ ! -e /tmp/esc1 ] && [ ! -e /tmp/esc2 ] &&
	[ ! -e /tmp/esc3 ]; echo $?)" "the nodes are in the container's /tmp, none on the host"
is "$(ic_run on 'icpt-helper mknod /proc/1/root/tmp/esc4 c 1 3')" "errno 40" \
	"key on: a path through a magic link (/proc/1/root) is refused (ELOOP)"
out=$(ic_run on "icpt-helper race-mknod /tmp ${RACE_SECS:-2}; ls /etc/n 2>&1")
like "$out" "^tries [1-9][0-9]* " "a thread rewriting the path during mknod: many tries"
tries=$(sed -n 's/^tries \([0-9]*\).*/\1/p' <<<"$out" | head -n1)
ok "$([ "${tries:-0}" -ge "${RACE_MIN_TRIES:-1}" ]; echo $?)" "the mknod race: at least ${RACE_MIN_TRIES:-1} tries (${tries:-none})"
ok "$([ ! -e /etc/n ] && [ ! -e "$R/../etc/n" ]; echo $?)" "the rewritten path never made a node outside the root"
# Acting as the caller without entering (absolute paths): its umask, and its
# own permissions on the directory (one owned by host root, which container
# root cannot write), by either way.
is "$(ic_run on 'umask 077; icpt-helper mknod /tmp/masked c 1 3')" "ok" "key on: mknod under umask 077"
is "$(stat -c '%a %u:%g' "$R/tmp/masked")" "600 100000:100000" "the caller's umask applies (0666 & ~077)"
mkdir -p "$R/tmp/hostdir"
is "$(ic_run on 'icpt-helper mknod /tmp/hostdir/n c 1 3; cd /tmp/hostdir && icpt-helper mknod n2 c 1 3')" "errno 13
errno 13" "key on: a directory the caller cannot write: EACCES (absolute and relative)"
ok "$([ ! -e "$R/tmp/hostdir/n" ] && [ ! -e "$R/tmp/hostdir/n2" ]; echo $?)" "nothing made there"
rt_clean "$N-on" "mknod interception"
done_testing
