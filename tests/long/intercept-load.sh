#!/bin/bash
# The full load of issue 7: 50 containers making 1,000 intercepted calls
# each at once (twice), all answered (tests/intercept/load.sh with
# LOAD_CALLS=1000; make check runs it with 200).
LOAD_CONTAINERS=${LOAD_CONTAINERS:-50} LOAD_CALLS=${LOAD_CALLS:-1000} \
	exec bash "$top_srcdir/tests/intercept/load.sh"
