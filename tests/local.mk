# tests: the command line's tests (tests/cli) and the fuzz targets
# (tests/fuzz).  Each area lists its own tests in its own fragment.
CLI_TESTS = \
	tests/cli/usage.sh \
	tests/cli/compile.sh \
	tests/cli/dump.sh \
	tests/cli/golden.sh \
	tests/cli/lxc-configs.sh \
	tests/cli/compile-time.sh \
	tests/cli/man.sh
TESTS += $(CLI_TESTS)
dist_check_SCRIPTS += $(CLI_TESTS)
EXTRA_DIST += tests/cli/golden/default.dump

# libFuzzer targets, built with --enable-fuzzers (clang); tools/fuzz-smoke
# runs each from its seed corpus.
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz_config tests/fuzz/fuzz_blob tests/fuzz/fuzz_seccomp
endif
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_config_LDADD = $(COMPILER_LIBS)
tests_fuzz_fuzz_blob_SOURCES = tests/fuzz/fuzz_blob.c
tests_fuzz_fuzz_blob_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_blob_LDADD = libcommon.a
tests_fuzz_fuzz_seccomp_SOURCES = tests/fuzz/fuzz_seccomp.c
tests_fuzz_fuzz_seccomp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_seccomp_LDADD = $(COMPILER_LIBS)
# the seed corpora, every file of tests/fuzz/corpus/TARGET/
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/lsan.supp
