# tests/long/fuzz.mk: long fuzzing runs (LONG_TESTS += ...).
