#!/bin/bash
# security.syscalls.intercept.setxattr in an unprivileged container:
# trusted.overlay.opaque = y is set (and seen from the host) only with the
# key and only for a caller with CAP_SYS_ADMIN in the container; any other
# name or value is the kernel's business as before; a thread rewriting the
# name and value during the call never gets another attribute set.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/intercept/lib.sh"
ic_compile on "security.syscalls.intercept.setxattr = true" || exit 1
ic_compile off "" || exit 1
R=$T/rootfs
OPQ=trusted.overlay.opaque
mkdir -p "$R/tmp/on" "$R/tmp/off" "$R/tmp/other" "$R/tmp/user" "$R/tmp/race"
chown 100000:100000 "$R/tmp/on" "$R/tmp/off" "$R/tmp/other" "$R/tmp/user" "$R/tmp/race"

is "$(ic_run on "icpt-helper setxattr /tmp/on $OPQ y")" "ok" "key on: $OPQ=y is set"
is "$("$HELPER" getxattr "$R/tmp/on" $OPQ)" "ok y" "key on: the host sees $OPQ=y"
is "$(ic_run off "icpt-helper setxattr /tmp/off $OPQ y")" "errno 1" "key off: $OPQ=y is refused (EPERM)"
is "$("$HELPER" getxattr "$R/tmp/off" $OPQ)" "errno 61" "key off: nothing set"
is "$(ic_run on "icpt-helper setxattr /tmp/other trusted.overlay.redirect y; icpt-helper setxattr /tmp/other $OPQ n")" \
	"errno 1
errno 1" "key on: another trusted name, or another value, is refused as before"
is "$("$HELPER" getxattr "$R/tmp/other" trusted.overlay.redirect; "$HELPER" getxattr "$R/tmp/other" $OPQ)" "errno 61
errno 61" "key on: neither was set"
is "$(ic_run on "icpt-helper setxattr /tmp/user user.note y")$(ic_run off "icpt-helper setxattr /tmp/user user.other y")" \
	"okok" "a user.* attribute works as without interception"
is "$(ic_run on "icpt-helper as 1000 setxattr /tmp $OPQ y")" "errno 1" "key on: a caller without CAP_SYS_ADMIN is refused"
is "$(ic_run on "ln -s /../../.. /tmp/up; icpt-helper setxattr /tmp/up/tmp/on $OPQ y; icpt-helper setxattr /proc/1/root/tmp/on $OPQ y")" \
	"ok
errno 40" "key on: a symlink resolves inside the root, a magic link is refused (ELOOP)"
out=$(ic_run on "icpt-helper race-setxattr /tmp/race ${RACE_SECS:-3}")
like "$out" "^tries [1-9][0-9]* granted [1-9]" "a thread rewriting name and value during setxattr: many tries"
tries=$(sed -n 's/^tries \([0-9]*\).*/\1/p' <<<"$out" | head -n1)
ok "$([ "${tries:-0}" -ge "${RACE_MIN_TRIES:-1}" ]; echo $?)" "the setxattr race: at least ${RACE_MIN_TRIES:-1} tries (${tries:-none})"
tap_diag "$out"
is "$("$HELPER" getxattr "$R/tmp/race" trusted.overlay.evil)" "errno 61" "the rewritten name was never set"
is "$("$HELPER" getxattr "$R/tmp/race" $OPQ)" "ok y" "the opaque value is only ever y"
rt_clean "$N-on" "setxattr interception"
done_testing
