#!/bin/bash
# Hostile callers of the interception supervisor, the long run (issue 10):
# tests/hostile/supervisor.sh's checks after 10 minutes of
# tests/hostile/hostile (HOSTILE_SECS, HOSTILE_THREADS change it).  The
# calls per second and the monitor's fd and thread counts are printed as
# TAP comments.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_prep || exit 1
hostile_run "${HOSTILE_SECS:-600}" "${HOSTILE_THREADS:-4}"
hostile_checks
done_testing
