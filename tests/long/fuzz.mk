# tests/long/fuzz.mk: long fuzzing runs (LONG_TESTS += ...).
# fuzz.sh needs a CC=clang --enable-fuzzers build (CORDON_FUZZ_BUILD).
LONG_TESTS += tests/long/fuzz.sh
LONG_TESTS += tests/long/hostile.sh
