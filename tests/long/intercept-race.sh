#!/bin/bash
# Long: the interception race tests (issue 7: "a racing thread rewriting the
# path or struct after the call: 100,000 tries, never a grant outside
# policy").  Runs tests/intercept/{mknod,setxattr,mount,bpf}.sh with each
# race given LONG_RACE_SECS (90) seconds and at least RACE_MIN_TRIES
# (100000) tries required (each container's time limit, IC_TIMEOUT, raised
# to match); every assertion of those scripts still holds.
# One TAP line per script; their own output goes to $top_builddir/tests/long/.
. "$top_srcdir/tests/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
secs=${LONG_RACE_SECS:-90}
min=${RACE_MIN_TRIES:-100000}
mkdir -p "$top_builddir/tests/long"
for t in mknod setxattr mount bpf; do
	log=$top_builddir/tests/long/intercept-race-$t.log
	start=$(date +%s)
	IC_TIMEOUT=$((secs + 60)) RACE_SECS=$secs RACE_MIN_TRIES=$min bash "$top_srcdir/tests/intercept/$t.sh" >"$log" 2>&1
	rc=$?
	tries=$(sed -n "s/.*the $t race: at least [0-9]* tries (\([0-9a-z]*\)).*/\1/p" "$log" | head -n1)
	tap_diag "$t: $tries tries in $secs s, $(($(date +%s) - start)) s in all; log $log"
	is "$rc:$(grep -c '^not ok' "$log"):${tries:-none}" "0:0:$tries" \
		"tests/intercept/$t.sh with $secs s races and at least $min tries: every assertion holds"
	ok "$([ "${tries:-0}" -ge "$min" ] 2>/dev/null; echo $?)" "$t: the race ran (not skipped): ${tries:-no} tries"
done
done_testing
