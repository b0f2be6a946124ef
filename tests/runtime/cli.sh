#!/bin/bash
# cordon start: --help, finding cordon-runtime, usage errors (no root needed).
. "$top_srcdir/tests/tap.sh"
[ -x "$CORDON" ] || skip_all "cordon not built"
: "${RUNTIME:=$top_builddir/cordon-runtime}"

out=$("$CORDON" start --help)
is "$?" "0" "start --help exits 0"
like "$out" "^Usage: cordon start \[-F\|-d\] \[-n NAME\] BLOB \[-- CMD ARGS\.\.\.\]" "start --help prints the usage"
out=$(CORDON_RUNTIME=/nonexistent/cordon-runtime "$CORDON" start x.blob 2>&1)
is "$?" "4" "a missing runtime: exit 4"
is "$out" "cordon: start: exec '/nonexistent/cordon-runtime': No such file or directory" "\$CORDON_RUNTIME is used"
out=$(CORDON_RUNTIME=/bin/echo "$CORDON" start -d -n web x.blob -- a b 2>&1)
is "$out" "-d -n web x.blob -- a b" "the arguments reach the runtime unchanged"
if [ -x "$RUNTIME" ]; then
	out=$(env -u CORDON_RUNTIME "$CORDON" start /nonexistent/x.blob 2>&1)
	is "$out" "cordon: start x: cannot open blob '/nonexistent/x.blob': No such file or directory" \
		"without \$CORDON_RUNTIME the build tree's cordon-runtime runs"
else
	skip "cordon-runtime not built"
fi
for c in "-x a.blob|unknown option '-x'" "--bogus a.blob|unknown option '--bogus'" \
	"-n|option '-n' needs an argument" "|missing BLOB"; do
	args=${c%%|*} msg=${c#*|}
	# shellcheck disable=SC2086
	out=$(env -u CORDON_RUNTIME "$CORDON" start $args 2>&1)
	st=$?
	is "$out" "cordon: start: $msg
Try 'cordon start --help'." "start $args: usage message"
	is "$st" "2" "start $args: exit 2"
done
done_testing
