# tests/long/load.mk: long load runs (LONG_TESTS += ...).
