#!/bin/bash
# Every config LXC itself ships (Debian's lxc and lxc-templates) passes
# `cordon check` unchanged.
# shellcheck source=../tap.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/tap.sh"

dir=${LXC_CONFIG_DIR:-/usr/share/lxc/config}
[ -d "$dir" ] || skip_all "$dir is absent (Debian: apt-get install lxc lxc-templates)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
for conf in "$dir"/*.conf "$dir"/common.conf.d/*.conf; do
	[ -f "$conf" ] || continue
	n=$((n + 1))
	"$CORDON" check "$conf" 2>"$tmp/err"
	rc=$?
	is "$rc" 0 "cordon check ${conf#"$dir"/}"
	[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/err"
done
[ "$n" -ge 30 ]
ok $? "checked $n shipped configs"

done_testing
