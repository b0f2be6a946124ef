#!/bin/bash
# make check-long: tests/faults/load.sh with 50 containers for 10 rounds.
export LOAD_CONTAINERS=${LOAD_CONTAINERS:-50} LOAD_ROUNDS=${LOAD_ROUNDS:-10}
exec bash "$top_srcdir/tests/faults/load.sh"
