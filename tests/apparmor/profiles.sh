#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shipped AppArmor profiles (profiles/apparmor/): each is what
# profiles/apparmor/generate writes, parses with apparmor_parser against
# Debian's pinned kernel feature set (with mount, signal and ptrace rules:
# on a host without AppArmor the parser would otherwise drop them), and
# holds the denials the profiles promise.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
features=/usr/share/apparmor-features/features
dir=$top_srcdir/profiles/apparmor
profiles="cordon-container-default cordon-container-default-with-nesting cordon-container-default-with-mounting"
command -v apparmor_parser >/dev/null || skip_all "no apparmor_parser (apt-get install apparmor)"
[ -r "$features" ] || skip_all "no $features (apt-get install apparmor)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if command -v python3 >/dev/null; then
	"$dir/generate" "$T"
	for p in $profiles; do
		ok "$(cmp -s "$T/$p" "$dir/$p"; echo $?)" "$p is up to date with profiles/apparmor/generate"
	done
else
	skip "no python3 to run profiles/apparmor/generate"
fi

for p in $profiles; do
	f=$dir/$p
	apparmor_parser -QT --kernel-features "$features" "$f" >"$T/out" 2>&1
	ok $? "$p: apparmor_parser -QT accepts it"
	[ -s "$T/out" ] && sed 's/^/#   /' "$T/out"
	is "$(sed -n 's/^profile \([^ ]*\) .*/\1/p' "$f")" "$p" "$p: the profile has its file's name"
	# The binary policy the VM test loads; the mount rules the pinned features keep.
	apparmor_parser -Q --kernel-features "$features" -o "$T/$p.bin" "$f" 2>/dev/null
	ok $? "$p: compiles to a binary policy"
	rules=$(grep -c 'mount ' "$f")
	ok "$([ "$rules" -gt 20 ]; echo $?)" "$p: has its mount rules ($rules lines)"
	for rule in '  audit deny @{PROC}/sysrq-trigger rwklx,' '  audit deny @{PROC}/kcore rwklx,' \
		'  deny /proc/sys/kernel/[^dhms]*{,/**} wklx,' '  deny /sys/[^cdf]*{,/**} wklx,' \
		'  signal peer=@{profile_name},' '  ptrace peer=@{profile_name},' \
		'  deny mount fstype=devpts,'; do
		ok "$(grep -qxF -- "$rule" "$f"; echo $?)" "$p: has '${rule#  }'"
	done
done
for p in cordon-container-default cordon-container-default-with-mounting; do
	is "$(grep -c '^ *change_profile' "$dir/$p")" 0 "$p allows no change_profile"
	ok "$(grep -qxF '  audit deny /sys/kernel/security/{,**} rwklx,' "$dir/$p"; echo $?)" "$p: no access to securityfs"
	ok "$(grep -qxF '  audit deny @{PROC}/@{pid}/attr/{,apparmor/}{current,exec} w,' "$dir/$p"; echo $?)" \
		"$p: no writes to the AppArmor attributes"
done
is "$(grep '^ *change_profile' "$dir/cordon-container-default-with-nesting" | grep -c -e unconfined -e mounting -e '\*')" 0 \
	"with-nesting changes only to profiles that allow no more than it"
ok "$(grep -qxF '  audit deny /sys/kernel/security/{,**} wklx,' "$dir/cordon-container-default-with-nesting"; echo $?)" \
	"with-nesting: securityfs is read-only"
is "$(grep -c '^ *pivot_root' "$dir/cordon-container-default")" 0 "the default allows no pivot_root"
is "$(grep -c '^ *mount fstype=ext\*,' "$dir/cordon-container-default")" 0 "the default allows no ext* mount"
is "$(grep -c '^ *mount fstype=ext\*,' "$dir/cordon-container-default-with-mounting")" 1 "with-mounting allows ext* mounts"
done_testing
