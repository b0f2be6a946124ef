#!/bin/bash
# Hostile callers of the interception supervisor (issue 10), 20 seconds:
# tests/hostile/hostile in an unprivileged container with every interception
# key on makes the six intercepted calls with bad pointers, over-long and
# unterminated strings, huge sizes, memory rewritten during the call, and
# callers killed mid-request.  The monitor survives with a flat fd count and
# its idle thread count, answers an ordinary sysinfo correctly afterwards,
# nothing outside policy was granted (see hostile.c), no mount is left in
# the container or on the host.  HOSTILE_SECS and HOSTILE_THREADS change
# the run (tests/long/hostile.sh: 10 minutes).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_prep || exit 1
is "$("$HOSTILE" check-host "$R")" "check-host: 0 violations" "the rootfs starts with no xattr and no device node"
hostile_run "${HOSTILE_SECS:-20}" "${HOSTILE_THREADS:-4}"
hostile_checks
done_testing
