#!/bin/bash
# Every man page in doc/ renders without a warning from man or groff (both
# exit 0 even when they warn: their stderr must be empty).
# shellcheck source=../tap.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/tap.sh"

command -v man >/dev/null || skip_all "man is not installed (Debian: apt-get install man-db)"
command -v groff >/dev/null || skip_all "groff is not installed (Debian: apt-get install groff-base)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
for page in "$top_srcdir"/doc/*.[1-8]; do
	[ -f "$page" ] || continue
	n=$((n + 1))
	name=${page##*/}
	MANWIDTH=80 man --warnings=w -l "$page" >"$tmp/out" 2>"$tmp/err"
	is "$?:$(cat "$tmp/err")" "0:" "man --warnings=w -l $name: exit 0, no warning"
	[ -s "$tmp/out" ]
	ok $? "man -l $name: renders text"
	groff -man -ww -z "$page" 2>"$tmp/err"
	is "$?:$(cat "$tmp/err")" "0:" "groff -man -ww -z $name: exit 0, no warning"
done
[ -f "$top_srcdir/doc/cordon.1" ]
ok $? "doc/cordon.1 exists (of $n pages)"

done_testing
