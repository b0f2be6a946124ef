# tests/long/load.mk: long load runs (LONG_TESTS += ...).
LONG_TESTS += tests/long/load.sh
LONG_TESTS += tests/long/intercept-load.sh
LONG_TESTS += tests/long/intercept-race.sh
