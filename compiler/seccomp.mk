# seccomp: the LXC seccomp policy language compiled to BPF per AUDIT_ARCH
# (issue 5).  The grammar is a second flex/bison pair with the prefix scp_yy.
libcompiler_a_SOURCES += \
	grammar/seccomp_lexer.l grammar/seccomp_parser.y \
	compiler/seccomp.c compiler/seccomp.h \
	compiler/seccomp_ast.h compiler/seccomp_lex.h \
	compiler/seccomp_policy.h \
	compiler/seccomp_names.c compiler/seccomp_names.h \
	compiler/seccomp_parse.c compiler/seccomp_check.c \
	compiler/seccomp_intercept.c compiler/seccomp_codegen.c
BUILT_SOURCES += grammar/seccomp_parser.h

# Plain data and its printing: usable by `cordon dump` without libseccomp.
libcommon_a_SOURCES += \
	common/seccomp_prog.c common/seccomp_prog.h \
	common/seccomp_bpf.c common/seccomp_bpf.h \
	common/blob_seccomp.c \
	common/seccomp_dump.h \
	common/seccomp_dump.c

check_LIBRARIES += tests/seccomp/libseccomptest.a
tests_seccomp_libseccomptest_a_SOURCES = \
	tests/seccomp/bpf_interp.c tests/seccomp/bpf_interp.h \
	tests/seccomp/support.c tests/seccomp/support.h
tests_seccomp_libseccomptest_a_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
SECCOMP_TEST_LIBS = tests/seccomp/libseccomptest.a $(COMPILER_LIBS)

check_PROGRAMS += tests/seccomp/diag tests/seccomp/lxc_files tests/seccomp/differential \
	tests/seccomp/kernel tests/seccomp/intercept
tests_seccomp_diag_LDADD = $(SECCOMP_TEST_LIBS)
tests_seccomp_lxc_files_LDADD = $(SECCOMP_TEST_LIBS)
tests_seccomp_differential_LDADD = $(SECCOMP_TEST_LIBS)
tests_seccomp_kernel_LDADD = $(SECCOMP_TEST_LIBS)
tests_seccomp_intercept_LDADD = $(SECCOMP_TEST_LIBS)
TESTS += tests/seccomp/diag tests/seccomp/lxc_files tests/seccomp/differential \
	tests/seccomp/kernel tests/seccomp/intercept

dist_man_MANS += doc/cordon-seccomp.5

# lxc.seccomp.profile wired through the key table, the blob (SECCOMP section,
# BPF validator) and `cordon dump`.
check_PROGRAMS += tests/seccomp/wiring
tests_seccomp_wiring_SOURCES = tests/seccomp/wiring.c tests/compiler/compile_helper.h cli/dump.c cli/dump.h
tests_seccomp_wiring_LDADD = $(COMPILER_LIBS)
TESTS += tests/seccomp/wiring

# Real containers under a seccomp filter (root; skipped otherwise).
# try-syscall is static: it is copied into a busybox rootfs.
check_PROGRAMS += tests/runtime/try-syscall tests/seccomp/blob-unfilter
tests_runtime_try_syscall_SOURCES = tests/runtime/try-syscall.c
tests_runtime_try_syscall_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
tests_runtime_try_syscall_LDFLAGS = -static
tests_seccomp_blob_unfilter_LDADD = $(COMPILER_LIBS)
TESTS += tests/runtime/seccomp.sh
dist_check_SCRIPTS += tests/runtime/seccomp.sh

# bench/seccomp (issue 5's benchmark): built on demand, `make bench/seccomp`.
EXTRA_PROGRAMS = bench/seccomp
bench_seccomp_SOURCES = bench/seccomp.c
bench_seccomp_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS) -DCDN_TOP_SRCDIR='"$(abs_top_srcdir)"'
bench_seccomp_LDADD = $(COMPILER_LIBS)
CLEANFILES += bench/seccomp
