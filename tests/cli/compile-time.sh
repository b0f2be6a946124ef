#!/bin/bash
# How long a 200-line config spread over includes takes to compile, and the
# size of its blob: reported as TAP comments, not asserted.
# shellcheck source=../tap.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/conf.d"

# The main file: 21 lines with a file include (the default profile, 95
# lines) and a directory include (4 files of 21 lines): 200 lines.
{
	echo "# main config"
	echo "# includes the default profile and conf.d/"
	echo "lxc.uts.name = timing"
	echo "lxc.init.cmd = /sbin/init"
	echo "lxc.init.cwd = /"
	echo "lxc.include = $top_srcdir/profiles/default.conf"
	echo "lxc.include = $tmp/conf.d/"
	for i in $(seq 1 14); do echo "lxc.environment = VAR$i=value$i"; done
} >"$tmp/timing.conf"
for f in 1 2 3 4; do
	{
		for i in $(seq 1 7); do echo "lxc.mount.entry = tmpfs run/f$f-$i tmpfs nodev,nosuid,optional,create=dir 0 0"; done
		for i in $(seq 1 7); do echo "lxc.cgroup2.pids.max = $((100 + i))"; done
		for i in $(seq 1 7); do echo "lxc.environment = F${f}_$i=$i"; done
	} >"$tmp/conf.d/$f.conf"
done
lines=$(cat "$tmp/timing.conf" "$tmp"/conf.d/*.conf | wc -l)
lines=$((lines + $(wc -l <"$top_srcdir/profiles/default.conf")))
[ "$lines" -ge 200 ]
ok $? "the config has $lines lines (main, 4 included files, the default profile)"

start=$(date +%s%N)
"$CORDON" compile -o "$tmp/timing.blob" "$tmp/timing.conf"
rc=$?
end=$(date +%s%N)
is "$rc" 0 "the config compiles"
best=$((end - start))
for _ in 1 2 3 4; do
	start=$(date +%s%N)
	"$CORDON" compile -o "$tmp/timing.blob" "$tmp/timing.conf"
	end=$(date +%s%N)
	[ $((end - start)) -lt "$best" ] && best=$((end - start))
done
tap_diag "compile time of a $lines-line config with includes: $((best / 1000)) us (best of 5, process start included)"
tap_diag "blob size: $(stat -c %s "$tmp/timing.blob") bytes"

done_testing
