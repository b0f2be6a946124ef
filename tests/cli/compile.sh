#!/bin/bash
# cordon compile and check: what is written where, exit codes, a failed
# compile leaving an existing blob untouched, determinism.
# shellcheck source=../tap.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/tap.sh"

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT

run() {
	out=$("$CORDON" "$@" 2>"$tmp/err") && rc=0 || rc=$?
	err=$(cat "$tmp/err")
}
files() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' '); }

mkdir "$tmp/good" "$tmp/web"
cat >"$tmp/good/probe.conf" <<'CONF'
lxc.uts.name = probe
lxc.idmap = u 0 100000 65536
lxc.idmap = g 0 100000 65536
lxc.cap.drop = sys_module
CONF
printf 'lxc.uts.name = web\n' >"$tmp/web/config"

# compile writes NAME.blob next to the config and prints nothing.
run compile "$tmp/good/probe.conf"
is "$rc" 0 "compile: exit 0"
is "$err$out" "" "compile: silent on success"
is "$(files "$tmp/good")" "./probe.blob ./probe.conf " "compile: wrote probe.blob next to probe.conf, nothing else"
run dump "$tmp/good/probe.blob"
is "$rc" 0 "the blob written loads"

# A file called config is named after its directory.
run compile "$tmp/web/config"
is "$rc" 0 "compile DIR/config: exit 0"
is "$(files "$tmp/web")" "./config ./web.blob " "compile DIR/config: wrote DIR/web.blob"

# A relative CONFIG without a directory writes into the current directory.
(cd "$tmp/good" && "$CORDON" compile probe.conf -o rel.blob && "$CORDON" compile -n other probe.conf)
ok $? "compile with relative paths: exit 0"
[ -s "$tmp/good/rel.blob" ] && [ -s "$tmp/good/other.blob" ]
ok $? "compile -o rel.blob and -n other: both written in the current directory"
rm -f "$tmp/good/rel.blob" "$tmp/good/other.blob"

# -n names the blob; -v says what was written.
run compile -v -n renamed "$tmp/good/probe.conf"
is "$rc" 0 "compile -n: exit 0"
size=$(stat -c %s "$tmp/good/renamed.blob" 2>/dev/null)
is "$err" "cordon: wrote $tmp/good/renamed.blob ($size bytes)" "compile -v: names the blob and its size"
run dump "$tmp/good/renamed.blob"
like "$out" "renamed" "compile -n: the name is in the blob"

# -o writes exactly there.
run compile -o "$tmp/out.blob" "$tmp/good/probe.conf"
is "$rc" 0 "compile -o: exit 0"
[ -s "$tmp/out.blob" ]
ok $? "compile -o: blob at the path given"

# Determinism: the same inputs give the same bytes.
run compile --output="$tmp/again.blob" "$tmp/good/probe.conf"
cmp -s "$tmp/out.blob" "$tmp/again.blob"
ok $? "compile twice: byte-identical blobs"

# check writes nothing.
before=$(files "$tmp/good")
run check "$tmp/good/probe.conf"
is "$rc" 0 "check: exit 0"
is "$err$out" "" "check: silent on a clean config"
is "$(files "$tmp/good")" "$before" "check: writes nothing"

# A config with errors: exit 1, a summary, an existing blob left as it was.
mkdir "$tmp/bad"
printf 'lxc.uts.name = bad\n' >"$tmp/bad/bad.conf"
"$CORDON" compile "$tmp/bad/bad.conf"
cp "$tmp/bad/bad.blob" "$tmp/bad.blob.orig"
printf 'lxc.uts.name = bad\nlxc.frobnicate = 1\n' >"$tmp/bad/bad.conf"
run compile "$tmp/bad/bad.conf"
is "$rc" 1 "compile with an error: exit 1"
like "$err" "bad\.conf:2:1: error: " "compile with an error: the diagnostic names file:line:col"
is "$(printf '%s\n' "$err" | tail -n1)" "cordon: 1 error generated; no blob written" "compile with an error: summary line"
cmp -s "$tmp/bad/bad.blob" "$tmp/bad.blob.orig"
ok $? "compile with an error: the existing blob is byte-identical"
is "$(files "$tmp/bad")" "./bad.blob ./bad.conf " "compile with an error: no new file"
run compile -o "$tmp/bad/new.blob" "$tmp/bad/bad.conf"
is "$rc" 1 "compile -o with an error: exit 1"
[ ! -e "$tmp/bad/new.blob" ]
ok $? "compile -o with an error: no blob written"
run check "$tmp/bad/bad.conf"
is "$rc" 1 "check with an error: exit 1"
is "$(printf '%s\n' "$err" | tail -n1)" "cordon: 1 error generated" "check with an error: summary line"

# Warnings: reported, exit 0; -Werror makes them errors; -q hides them.
mkdir "$tmp/warn"
printf 'lxc.uts.name = warn\nnot.lxc.key = 1\n' >"$tmp/warn/warn.conf"
run check "$tmp/warn/warn.conf"
is "$rc" 0 "check with a warning: exit 0"
like "$err" "warn\.conf:2:1: warning: " "check with a warning: the warning is printed"
is "$(printf '%s\n' "$err" | tail -n1)" "cordon: 1 warning generated" "check with a warning: summary line"
run check -q "$tmp/warn/warn.conf"
is "$rc$err" "0" "check -q with a warning: exit 0, nothing printed"
run compile -q "$tmp/warn/warn.conf"
is "$rc$err" "0" "compile -q with a warning: exit 0, nothing printed"
[ -s "$tmp/warn/warn.blob" ]
ok $? "compile with a warning: blob written"
rm -f "$tmp/warn/warn.blob"
for werror in "-W error" -Werror --Werror; do
	# shellcheck disable=SC2086
	run compile $werror "$tmp/warn/warn.conf"
	is "$rc" 1 "compile $werror with a warning: exit 1"
	like "$(printf '%s\n' "$err" | tail -n1)" "^cordon: 1 error.* generated; no blob written$" "compile $werror: summary line"
	[ ! -e "$tmp/warn/warn.blob" ]
	ok $? "compile $werror with a warning: no blob written"
done
printf 'lxc.uts.name = warn\nnot.lxc.key = 1\nlxc.frobnicate = 1\n' >"$tmp/warn/both.conf"
run compile -q "$tmp/warn/both.conf"
is "$rc" 1 "compile -q with an error and a warning: exit 1"
like "$err" "both\.conf:3:1: error: " "compile -q: the error is printed"
! printf '%s\n' "$err" | grep -q warning
ok $? "compile -q: the warning is not"

# Not found: exit 4.
run compile "$tmp/missing.conf"
is "$rc" 4 "compile of a missing config: exit 4"
like "$err" "^cordon: .*missing\.conf.*No such file or directory" "compile of a missing config: message names it"
run check "$tmp/nodir/missing.conf"
is "$rc" 4 "check of a missing config: exit 4"
[ ! -e "$tmp/missing.blob" ]
ok $? "compile of a missing config: nothing written"

# A blob that cannot be written: exit 3, the old blob untouched.
run compile -o "$tmp/nodir/x.blob" "$tmp/good/probe.conf"
is "$rc" 3 "compile -o into a missing directory: exit 3"
like "$err" "^cordon: .*nodir/x\.blob" "compile -o into a missing directory: message names the path"
mkdir "$tmp/isdir.blob"
run compile -o "$tmp/isdir.blob" "$tmp/good/probe.conf"
is "$rc" 3 "compile -o onto a directory: exit 3"

done_testing
