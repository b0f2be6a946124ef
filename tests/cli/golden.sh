#!/bin/bash
# The dump of the shipped default profile against tests/cli/golden/default.dump.
# The blob records absolute input paths: the source directory is replaced by
# @top_srcdir@ before comparing.  Regenerate after a deliberate change with
#   CORDON_REGEN=1 make check TESTS=tests/cli/golden.sh
# shellcheck source=../tap.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/tap.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
golden=$top_srcdir/tests/cli/golden/default.dump
src=$(cd "$top_srcdir" && pwd)
real=$(cd "$top_srcdir" && pwd -P)

normalise() { sed -e "s|$real|@top_srcdir@|g" -e "s|$src|@top_srcdir@|g"; }

"$CORDON" compile -o "$tmp/default.blob" "$top_srcdir/profiles/default.conf" 2>"$tmp/err"
ok $? "compile profiles/default.conf"
is "$(cat "$tmp/err")" "" "profiles/default.conf compiles without a diagnostic"
"$CORDON" dump "$tmp/default.blob" >"$tmp/dump" 2>"$tmp/err"
ok $? "dump the default blob"
normalise <"$tmp/dump" >"$tmp/default.dump"
if [ -n "${CORDON_REGEN:-}" ]; then
	cp "$tmp/default.dump" "$golden"
	tap_diag "regenerated $golden"
fi
diff -u "$golden" "$tmp/default.dump" | sed 's/^/# /'
cmp -s "$golden" "$tmp/default.dump"
ok $? "dump of profiles/default.conf matches tests/cli/golden/default.dump"
! grep -q "$real" "$tmp/default.dump"
ok $? "the golden dump holds no absolute source path"

done_testing
