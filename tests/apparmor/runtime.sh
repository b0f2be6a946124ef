#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# lxc.apparmor.profile fails closed where it cannot be enforced: on a host
# without AppArmor (this test's usual host; tests/vm/apparmor.sh has the
# real kernel), and in a --disable-apparmor build.  The refusal comes
# before anything is made.  "unconfined" and "unchanged" ask for nothing.
# shellcheck source=../tap.sh
. "$top_srcdir/tests/tap.sh"
# shellcheck source=../runtime/lib.sh
. "$top_srcdir/tests/runtime/lib.sh"
rt_require_root
if grep -q '^#define HAVE_APPARMOR 1' "$top_builddir/config.h"; then
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] &&
		skip_all "this host has AppArmor (tests/vm/apparmor.sh covers it)"
	why="AppArmor is not enabled on this host"
	[ -d /sys/module/apparmor ] && why="$why: disabled at boot (apparmor=0, or another LSM)"
	refusal() { echo "apparmor: profile '$1' is configured but $why"; }
else
	refusal() { echo "apparmor: profile '$1' is configured but cordon was built without AppArmor (--disable-apparmor)"; }
fi
rt_setup

# start NAME PROFILE [KEY LINES...]: compile and start; $out, $rc.
start() {
	local name=$1 profile=$2; shift 2
	rt_compile "$name" "lxc.uts.name = $name
lxc.rootfs.path = $T/rootfs
lxc.mount.auto = proc:mixed
lxc.init.cmd = /bin/true
lxc.apparmor.profile = $profile
$(printf '%s\n' "$@")" || return 1
	out=$("$CORDON" start -F "$T/$name.blob" </dev/null 2>&1)
	rc=$?
}

start aa-named cordon-container-default
is "$rc" 3 "a named profile: the start fails (exit 3)"
is "$out" "cordon: start aa-named: $(refusal cordon-container-default)" "a named profile: the message"
rt_clean aa-named "a refused profile"

start aa-gen generated
is "$out" "cordon: start aa-gen: $(refusal cordon-container-default)" \
	"generated: cordon-container-default"
start aa-nest generated "lxc.apparmor.allow_nesting = 1"
is "$out" "cordon: start aa-nest: $(refusal cordon-container-default-with-nesting)" \
	"generated + allow_nesting: cordon-container-default-with-nesting"
start aa-inc cordon-container-default "lxc.apparmor.allow_incomplete = 1"
is "$out" "cordon: start aa-inc: $(refusal cordon-container-default)" \
	"allow_incomplete does not start without AppArmor at all"

start aa-unconf unconfined
is "$rc" 0 "unconfined: the container runs"
start aa-unch unchanged
is "$rc" 0 "unchanged: the container runs"
done_testing
